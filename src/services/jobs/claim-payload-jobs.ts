import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

/**
 * Takes up to `limit` runnable Payload jobs for this worker in one atomic statement (`FOR UPDATE SKIP
 * LOCKED`), in Payload's own order (oldest first), from `queues` (every queue when empty). Payload's
 * runner finds jobs and then marks them processing in separate statements, so two workers polling at
 * once both run the same job, and the one that finishes second writes its log to a row the other has
 * deleted ("Failed query: insert into payload_jobs_log", "Cannot read properties of null (reading
 * 'log')"). Claiming here first and then running each job by id means every job runs on one worker.
 * A worker also leaves alone a job with the same task and input as one it runs now (a send job's
 * waiting trigger is there for another worker to join, not for this one to run its job twice).
 * Our own claims on recipients and imports stay the real guarantee: this only stops the double runs.
 */
export type ClaimedPayloadJob = { id: number; taskSlug: string; input: unknown }

export const claimPayloadJobs = async ({
  payload,
  limit,
  queues,
  running = [],
}: {
  payload: Payload
  limit: number
  queues: string[]
  /** The jobs this worker runs now: another with the same task and input is left for another worker. */
  running?: { taskSlug: string; input: unknown }[]
}): Promise<ClaimedPayloadJob[]> => {
  if (limit <= 0) return []
  const client = await dbPool(payload).connect()
  try {
    const { rows } = await client.query<{ id: number; task_slug: string; input: unknown }>(
      `UPDATE payload_jobs SET processing = true, updated_at = now()
        WHERE id IN (SELECT id FROM payload_jobs
                      WHERE completed_at IS NULL AND coalesce(has_error, false) = false AND coalesce(processing, false) = false
                        AND (wait_until IS NULL OR wait_until < now())
                        AND (cardinality($2::text[]) = 0 OR queue = ANY($2::text[]))
                        AND NOT EXISTS (SELECT 1 FROM unnest($3::text[], $4::jsonb[]) AS r(task_slug, input)
                                         WHERE r.task_slug = payload_jobs.task_slug::text AND r.input = coalesce(payload_jobs.input, 'null'::jsonb))
                      ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, task_slug::text AS task_slug, input`,
      [limit, queues, running.map((job) => job.taskSlug), running.map((job) => JSON.stringify(job.input ?? null))],
    )
    return rows.map((row) => ({ id: row.id, taskSlug: row.task_slug, input: row.input })).sort((a, b) => a.id - b.id)
  } finally {
    client.release()
  }
}
