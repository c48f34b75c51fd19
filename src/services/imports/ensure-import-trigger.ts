import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

export const IMPORT_TASK = 'runContactImport'
export const IMPORT_QUEUE = 'imports'

/**
 * Makes sure a waiting Payload job will run this import. Payload's queue is only a trigger (the
 * import's own lease decides who works on it), so this only avoids piling up idle triggers.
 */
export const ensureImportTrigger = async ({ payload, importID, waitUntil }: { payload: Payload; importID: number; waitUntil?: Date }): Promise<boolean> => {
  const { rows } = await dbPool(payload).query<{ id: number }>(
    `SELECT id FROM payload_jobs WHERE task_slug = $2 AND completed_at IS NULL AND processing = false AND (input->>'importID')::int = $1 LIMIT 1`,
    [importID, IMPORT_TASK],
  )
  if (rows.length) return false
  await payload.jobs.queue({ task: IMPORT_TASK as never, input: { importID } as never, queue: IMPORT_QUEUE, ...(waitUntil ? { waitUntil } : {}) })
  return true
}
