import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { IMPORT_STATUS_LABELS, type ImportStatus } from './import-definitions'
import { publicSiteURL } from '../config/server-env'

const number = new Intl.NumberFormat('en')

type Finished = {
  id: number
  org_id: number
  status: ImportStatus
  file_name: string
  message: string | null
  started_by_id: number | null
  rows_read: number
  created: number
  updated: number
  skipped: number
  failed: number
}

/** What an import did, in one sentence. */
export const importSummary = (row: Pick<Finished, 'file_name' | 'rows_read' | 'created' | 'updated' | 'skipped' | 'failed'>): string =>
  `${row.file_name}: ${number.format(row.rows_read)} rows read; ${number.format(row.created)} created, ${number.format(row.updated)} updated, ${number.format(row.skipped)} skipped, ${number.format(row.failed)} failed.`

/**
 * Ends an import run held with `token`: completed (with errors when rows failed), stopped (resumable)
 * or failed with `message`; audited in the same transaction; then the user who started it is told by
 * email (a failed notification is logged, never undoes the import).
 */
export const finishContactImport = async ({
  payload,
  importID,
  token,
  outcome,
  message,
}: {
  payload: Payload
  importID: number
  token: string
  outcome: 'completed' | 'stopped' | 'failed'
  message?: string
}): Promise<void> => {
  const client = await dbPool(payload).connect()
  let finished: Finished | undefined
  try {
    await client.query('BEGIN')
    const { rows } = await client.query<Finished>(
      `UPDATE imports SET status = (CASE WHEN $3 = 'completed' THEN CASE WHEN progress_failed > 0 THEN 'completed_with_errors' ELSE 'completed' END ELSE $3 END)::enum_imports_status,
                          finished_at = CASE WHEN $3 = 'stopped' THEN NULL ELSE now() END, lease_token = NULL, lease_until = NULL, updated_at = now(), message = $4
        WHERE id = $1 AND lease_token = $2
       RETURNING id, org_id, status::text AS status, file_name, message, started_by_id, progress_rows_read AS rows_read, progress_created AS created,
                 progress_updated AS updated, progress_skipped AS skipped, progress_failed AS failed`,
      [importID, token, outcome, message ?? null],
    )
    finished = rows[0]
    if (!finished) {
      await client.query('ROLLBACK')
      return
    }
    const summary = importSummary(finished)
    if (!message) await client.query('UPDATE imports SET message = $2 WHERE id = $1', [importID, summary])
    const action = outcome === 'completed' ? 'import.complete' : outcome === 'stopped' ? 'import.stop' : 'import.fail'
    await client.query(
      `INSERT INTO audit_logs (action, actor_label, org_id, target_collection, target_i_d, summary) VALUES ($1, 'system (import)', $2, 'imports', $3, $4)`,
      [action, finished.org_id, String(importID), `${IMPORT_STATUS_LABELS[finished.status]}: ${message ? `${message} ` : ''}${summary}`.slice(0, 300)],
    )
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
  await notifyStarter(payload, finished, message)
}

const notifyStarter = async (payload: Payload, finished: Finished, message: string | undefined) => {
  if (!finished.started_by_id) return
  try {
    const user = await payload.findByID({ collection: 'users', id: finished.started_by_id, depth: 0, overrideAccess: true, disableErrors: true })
    if (!user?.email) return
    const link = `${publicSiteURL(process.env, payload.config.serverURL)}/admin/collections/imports/${finished.id}`
    const state = IMPORT_STATUS_LABELS[finished.status]
    const lines = [`${state}: ${importSummary(finished)}`, ...(message ? [message] : []), `See it, and download the rows that were not imported: ${link}`]
    await payload.sendEmail({ to: user.email, subject: `Import ${state.toLowerCase()}: ${finished.file_name}`, text: lines.join('\n\n') })
  } catch (error) {
    payload.logger.error({ err: error, importID: finished.id }, 'Could not email the end of an import')
  }
}
