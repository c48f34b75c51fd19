import { createLocalReq, type Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { recordAudit } from '../audit/record-audit'
import { sendOperatorAlert } from './send-job-alert'

export type StreakReport = { streak: number; tripped: boolean }

/**
 * The circuit breaker of a job. After each batch the job's run of consecutive provider failures
 * (transient errors, or the account refused) is updated: a batch with any success restarts it from the
 * failures that came after its last success. When the run reaches `threshold`, the job pauses itself
 * (only a `sending` job, and exactly once), records `reason`, alerts ALERTS_EMAIL_TO and writes an audit
 * entry; its remaining recipients stay pending for a person to resume. Nothing is written when the
 * streak stays at 0.
 */
export const recordProviderStreak = async ({
  payload,
  jobID,
  successes,
  trailingFailures,
  threshold,
  reason,
}: {
  payload: Payload
  jobID: number
  successes: number
  trailingFailures: number
  threshold: number
  reason: string
}): Promise<StreakReport> => {
  if (successes > 0 && trailingFailures === 0) {
    // The common case: reset only if there was a run to reset (an index probe, no write otherwise).
    const client = await dbPool(payload).connect()
    try {
      await client.query('UPDATE email_jobs SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures <> 0', [jobID])
    } finally {
      client.release()
    }
    return { streak: 0, tripped: false }
  }
  const client = await dbPool(payload).connect()
  let row: { streak: number; tripped: boolean; org: number; name: string } | undefined
  try {
    const { rows } = await client.query<{ streak: number; tripped: boolean; org: number; name: string }>(
      `WITH old AS (SELECT id, status::text AS status, consecutive_failures FROM email_jobs WHERE id = $1 FOR NO KEY UPDATE),
            next AS (SELECT old.*, CASE WHEN $2 > 0 THEN $3 ELSE old.consecutive_failures + $3 END AS streak FROM old)
       UPDATE email_jobs j
          SET consecutive_failures = next.streak,
              status = CASE WHEN next.streak >= $4 AND next.status = 'sending' THEN 'paused' ELSE j.status END,
              paused_reason = CASE WHEN next.streak >= $4 AND next.status = 'sending' THEN $5 ELSE j.paused_reason END,
              updated_at = now()
         FROM next WHERE j.id = next.id
       RETURNING next.streak, (next.streak >= $4 AND next.status = 'sending') AS tripped, j.org_id AS org, j.name`,
      [jobID, successes, trailingFailures, threshold, reason.slice(0, 1000)],
    )
    row = rows[0]
  } finally {
    client.release()
  }
  if (!row) return { streak: 0, tripped: false }
  if (row.tripped) {
    const req = await createLocalReq({}, payload)
    await recordAudit(req, { action: 'job.auto_pause', org: row.org, target: { collection: 'email-jobs', id: jobID }, summary: `"${row.name}" paused itself: ${reason}` })
    await sendOperatorAlert({
      payload,
      jobID,
      subject: `[Outpost] Job paused itself: ${row.name}`,
      lines: [
        `"${row.name}" paused itself after ${row.streak} consecutive failures: ${reason}`,
        '',
        'Its remaining recipients are kept pending. Fix the provider or the settings, then resume the job.',
      ],
    }).catch((error: unknown) => payload.logger.error({ err: error, jobID }, 'Could not send the pause alert email'))
    payload.logger.warn({ jobID }, `Job ${jobID} paused itself after ${row.streak} consecutive failures: ${reason}`)
  }
  return { streak: row.streak, tripped: row.tripped }
}
