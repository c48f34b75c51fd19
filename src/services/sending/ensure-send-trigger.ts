import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

export const SEND_TASK = 'sendEmailJob'
export const SEND_QUEUE = 'email'

/**
 * Makes sure a waiting Payload job will run this email job (at `waitUntil` at the latest). Payload's
 * queue is only a trigger: running one twice is harmless, so this just avoids piling up idle triggers.
 * Returns true when a trigger was queued.
 */
export const ensureSendTrigger = async ({ payload, jobID, waitUntil }: { payload: Payload; jobID: number; waitUntil?: Date | null }): Promise<boolean> => {
  const client = await dbPool(payload).connect()
  try {
    const { rows } = await client.query<{ id: number }>(
      `UPDATE payload_jobs SET wait_until = CASE WHEN $2::timestamptz IS NULL THEN NULL ELSE least(coalesce(wait_until, $2::timestamptz), $2::timestamptz) END
        WHERE id = (SELECT id FROM payload_jobs
                     WHERE task_slug = $3 AND completed_at IS NULL AND processing = false AND (input->>'jobID')::int = $1
                     ORDER BY id LIMIT 1)
        RETURNING id`,
      [jobID, waitUntil ?? null, SEND_TASK],
    )
    if (rows.length) return false
  } finally {
    client.release()
  }
  await payload.jobs.queue({ task: SEND_TASK, input: { jobID }, queue: SEND_QUEUE, ...(waitUntil && waitUntil.getTime() > Date.now() ? { waitUntil } : {}) })
  return true
}
