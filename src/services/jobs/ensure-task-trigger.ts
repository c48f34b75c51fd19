import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

/**
 * Makes sure a waiting Payload job of `task` will run for this input (`{ [key]: id }`). Payload's queue
 * is only a trigger here (the work's own lease in PostgreSQL decides who works on it), so this only
 * avoids piling up idle triggers. Returns true when it queued one.
 */
export const ensureTaskTrigger = async ({
  payload,
  task,
  queue,
  key,
  id,
  waitUntil,
}: {
  payload: Payload
  task: string
  queue: string
  key: string
  id: number
  waitUntil?: Date
}): Promise<boolean> => {
  const { rows } = await dbPool(payload).query<{ id: number }>(
    `SELECT id FROM payload_jobs WHERE task_slug = $2 AND completed_at IS NULL AND processing = false AND (input->>$3)::int = $1 LIMIT 1`,
    [id, task, key],
  )
  if (rows.length) return false
  await payload.jobs.queue({ task: task as never, input: { [key]: id } as never, queue, ...(waitUntil ? { waitUntil } : {}) })
  return true
}
