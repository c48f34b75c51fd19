import { open } from 'node:fs/promises'

import type { Payload, PayloadRequest } from 'payload'

import { dbPool } from '@/db/pool'

import { AppError } from '../errors/app-error'
import { detectDelimiter } from './detect-delimiter'
import { detectEncoding } from './detect-encoding'
import { type ImportDelimiter, type ImportEncoding, type ImportField } from './import-definitions'
import { importFilePath } from './import-files'
import type { ImportMapping } from './normalize-import-row'
import { CsvReadError, readCsvRecords } from './read-csv-records'
import { requireImport } from './require-import'
import { headerKey, rememberMapping, suggestMapping } from './suggest-mapping'

type User = NonNullable<PayloadRequest['user']>

const SAMPLE_BYTES = 64 * 1024
export const PREVIEW_ROWS = 10

export type ImportFormat = { encoding: Exclude<ImportEncoding, 'auto'>; bomBytes: number; delimiter: Exclude<ImportDelimiter, 'auto'>; encodingDetected: boolean; delimiterDetected: boolean }

export type ImportPreview = {
  format: ImportFormat
  headers: string[]
  rows: string[][]
  /** What each column maps to: last time's mapping for the same headers in this org, else a guess. */
  suggested: ImportMapping
  /** Whether the suggestion comes (in part) from an earlier import of the org. */
  remembered: boolean
}

/** How to read a file: the encoding (detectEncoding) and delimiter (detectDelimiter) unless declared. */
export const readImportFormat = async (file: string, encoding: ImportEncoding, delimiter: ImportDelimiter): Promise<ImportFormat> => {
  const handle = await open(file, 'r')
  let sample: Uint8Array
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0)
    sample = buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
  if (!sample.length) throw new AppError('INVALID_INPUT', 'The file is empty.')
  const detected = detectEncoding(sample, encoding)
  const text = new TextDecoder(detected.encoding).decode(sample.subarray(detected.bomBytes), { stream: true })
  return {
    encoding: detected.encoding,
    bomBytes: detected.bomBytes,
    encodingDetected: detected.detected,
    delimiter: delimiter === 'auto' ? detectDelimiter(text) : delimiter,
    delimiterDetected: delimiter === 'auto',
  }
}

/** The header a column shows: its own, else "Column N". */
export const columnNames = (first: readonly string[], hasHeader: boolean): string[] => first.map((cell, i) => (hasHeader && cell.trim() ? cell.trim() : `Column ${i + 1}`))

/** The last mapping the org used, by header (from its most recent started import). */
const savedMapping = async (payload: Payload, org: number, except: number): Promise<Map<string, ImportField | null>> => {
  const { rows } = await dbPool(payload).query<{ headers: string[]; mapping: ImportMapping }>(
    `SELECT headers, mapping FROM imports WHERE org_id = $1 AND id <> $2 AND mapping IS NOT NULL AND headers IS NOT NULL AND status <> 'uploaded' ORDER BY started_at DESC NULLS LAST, id DESC LIMIT 1`,
    [org, except],
  )
  return rows[0] && Array.isArray(rows[0].headers) && Array.isArray(rows[0].mapping) ? rememberMapping(rows[0].headers, rows[0].mapping) : new Map()
}

/**
 * The first rows of an uploaded file as they will be read (encoding and delimiter detected unless
 * declared), its columns, and a suggested mapping. For the user's own org's imports only.
 */
export const readImportPreview = async ({
  payload,
  user,
  id,
  encoding = 'auto',
  delimiter = 'auto',
  hasHeader = true,
}: {
  payload: Payload
  user: User | null | undefined
  id: number
  encoding?: ImportEncoding
  delimiter?: ImportDelimiter
  hasHeader?: boolean
}): Promise<ImportPreview> => {
  const { org, storageKey } = await requireImport({ payload, user, id, action: 'contacts.read' })
  const file = importFilePath(storageKey)
  const format = await readImportFormat(file, encoding, delimiter)
  const records: string[][] = []
  try {
    for await (const record of readCsvRecords({ file, encoding: format.encoding, skipBytes: format.bomBytes, delimiter: format.delimiter })) {
      if (record.cells.every((cell) => cell.trim() === '')) continue
      records.push(record.cells)
      if (records.length > PREVIEW_ROWS) break
    }
  } catch (error) {
    if (!(error instanceof CsvReadError) || !records.length) throw error instanceof CsvReadError ? new AppError('INVALID_INPUT', error.message) : error
  }
  if (!records.length) throw new AppError('INVALID_INPUT', 'The file has no rows.')
  // With a header, the header says how many columns there are (a longer row is an error); without, the widest row.
  const width = hasHeader ? records[0]!.length : Math.max(...records.map((record) => record.length))
  const first = Array.from({ length: width }, (_, i) => records[0]![i] ?? '')
  const headers = columnNames(first, hasHeader)
  const saved = await savedMapping(payload, org, id)
  return {
    format,
    headers,
    rows: (hasHeader ? records.slice(1) : records).slice(0, PREVIEW_ROWS),
    suggested: hasHeader ? suggestMapping(headers, saved) : headers.map(() => null),
    remembered: hasHeader && headers.some((header) => saved.has(headerKey(header))),
  }
}
