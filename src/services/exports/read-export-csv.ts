import type { Readable } from 'node:stream'

import type { Payload, PayloadRequest } from 'payload'

import { dbPool } from '@/db/pool'

import { recordAudit } from '../audit/record-audit'
import { envNumber } from '../config/server-env'
import { compileSegmentRules } from '../audiences/compile-segment-rules'
import { AppError } from '../errors/app-error'
import { exportCSV } from './export-csv'
import { exportRows, type ExportSource } from './export-rows'
import { EXPORT_KIND_LABELS } from './export-definitions'
import { exportFileName, type ExportRequest, resolveExportSource } from './resolve-export-source'

/** Up to this many rows an export streams at once (EXPORT_DIRECT_MAX_ROWS, default 50,000); more go through an export job (POST /api/exports). */
export const exportDirectLimit = (): number => envNumber('EXPORT_DIRECT_MAX_ROWS', 50_000, { min: 1 })

/** How many rows a source has, up to `cap + 1`. */
const countUpTo = async (payload: Payload, source: ExportSource, cap: number): Promise<number> => {
  const pool = dbPool(payload)
  if (source.kind === 'job') {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM email_recipients WHERE job_id = $1 AND org_id = $2 LIMIT $3) x`, [source.job, source.org, cap + 1])
    return rows[0]!.n
  }
  const segment = source.kind === 'segment' ? compileSegmentRules(source.rules, 3) : null
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM contacts c WHERE c.org_id = $1 ${segment ? `AND ${segment.sql}` : ''} LIMIT $2) x`,
    [source.org, cap + 1, ...(segment?.params ?? [])],
  )
  return rows[0]!.n
}

/**
 * An export streamed straight to the caller as CSV (audited), for up to exportDirectLimit() rows; a
 * larger one is a 409 pointing to an export job. The rows are read in one read-only snapshot on their
 * own connection, released when the stream ends or the caller goes away.
 */
export const readExportCSV = async ({ payload, req, request }: { payload: Payload; req: PayloadRequest; request: ExportRequest }): Promise<{ fileName: string; stream: Readable }> => {
  const { source, name } = await resolveExportSource({ payload, user: req.user, request })
  const limit = exportDirectLimit()
  const rows = await countUpTo(payload, source, limit)
  if (rows > limit) {
    throw new AppError('CONFLICT', `More than ${limit.toLocaleString('en')} rows: create an export job (POST /api/exports, or Exports in the admin) and download the file when it is ready.`)
  }
  await recordAudit(req, { action: 'export.create', org: request.org, target: { collection: 'organizations', id: request.org }, summary: `Exported ${EXPORT_KIND_LABELS[request.kind].toLowerCase()} (${name}, ${rows} rows) as CSV` })
  async function* snapshot() {
    const client = await dbPool(payload).connect()
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      yield* exportRows(client, source)
      await client.query('COMMIT')
    } finally {
      await client.query('ROLLBACK').catch(() => {})
      client.release()
    }
  }
  return { fileName: exportFileName(name), stream: exportCSV(snapshot()) }
}
