import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { ensureImportTrigger } from './ensure-import-trigger'

/**
 * Keeps every active import moving: one whose worker died (its lease ran out), or whose trigger was
 * lost, gets a new trigger; the lease decides who works on it. Returns how many were triggered.
 */
export const sweepImports = async ({ payload }: { payload: Payload }): Promise<number> => {
  const { rows } = await dbPool(payload).query<{ id: number }>(
    `SELECT id FROM imports WHERE status IN ('queued', 'running', 'stopping') AND (lease_until IS NULL OR lease_until < now()) ORDER BY id LIMIT 100`,
  )
  let triggered = 0
  for (const { id } of rows) if (await ensureImportTrigger({ payload, importID: id })) triggered++
  return triggered
}
