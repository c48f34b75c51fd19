import { createReadStream } from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import { parse } from 'csv-parse'

import { IMPORT_DELIMITERS, type ImportDelimiter } from './import-definitions'

export type CsvRecord = { cells: string[]; line: number }

/** A file that cannot be read on from some line: the import stops there, with this sentence. */
export class CsvReadError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message)
    this.name = 'CsvReadError'
  }
}

/** The longest record we read (a quote never closed would otherwise take in the rest of the file). */
export const MAX_RECORD_BYTES = 1_000_000

const sentenceOf = (error: { code?: string; message?: string; lines?: number }, line: number): string => {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `A quote opened on line ${line} is never closed, so the rest of the file cannot be read. Close the quote (or double it: "") and import the rest.`
    case 'CSV_MAX_RECORD_SIZE':
      return `The row starting on line ${line} is longer than 1 MB: most likely a quote opened there is never closed.`
    default:
      return `Line ${line} could not be read as CSV (${error.code ?? 'error'}).`
  }
}

/**
 * The records of a CSV file, streamed: decoded from `encoding` (after `skipBytes` of byte order mark)
 * and parsed with `delimiter`, each with the line it starts on (quoted newlines count). Quotes inside
 * unquoted cells are kept as text; rows may have more or fewer cells than the header. Memory stays
 * flat: reading waits while the consumer works. `onBytes` reports the bytes read so far. A file that
 * cannot be read on (a quote never closed) ends with a CsvReadError naming the line.
 */
export async function* readCsvRecords({
  file,
  encoding,
  skipBytes,
  delimiter,
  onBytes,
}: {
  file: string
  encoding: string
  skipBytes: number
  delimiter: Exclude<ImportDelimiter, 'auto'>
  onBytes?: (bytes: number) => void
}): AsyncGenerator<CsvRecord> {
  const source = createReadStream(file, { start: skipBytes, highWaterMark: 256 * 1024 })
  const decoder = new TextDecoder(encoding)
  let bytes = skipBytes
  const decode = new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      onBytes?.(bytes)
      done(null, decoder.decode(chunk, { stream: true }))
    },
    flush(done) {
      done(null, decoder.decode())
    },
  })
  const parser = parse({
    delimiter: IMPORT_DELIMITERS[delimiter],
    info: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_BYTES,
  })
  const piping = pipeline(source, decode, parser).catch((error: unknown) => error)
  let previousLine = 0
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { cells: record, line: previousLine + 1 }
      previousLine = info.lines
    }
  } catch (error) {
    const failure = error as { code?: string; message?: string; lines?: number }
    if (failure.code?.startsWith('CSV_')) throw new CsvReadError(previousLine + 1, sentenceOf(failure, previousLine + 1))
    throw error
  } finally {
    source.destroy()
  }
  const failed = await piping
  if (failed) throw failed
}
