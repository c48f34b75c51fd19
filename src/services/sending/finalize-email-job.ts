import { createLocalReq, type Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { recordAudit } from '../audit/record-audit'
import { finishedJobStatusSQL, jobCountersSelectSQL } from './job-counters'
import { sendJobAlert } from './send-job-alert'

export type FinishedJob = {
  id: number
  org: number
  name: string
  status: 'completed' | 'completed_with_errors' | 'failed'
  total: number
  sent: number
  failed: number
  excluded: number
  unknown: number
}

/** More than this share of failures among the recipients actually tried is worth a person's attention. */
export const ALERT_FAILURE_SHARE = 0.05

/**
 * Ends a `sending` job once no recipient is pending or in flight: counters are set from the rows, and
 * the status is `failed` (nothing went out and something failed), `completed_with_errors` (any failed
 * or unknown) or `completed`. The update is conditional, so exactly one caller finalises a job; that
 * caller records the audit entry and sends the alert. Returns null when the job is not finished.
 */
export const finalizeEmailJob = async ({ payload, jobID }: { payload: Payload; jobID: number }): Promise<FinishedJob | null> => {
  const client = await dbPool(payload).connect()
  let job: FinishedJob | undefined
  try {
    // Cheap check first (an index probe): most calls come while messages are still pending or in flight.
    const probe = `SELECT 1 FROM email_recipients WHERE job_id = $1 AND status IN ('pending', 'sending') LIMIT 1`
    if ((await client.query(probe, [jobID])).rowCount) return null
    // Then with the job locked (a resend of unknown recipients takes the same lock), look again in a new
    // statement, which sees every change committed before the lock: nothing is finalised under a resend.
    await client.query('BEGIN')
    const locked = await client.query(`SELECT 1 FROM email_jobs WHERE id = $1 AND status = 'sending' FOR NO KEY UPDATE`, [jobID])
    if (!locked.rowCount || (await client.query(probe, [jobID])).rowCount) {
      await client.query('ROLLBACK')
      return null
    }
    const { rows } = await client.query<FinishedJob>(
      `WITH c AS (
         SELECT ${jobCountersSelectSQL()} FROM email_recipients WHERE job_id = $1)
       UPDATE email_jobs j
          SET status = ${finishedJobStatusSQL({ sent: 'c.sent', failed: 'c.failed', unknown: 'c.unknown' })},
              total = c.total, pending = 0, sent = c.sent, delivered = c.delivered, failed = c.failed,
              excluded = c.excluded, unknown = c.unknown, completed_at = now(), updated_at = now()
         FROM c
        WHERE j.id = $1 AND j.status = 'sending' AND c.pending = 0
        RETURNING j.id, j.org_id AS org, j.name, j.status::text AS status, c.total, c.sent, c.failed, c.excluded, c.unknown`,
      [jobID],
    )
    job = rows[0]
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
  if (!job) return null
  const summary = `"${job.name}" ended ${job.status.replace(/_/g, ' ')}: ${job.sent} sent, ${job.failed} failed, ${job.excluded} excluded, ${job.unknown} unknown of ${job.total}`
  const req = await createLocalReq({}, payload)
  await recordAudit(req, { action: 'job.complete', org: job.org, target: { collection: 'email-jobs', id: job.id }, summary })
  const tried = job.total - job.excluded
  if (job.status === 'failed' || (tried > 0 && job.failed / tried > ALERT_FAILURE_SHARE)) {
    await sendJobAlert({ payload, job, summary }).catch((error: unknown) =>
      payload.logger.error({ err: error, jobID: job.id }, 'Could not send the job alert email'),
    )
  }
  return job
}
