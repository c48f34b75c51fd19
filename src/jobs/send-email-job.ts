import type { TaskConfig } from 'payload'

import { envNumber } from '@/services/config/server-env'
import { ensureSendTrigger, SEND_TASK } from '@/services/sending/ensure-send-trigger'
import { ACTIVE_JOB_STATUSES, readEmailJobStatus } from '@/services/sending/read-email-job-status'
import { AttachmentOrgError } from '@/services/sending/load-send-context'
import { runEmailJob } from '@/services/sending/run-email-job'
import { DEFAULT_LEASE_SECONDS } from '@/services/sending/send-next-batch'
import { failEmailJob } from '@/services/sending/fail-email-job'

/**
 * A trigger for one email job: sends for up to EMAIL_RUN_SECONDS (default 20) with
 * EMAIL_WORKER_CONCURRENCY batch loops (default 2), then hands over to a follow-up trigger if work
 * remains. While it runs, one more trigger waits, so every free worker joins the job. Running it
 * twice, or on two workers at once, never sends anything twice.
 */
export const sendEmailJobTask: TaskConfig<{ input: { jobID: number }; output: { sent: number; failed: number; stop: string } }> = {
  slug: SEND_TASK,
  retries: 0,
  inputSchema: [{ name: 'jobID', type: 'number', required: true }],
  outputSchema: [
    { name: 'sent', type: 'number', required: true },
    { name: 'failed', type: 'number', required: true },
    { name: 'stop', type: 'text', required: true },
  ],
  handler: async ({ input, req }) => {
    // A trigger for a job that has ended, or is paused or cancelled, does nothing and makes no successor.
    const status = await readEmailJobStatus(req.payload, input.jobID)
    if (!ACTIVE_JOB_STATUSES.includes(status)) return { output: { sent: 0, failed: 0, stop: 'inactive' } }
    // Keep one trigger waiting while this one runs, so any idle worker (on any machine) joins in:
    // every running trigger claims its own batches.
    await ensureSendTrigger({ payload: req.payload, jobID: input.jobID })
    let report
    try {
      report = await runEmailJob({
        payload: req.payload,
        jobID: input.jobID,
        deadlineMs: Date.now() + envNumber('EMAIL_RUN_SECONDS', 20, { min: 1 }) * 1000,
        concurrency: envNumber('EMAIL_WORKER_CONCURRENCY', 2, { min: 1 }),
        leaseSeconds: envNumber('EMAIL_LEASE_SECONDS', DEFAULT_LEASE_SECONDS, { min: 1 }),
      })
    } catch (error) {
      // A job that can never be sent as it stands ends failed, with nothing sent, instead of being retried forever.
      if (!(error instanceof AttachmentOrgError)) throw error
      await failEmailJob({ payload: req.payload, jobID: input.jobID, reason: error.message })
      return { output: { sent: 0, failed: 0, stop: 'failed' } }
    }
    if (report.again) await ensureSendTrigger({ payload: req.payload, jobID: input.jobID, waitUntil: report.again })
    return { output: { sent: report.sent, failed: report.failed, stop: report.stop } }
  },
}

