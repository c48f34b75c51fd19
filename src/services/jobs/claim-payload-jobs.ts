import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

/**
 * Takes up to `limit` runnable Payload jobs for this worker in one atomic statement (`FOR UPDATE SKIP
 * LOCKED`), in Payload's own order (oldest first), from `queues` (every queue when empty). Payload's
 * runner finds jobs and then marks them processing in separate statements, so two workers polling at
 * once both run the same job, and the one that finishes second writes its log to a row the other has
 * deleted ("Failed query: insert into payload_jobs_log", "Cannot read properties of null (reading
 * 'log')"). Claiming here first and then running each job by id means every job runs on one worker.
 * Our own claims on recipients and imports stay the real guarantee: this only stops the double runs.
 */
export const claimPayloadJobs = async ({ payload, limit, queues }: { payload: Payload; limit: number; queues: string[] }): Promise<number[]> => {
  if (limit <= 0) return []
  const client = await dbPool(payload).connect()
  try {
    const { rows } = await client.query<{ id: number }>(
      `UPDATE payload_jobs SET processing = true, updated_at = now()
        WHERE id IN (SELECT id FROM payload_jobs
                      WHERE completed_at IS NULL AND coalesce(has_error, false) = false AND coalesce(processing, false) = false
                        AND (wait_until IS NULL OR wait_until < now())
                        AND (cardinality($2::text[]) = 0 OR queue = ANY($2::text[]))
                      ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [limit, queues],
    )
    return rows.map((row) => row.id).sort((a, b) => a - b)
  } finally {
    client.release()
  }
}
