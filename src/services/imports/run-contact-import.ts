import { randomUUID } from 'node:crypto'

import type { CountryCode } from 'libphonenumber-js'
import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { envNumber } from '../config/server-env'
import type { ImportDelimiter, ImportEncoding, ImportMode } from './import-definitions'
import { importFilePath } from './import-files'
import { finishContactImport } from './finish-contact-import'
import { type ImportMapping, normalizeImportRow, type NormalizedImportRow } from './normalize-import-row'
import { readImportFormat } from './read-import-preview'
import { CsvReadError, readCsvRecords } from './read-csv-records'
import { isShuttingDown } from '../jobs/shutdown'
import { SeenKeys } from './seen-keys'
import { type BatchOutcome, writeImportBatch } from './write-import-batch'

/** At most this many problem rows are kept per import (the counters still count every one). */
export const MAX_PROBLEMS_KEPT = 100_000
/** After this many failed runs in a row, an import ends failed. */
const MAX_ATTEMPTS = 5

export type ImportRunReport = { state: 'finished' | 'stopped' | 'paused' | 'retry' | 'busy'; rows: number }

type Claimed = {
  org_id: number
  status: string
  mode: ImportMode
  file_name: string
  storage_key: string
  options_has_header: boolean
  options_default_country: string | null
  detected_encoding: Exclude<ImportEncoding, 'auto'>
  detected_delimiter: Exclude<ImportDelimiter, 'auto'>
  mapping: ImportMapping
  progress_checkpoint: number
  progress_problems_kept: number
  progress_attempts: number
  started_by_id: number | null
  actor_label: string | null
  tags: string[] | null
}

type Problem = { line: number; outcome: 'failed' | 'skipped'; error: string; cells: string[] }
type Pending = { line: number; cells: string[]; normalized: NormalizedImportRow }

class LostLease extends Error {}

/**
 * Runs an import for a while: claims it (our own lease in PostgreSQL: Payload's queue may run one
 * trigger twice), reads its file as a stream from the first row not yet committed, and writes rows in
 * batches, each batch's rows, problems, counters and checkpoint in one transaction, so a crash or a
 * second worker never writes a row twice or loses one. Duplicates in the file (by address, or phone
 * when matching on phone) keep the first. Stops after the batch in which a stop was asked; hands over
 * at `deadlineMs` or when the worker is stopping (paused: a new trigger continues). Ends every import in a final state.
 */
export const runContactImport = async ({
  payload,
  importID,
  deadlineMs,
  leaseSeconds = envNumber('IMPORT_LEASE_SECONDS', 120, { min: 5 }),
  batchSize = envNumber('IMPORT_BATCH_SIZE', 2000, { min: 1 }),
}: {
  payload: Payload
  importID: number
  deadlineMs: number
  leaseSeconds?: number
  batchSize?: number
}): Promise<ImportRunReport> => {
  const pool = dbPool(payload)
  const token = randomUUID()
  const { rows: claimedRows } = await pool.query<Claimed>(
    `UPDATE imports i SET status = CASE WHEN i.status = 'stopping' THEN 'stopping'::enum_imports_status ELSE 'running'::enum_imports_status END,
                          lease_token = $2, lease_until = now() + make_interval(secs => $3), updated_at = now()
      WHERE i.id = $1 AND i.status IN ('queued', 'running', 'stopping') AND (i.lease_until IS NULL OR i.lease_until < now())
     RETURNING i.org_id, i.status, i.mode, i.file_name, i.storage_key, i.options_has_header, i.options_default_country,
               i.detected_encoding, i.detected_delimiter, i.mapping, i.progress_checkpoint, i.progress_problems_kept, i.progress_attempts,
               i.started_by_id, (SELECT u.email FROM users u WHERE u.id = i.started_by_id) AS actor_label,
               (SELECT array_agg(t.text ORDER BY t."order") FROM imports_texts t WHERE t.parent_id = i.id AND t.path = 'options.tags') AS tags`,
    [importID, token, leaseSeconds],
  )
  const job = claimedRows[0]
  if (!job) return { state: 'busy', rows: 0 }
  // A worker died while stopping: the rows it committed stay; the import is stopped.
  if (job.status === 'stopping') {
    await finishContactImport({ payload, importID, token, outcome: 'stopped' })
    return { state: 'stopped', rows: 0 }
  }

  const options = {
    mode: job.mode,
    mapping: job.mapping,
    defaultCountry: (job.options_default_country || undefined) as CountryCode | undefined,
    tags: job.tags ?? [],
  }
  const actor = { id: job.started_by_id, label: job.actor_label ?? 'import' }
  const note = `Import ${job.file_name}`.slice(0, 200)
  let checkpoint = Number(job.progress_checkpoint)
  let problemsKept = Number(job.progress_problems_kept)
  let bytes = 0
  let rows = 0
  const seen = new SeenKeys()
  /** Time to hand over: this run's time is up, or the worker is stopping. */
  const overtime = () => Date.now() >= deadlineMs || isShuttingDown()

  /** Writes one batch with its problems and counters, if this worker still holds the lease; the import's status after it. */
  const commit = async (batch: Pending[], recordsThrough: number, extra: Problem[] = []): Promise<string> => {
    const problems: Problem[] = [...extra]
    const writable: { pending: Pending; row: Extract<NormalizedImportRow, { kind: 'row' }> }[] = []
    let read = 0
    for (const pending of batch) {
      const { normalized } = pending
      if (normalized.kind === 'empty') continue
      read++
      if (normalized.kind === 'error') {
        problems.push({ line: pending.line, outcome: 'failed', error: normalized.error, cells: pending.cells })
        continue
      }
      const earlier = seen.add(normalized.key, pending.line)
      if (earlier === undefined) writable.push({ pending, row: normalized })
      else problems.push({ line: pending.line, outcome: 'skipped', error: `The same ${options.mode === 'upsert_phone' ? 'phone number' : 'address'} as line ${earlier} of this file: skipped.`, cells: pending.cells })
    }
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      const { rows: held } = await client.query('SELECT 1 FROM imports WHERE id = $1 AND lease_token = $2 FOR UPDATE', [importID, token])
      if (!held.length) throw new LostLease()
      const outcomes = await writeImportBatch(client, { org: job.org_id, mode: options.mode, rows: writable.map(({ row }) => row.row), actor, note })
      const count = (kind: BatchOutcome['kind']) => outcomes.filter((outcome) => outcome.kind === kind).length
      outcomes.forEach((outcome, i) => {
        if (outcome.kind === 'skipped' || outcome.kind === 'failed') problems.push({ line: writable[i]!.pending.line, outcome: outcome.kind, error: outcome.reason, cells: writable[i]!.pending.cells })
      })
      const kept = problems.sort((a, b) => a.line - b.line).slice(0, Math.max(0, MAX_PROBLEMS_KEPT - problemsKept))
      if (kept.length) {
        await client.query(
          `INSERT INTO import_problems (import_id, line, outcome, error, cells)
           SELECT $1, line, outcome, error, cells FROM unnest($2::int[], $3::text[], $4::text[], $5::jsonb[]) AS t(line, outcome, error, cells)`,
          [importID, kept.map((p) => p.line), kept.map((p) => p.outcome), kept.map((p) => p.error), kept.map((p) => JSON.stringify(p.cells))],
        )
      }
      const failed = problems.filter((p) => p.outcome === 'failed').length
      const skipped = problems.length - failed
      const { rows: updated } = await client.query<{ status: string }>(
        `UPDATE imports SET progress_rows_read = progress_rows_read + $2, progress_created = progress_created + $3, progress_updated = progress_updated + $4,
                            progress_skipped = progress_skipped + $5, progress_failed = progress_failed + $6, progress_checkpoint = $7,
                            progress_bytes_read = greatest(progress_bytes_read, $8), progress_problems_kept = progress_problems_kept + $9,
                            progress_attempts = 0, lease_until = now() + make_interval(secs => $10), updated_at = now()
          WHERE id = $1 RETURNING status`,
        [importID, read, count('created'), count('updated'), skipped, failed, recordsThrough, bytes, kept.length, leaseSeconds],
      )
      await client.query('COMMIT')
      checkpoint = recordsThrough
      problemsKept += kept.length
      rows += read
      return updated[0]!.status
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      // The run ends here; the next one starts from the checkpoint with the keys met before it.
      throw error
    } finally {
      client.release()
    }
  }

  try {
    const file = importFilePath(job.storage_key)
    const format = await readImportFormat(file, job.detected_encoding, job.detected_delimiter)
    let index = 0
    let header = job.options_has_header
    let batch: Pending[] = []
    // One batch is written while the next is read: PostgreSQL and the parser work at the same time.
    let inFlight: Promise<{ status: string } | { error: unknown }> | null = null
    const settle = async (): Promise<string | null> => {
      if (!inFlight) return null
      const outcome = await inFlight
      inFlight = null
      if ('error' in outcome) throw outcome.error
      return outcome.status
    }
    const dispatch = (pending: Pending[], through: number) => {
      inFlight = commit(pending, through).then(
        (status) => ({ status }),
        (error: unknown) => ({ error }),
      )
    }
    try {
      for await (const record of readCsvRecords({ file, encoding: format.encoding, skipBytes: format.bomBytes, delimiter: format.delimiter, onBytes: (n) => (bytes = n) })) {
        if (header) {
          header = false
          continue
        }
        // Bytes that are not UTF-8 come out as U+FFFD: that row is refused, not imported garbled.
        const garbled = format.encoding === 'utf-8' && record.cells.some((cell) => cell.includes('\uFFFD'))
        const normalized: NormalizedImportRow = garbled
          ? { kind: 'error', error: 'This row has characters that are not UTF-8: the file is in another encoding. Choose it (e.g. Windows-1252) and import again.' }
          : normalizeImportRow(record.cells, options)
        index++
        if (index <= checkpoint) {
          // Committed by an earlier run: only remembered, for the duplicates that follow.
          if (normalized.kind === 'row') seen.add(normalized.key, record.line)
          continue
        }
        batch.push({ line: record.line, cells: record.cells, normalized })
        if (batch.length < batchSize) continue
        const status = await settle()
        if (status !== 'stopping' && (status === null || !overtime())) {
          dispatch(batch, index)
          batch = []
          continue
        }
        if (status === 'stopping') {
          await finishContactImport({ payload, importID, token, outcome: 'stopped' })
          return { state: 'stopped', rows }
        }
        if (overtime()) {
          await pool.query('UPDATE imports SET lease_until = now() WHERE id = $1 AND lease_token = $2', [importID, token])
          return { state: 'paused', rows }
        }
      }
    } catch (error) {
      if (!(error instanceof CsvReadError)) {
        await settle().catch(() => null)
        throw error
      }
      // The rows before the unreadable part are kept; the import ends there, saying where and why.
      await settle()
      await commit(batch, index, [{ line: error.line, outcome: 'failed', error: error.message, cells: [] }])
      await finishContactImport({ payload, importID, token, outcome: 'failed', message: error.message })
      return { state: 'finished', rows }
    }
    const status = await settle()
    if (status === 'stopping') {
      await finishContactImport({ payload, importID, token, outcome: 'stopped' })
      return { state: 'stopped', rows }
    }
    await commit(batch, index)
    await finishContactImport({ payload, importID, token, outcome: 'completed' })
    return { state: 'finished', rows }
  } catch (error) {
    if (error instanceof LostLease) return { state: 'busy', rows }
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    const { rows: tried } = await pool.query<{ attempts: number }>(
      `UPDATE imports SET progress_attempts = progress_attempts + 1, lease_until = now() + interval '15 seconds' WHERE id = $1 AND lease_token = $2 RETURNING progress_attempts AS attempts`,
      [importID, token],
    )
    if (missing || (tried[0]?.attempts ?? 0) >= MAX_ATTEMPTS) {
      const message = missing
        ? 'The uploaded file is no longer on the server (was the data directory cleared?): upload it again.'
        : `The import stopped after ${MAX_ATTEMPTS} failed attempts in a row (the server log says why). Resume it once the cause is fixed.`
      await finishContactImport({ payload, importID, token, outcome: 'failed', message })
      return { state: 'finished', rows }
    }
    payload.logger.error({ err: error, importID }, 'An import run failed; it is retried shortly.')
    return { state: 'retry', rows }
  }
}

