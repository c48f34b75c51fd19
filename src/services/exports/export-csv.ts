import { Readable } from 'node:stream'

import { stringify } from 'csv-stringify'

import { escapeFormula } from './escape-formula'

/**
 * Rows as a CSV byte stream (RFC 4180 quoting), every cell a spreadsheet would run as a formula escaped.
 * A failure while reading the rows (a statement timeout, a lost connection) errors the returned stream,
 * so its reader sees it, instead of an uncaught error and a stream that never ends.
 */
export const exportCSV = (rows: AsyncIterable<string[]>): Readable => {
  const csv = stringify({ cast: { string: escapeFormula } })
  Readable.from(rows)
    .once('error', (error) => csv.destroy(error))
    .pipe(csv)
  return csv
}
