import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { ensureExportTrigger } from './ensure-export-trigger'
import { exportFiles } from './export-files'

/**
 * Exports past their time are marked expired and their files removed; exports whose worker died (or
 * whose trigger was lost) get a new trigger.
 */
export const sweepExports = async ({ payload }: { payload: Payload }): Promise<{ expired: number; triggered: number }> => {
  const pool = dbPool(payload)
  const { rows: expired } = await pool.query<{ storage_key: string | null }>(
    `WITH old AS (SELECT id, storage_key FROM exports WHERE status = 'completed' AND expires_at < now() FOR UPDATE SKIP LOCKED)
     UPDATE exports e SET status = 'expired', storage_key = NULL, updated_at = now() FROM old WHERE e.id = old.id
     RETURNING old.storage_key`,
  )
  for (const row of expired) await exportFiles.remove(row.storage_key)
  const { rows: stale } = await pool.query<{ id: number }>(
    `SELECT id FROM exports WHERE status IN ('queued', 'running') AND (lease_until IS NULL OR lease_until < now()) ORDER BY id LIMIT 100`,
  )
  let triggered = 0
  for (const { id } of stale) if (await ensureExportTrigger({ payload, exportID: id })) triggered++
  return { expired: expired.length, triggered }
}
