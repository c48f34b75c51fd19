import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rename, rm, stat } from 'node:fs/promises'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { parseSegmentRules } from '../audiences/segment-rules'
import { envNumber } from '../config/server-env'
import { exportCSV } from './export-csv'
import { exportFiles } from './export-files'
import { exportRows, type ExportSource } from './export-rows'

type Claimed = { org_id: number; source_kind: 'contacts' | 'segment' | 'job'; source_segment_id: number | null; source_job_id: number | null; storage_key: string | null; rules: unknown; segment_org: number | null }

/** How long a finished export can be downloaded (EXPORT_TTL_HOURS, default 24). */
export const exportTTLHours = (): number => envNumber('EXPORT_TTL_HOURS', 24, { min: 1 })

/**
 * Writes an export's CSV file: claims it under our own lease (Payload's queue may run a trigger twice),
 * streams the rows from one read-only snapshot into a temporary file, then renames it and marks the
 * export ready until it expires. A crash leaves it to be written again from the start.
 */
export const runContactExport = async ({ payload, exportID, leaseSeconds = 120 }: { payload: Payload; exportID: number; leaseSeconds?: number }): Promise<'finished' | 'busy'> => {
  const pool = dbPool(payload)
  const token = randomUUID()
  const { rows } = await pool.query<Claimed>(
    `UPDATE exports e SET status = 'running', lease_token = $2, lease_until = now() + make_interval(secs => $3), updated_at = now()
      WHERE e.id = $1 AND e.status IN ('queued', 'running') AND (e.lease_until IS NULL OR e.lease_until < now())
     RETURNING e.org_id, e.source_kind, e.source_segment_id, e.source_job_id, e.storage_key,
               (SELECT s.rules FROM segments s WHERE s.id = e.source_segment_id) AS rules, (SELECT s.org_id FROM segments s WHERE s.id = e.source_segment_id) AS segment_org`,
    [exportID, token, leaseSeconds],
  )
  const job = rows[0]
  if (!job) return 'busy'
  const fail = async (message: string) => {
    await pool.query(`UPDATE exports SET status = 'failed', message = $3, lease_token = NULL, lease_until = NULL, updated_at = now() WHERE id = $1 AND lease_token = $2`, [exportID, token, message])
    return 'finished' as const
  }
  let source: ExportSource
  if (job.source_kind === 'segment') {
    const parsed = parseSegmentRules(job.rules)
    if (job.segment_org !== job.org_id || !parsed.ok) return fail('The segment was deleted or changed into something that is not valid before the export ran: export again.')
    source = { org: job.org_id, kind: 'segment', rules: parsed.rules }
  } else if (job.source_kind === 'job') {
    if (!job.source_job_id) return fail('The email job was deleted before the export ran.')
    source = { org: job.org_id, kind: 'job', job: job.source_job_id }
  } else source = { org: job.org_id, kind: 'contacts' }

  const key = job.storage_key ?? exportFiles.newKey()
  const file = exportFiles.pathOf(key)
  const partial = `${file}.${token}.part`
  const renew = setInterval(() => {
    pool.query('UPDATE exports SET lease_until = now() + make_interval(secs => $3) WHERE id = $1 AND lease_token = $2', [exportID, token, leaseSeconds]).catch(() => {})
  }, (leaseSeconds * 1000) / 3)
  const client = await pool.connect()
  let count = -1
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    const counting = new Transform({
      objectMode: true,
      transform(row: string[], _encoding, done) {
        count++
        done(null, row)
      },
    })
    const rowsOut = exportRows(client, source)
    await pipeline(
      async function* () {
        yield* rowsOut
      },
      counting,
      async function* (rowsIn: AsyncIterable<string[]>) {
        // A UTF-8 byte order mark, so spreadsheets read accents right.
        yield Buffer.from([0xef, 0xbb, 0xbf])
        yield* exportCSV(rowsIn)
      },
      createWriteStream(partial),
    )
    await client.query('COMMIT')
    await rename(partial, file)
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    await rm(partial, { force: true })
    clearInterval(renew)
    client.release()
    payload.logger.error({ err: error, exportID }, 'An export failed')
    return fail('The export could not be written (the server log says why): export again.')
  }
  clearInterval(renew)
  client.release()
  const { size } = await stat(file)
  const { rowCount } = await pool.query(
    `UPDATE exports SET status = 'completed', storage_key = $3, rows = $4, file_size = $5, finished_at = now(), expires_at = now() + make_interval(hours => $6),
                        lease_token = NULL, lease_until = NULL, updated_at = now()
      WHERE id = $1 AND lease_token = $2`,
    [exportID, token, key, count, size, exportTTLHours()],
  )
  if (!rowCount) await exportFiles.remove(key)
  return 'finished'
}
