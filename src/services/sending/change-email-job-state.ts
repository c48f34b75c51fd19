import type { Payload, PayloadRequest } from 'payload'

import { hasOrgPermission, relationID } from '@/access/orgAccess'
import { inTransaction } from '@/db/transaction'

import { recordAudit } from '../audit/record-audit'
import { AppError } from '../errors/app-error'
import { ensureSendTrigger } from './ensure-send-trigger'
import { JOB_TRANSITIONS, type JobAction } from './job-transitions'

export { JOB_ACTIONS, type JobAction } from './job-transitions'

const AUDIT_ACTION = {
  cancel: 'job.cancel',
  pause: 'job.pause',
  resume: 'job.resume',
  'resend-unknown': 'job.resend_unknown',
  'retry-failed': 'job.retry_failed',
} as const

/** The recipients each "send again" action puts back to pending, and what the job's counters call them. */
const REQUEUE = {
  'resend-unknown': { from: 'unknown', counter: 'unknown', none: 'No recipient of this job has an unknown outcome.', what: 'recipients with an unknown outcome' },
  'retry-failed': { from: 'failed', counter: 'failed', none: 'No recipient of this job has failed.', what: 'failed recipients' },
} as const

export type JobStateResult = { jobID: number; status: string; requeued?: number }

/**
 * A person's decision about a running job, checked and applied atomically:
 * - cancel: no further message is claimed (the batch already in flight finishes); pending rows stay for the record;
 * - pause / resume: claims stop, then continue where they left off;
 * - resend-unknown: recipients whose outcome is unknown (their worker died mid-send) go back to pending,
 *   and the job sends again. Only a person decides this, because they may receive the message twice.
 * - retry-failed: an ended job's failed recipients go back to pending (their attempts kept, so each gets
 *   one more try before it fails again), and the job sends again; suppressions are re-checked per batch.
 * Each is audited; a state that does not allow the action is a 409 with the reason.
 */
export const changeEmailJobState = async ({
  payload,
  req,
  jobID,
  action,
}: {
  payload: Payload
  req: PayloadRequest
  jobID: number | string
  action: JobAction
}): Promise<JobStateResult> => {
  const user = req.user
  if (!user) throw new AppError('UNAUTHORIZED', 'Log in to change an email job.')
  const job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0, user, overrideAccess: false, disableErrors: true })
  if (!job) throw new AppError('NOT_FOUND', 'No such email job, or you cannot see it.')
  const org = relationID(job.org)!
  if (!hasOrgPermission(user, org, 'jobs.cancel')) throw new AppError('FORBIDDEN', 'Your role cannot cancel, pause or resume email jobs.')
  const transition = JOB_TRANSITIONS[action]
  const refuse = (status: string) =>
    new AppError('CONFLICT', `This job is ${status.replace(/_/g, ' ')}, so it cannot be ${transition.verb}${action in REQUEUE ? '' : ' now'}.`)
  if (!transition.from.includes(job.status)) throw refuse(job.status)

  const { status, requeued } = await inTransaction(payload, async (client): Promise<{ status: string; requeued?: number }> => {
    // Resend locks the recipients before the job, the same order as the send pipeline's outcome writes
    // (recipients, then the job's counters), so the two can never deadlock; a refused action rolls back.
    const requeue = action in REQUEUE ? REQUEUE[action as keyof typeof REQUEUE] : null
    const moved = requeue
      ? await client.query(
          `UPDATE email_recipients SET status = 'pending', next_attempt_at = NULL, last_error = NULL, failed_at = NULL, claim_token = NULL, handed_off_at = NULL, updated_at = now()
            WHERE job_id = $1 AND status = $2`,
          [job.id, requeue.from],
        )
      : null
    const { rows } = await client.query<{ status: string }>('SELECT status::text FROM email_jobs WHERE id = $1 FOR NO KEY UPDATE', [job.id])
    const current = rows[0]?.status ?? 'missing'
    if (!transition.from.includes(current)) throw refuse(current)
    if (moved && requeue) {
      const requeued = moved.rowCount ?? 0
      if (!requeued) throw new AppError('CONFLICT', requeue.none)
      const status = current === 'paused' ? 'paused' : 'sending'
      // The counter column comes from the constant table above, never from input.
      await client.query(
        `UPDATE email_jobs SET status = $2::enum_email_jobs_status, pending = pending + $3, ${requeue.counter} = ${requeue.counter} - $3,
                completed_at = NULL, consecutive_failures = 0, updated_at = now() WHERE id = $1`,
        [job.id, status, requeued],
      )
      return { status, requeued }
    }
    const status = action === 'cancel' ? 'cancelled' : action === 'pause' ? 'paused' : 'sending'
    // A person's decision clears a pause the job took by itself, and starts its failure count afresh.
    await client.query(
      `UPDATE email_jobs SET status = $2::enum_email_jobs_status, updated_at = now(), paused_reason = NULL, consecutive_failures = 0,
              completed_at = CASE WHEN $2 = 'cancelled' THEN now() ELSE completed_at END WHERE id = $1`,
      [job.id, status],
    )
    return { status }
  })
  await recordAudit(req, {
    action: AUDIT_ACTION[action],
    org,
    target: { collection: 'email-jobs', id: job.id },
    summary: `"${job.name}" ${transition.verb}${requeued !== undefined ? `: ${requeued} ${REQUEUE[action as keyof typeof REQUEUE].what} will be sent again` : ''}`,
  })
  if (status === 'sending') await ensureSendTrigger({ payload, jobID: job.id })
  return { jobID: job.id, status, ...(requeued !== undefined ? { requeued } : {}) }
}
