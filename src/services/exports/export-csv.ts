import { Readable } from 'node:stream'

import { stringify } from 'csv-stringify'

import { escapeFormula } from './escape-formula'

/** Rows as a CSV byte stream (RFC 4180 quoting), every cell a spreadsheet would run as a formula escaped. */
export const exportCSV = (rows: AsyncIterable<string[]>): Readable => Readable.from(rows).pipe(stringify({ cast: { string: escapeFormula } }))
