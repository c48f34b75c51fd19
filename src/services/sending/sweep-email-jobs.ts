import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'
import { envNumber } from '@/services/config/server-env'

import { expireStaleLeases } from './claim-next-batch'
import { ensureSendTrigger, SEND_TASK } from './ensure-send-trigger'
import { finalizeEmailJob } from './finalize-email-job'
import { DEFAULT_LEASE_SECONDS } from './send-next-batch'

export type SweepReport = { expired: number; freedTriggers: number; finalized: number; triggered: number }

/** A Payload job still `processing` this long after its last update belongs to a dead worker: longer than any run and its lease. */
const stuckTriggerSeconds = () => envNumber('EMAIL_RUN_SECONDS', 20, { min: 1 }) + envNumber('EMAIL_LEASE_SECONDS', DEFAULT_LEASE_SECONDS, { min: 1 }) + 60
/**
 * An active job with due work, no progress for this long and no waiting trigger gets a fresh one.
 * Progress (every batch touches the job row) is the liveness signal: a trigger that says `processing`
 * may belong to a dead worker, and a second live one is harmless.
 */
export const STALLED_JOB_SECONDS = 15

/**
 * The recovery pass every worker runs on a schedule: recipients claimed by dead workers go back to
 * `pending` if they were never handed off, or become `unknown` if they were; Payload job rows a dead worker left `processing` are freed; jobs whose last messages were
 * settled that way are finalised; and every active job with due work but no progress gets a trigger,
 * so a job whose worker died resumes within a minute once any worker runs.
 */
export const sweepEmailJobs = async ({ payload }: { payload: Payload }): Promise<SweepReport> => {
  const expiredJobs = await expireStaleLeases({ payload })
  const client = await dbPool(payload).connect()
  let freedTriggers = 0
  let stalled: { id: number; status: string; active: number; due: Date | null }[]
  try {
    const freed = await client.query(
      `UPDATE payload_jobs SET processing = false, updated_at = now()
        WHERE processing = true AND completed_at IS NULL AND updated_at < now() - make_interval(secs => $1)`,
      [stuckTriggerSeconds()],
    )
    freedTriggers = freed.rowCount ?? 0
    const { rows } = await client.query<{ id: number; status: string; active: number; due: Date | null }>(
      `SELECT j.id, j.status::text AS status,
              (SELECT count(*)::int FROM email_recipients r WHERE r.job_id = j.id AND r.status IN ('pending', 'sending')) AS active,
              (SELECT min(coalesce(r.next_attempt_at, now())) FROM email_recipients r WHERE r.job_id = j.id AND r.status = 'pending') AS due
         FROM email_jobs j
        WHERE j.status IN ('queued', 'sending')
          AND (j.updated_at < now() - make_interval(secs => $1) OR j.id = ANY($2::int[]))
          AND NOT EXISTS (SELECT 1 FROM payload_jobs p
                           WHERE p.task_slug = $3 AND p.completed_at IS NULL AND p.processing = false
                             AND (p.input->>'jobID')::int = j.id)`,
      [STALLED_JOB_SECONDS, expiredJobs, SEND_TASK],
    )
    stalled = rows
  } finally {
    client.release()
  }
  let finalized = 0
  let triggered = 0
  for (const job of stalled) {
    if (job.active === 0 && job.status === 'sending') {
      if (await finalizeEmailJob({ payload, jobID: job.id })) finalized += 1
    } else if (job.due || job.status === 'queued') {
      if (await ensureSendTrigger({ payload, jobID: job.id, waitUntil: job.due })) triggered += 1
    }
  }
  return { expired: expiredJobs.length, freedTriggers, finalized, triggered }
}
