import type { Payload } from 'payload'

import { inTransaction } from '@/db/transaction'

import { jobCountersSelectSQL } from './job-counters'

/**
 * Ends a queued or sending job that can never be sent as it stands (e.g. it names a file that is not its
 * organisation's): its pending recipients fail with `reason`, nothing more is claimed, and the counters
 * are taken from the rows. Messages already handed over keep their outcome.
 */
export const failEmailJob = async ({ payload, jobID, reason }: { payload: Payload; jobID: number; reason: string }): Promise<void> => {
  await inTransaction(payload, async (client) => {
    const job = await client.query(`SELECT 1 FROM email_jobs WHERE id = $1 AND status IN ('queued', 'sending', 'paused') FOR NO KEY UPDATE`, [jobID])
    if (!job.rowCount) return
    await client.query(
      `UPDATE email_recipients SET status = 'failed', last_error = $2, failed_at = now(), lease_expires_at = NULL, next_attempt_at = NULL, updated_at = now()
        WHERE job_id = $1 AND status = 'pending'`,
      [jobID, reason.slice(0, 1000)],
    )
    await client.query(
      `WITH c AS (SELECT ${jobCountersSelectSQL()} FROM email_recipients WHERE job_id = $1)
       UPDATE email_jobs j SET status = 'failed', total = c.total, pending = c.pending, sent = c.sent, delivered = c.delivered,
              failed = c.failed, excluded = c.excluded, unknown = c.unknown, completed_at = now(), updated_at = now()
         FROM c WHERE j.id = $1`,
      [jobID],
    )
  })
  payload.logger.error({ jobID }, `Email job ${jobID} failed: ${reason}`)
}
