import type { Payload } from 'payload'

import type { EmailTransport } from '@/integrations/email'

import { isShuttingDown, sleepUnlessShutdown } from '../jobs/shutdown'
import { getOrgTransport } from './get-org-transport'
import { loadSendContext } from './load-send-context'
import { type BatchReport, DEFAULT_LEASE_SECONDS, sendNextBatch } from './send-next-batch'

export type RunReport = {
  sent: number
  failed: number
  batches: number
  /** Why the run stopped; `again` says when there may be more to do (null: nothing more). */
  stop: 'finished' | 'inactive' | 'deadline' | 'waiting'
  again: Date | null
}

/**
 * Sends a job's due recipients until the job ends, stops being `sending`, or `deadlineMs` passes:
 * `concurrency` loops each claim and send their own batches, pausing the org's batch delay between
 * batches and waiting out the rate limit or a retry's backoff when it frees up before the deadline.
 * Idempotent and safe to run anywhere at once; returns when there may be more to do. A worker that is
 * stopping ends the loops after the batches they hold (claiming no more), so nothing is left `sending`.
 */
export const runEmailJob = async ({
  payload,
  jobID,
  deadlineMs,
  concurrency = 1,
  leaseSeconds = DEFAULT_LEASE_SECONDS,
  transport,
}: {
  payload: Payload
  jobID: number
  deadlineMs: number
  concurrency?: number
  leaseSeconds?: number
  transport?: EmailTransport
}): Promise<RunReport> => {
  const context = await loadSendContext(payload, jobID)
  const report: RunReport = { sent: 0, failed: 0, batches: 0, stop: 'deadline', again: new Date() }
  let done = false

  const wakeups: number[] = []
  const loop = async () => {
    while (!done && Date.now() < deadlineMs && !isShuttingDown()) {
      const step: BatchReport = await sendNextBatch({ payload, context, transport: transport ?? (() => getOrgTransport(context)), leaseSeconds })
      if (step.kind === 'sent') {
        report.batches += 1
        report.sent += step.sent
        report.failed += step.failed
        if (context.settings.batchDelaySeconds > 0) await sleepUnlessShutdown(Math.min(context.settings.batchDelaySeconds * 1000, Math.max(0, deadlineMs - Date.now())))
        continue
      }
      if (step.kind === 'finished' || step.kind === 'inactive') {
        // The job is over (or not sending): every loop stops.
        done = true
        report.stop = step.kind
        return
      }
      const wakeAt = step.kind === 'rate_limited' ? Date.now() + step.retryAfterMs : (step.nextDueAt?.getTime() ?? Date.now() + 1000)
      if (wakeAt >= deadlineMs) {
        // Nothing for this loop before the deadline; the others may still be sending.
        wakeups.push(wakeAt)
        return
      }
      await sleepUnlessShutdown(Math.max(50, wakeAt - Date.now()))
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, loop))
  if (done) report.again = null
  else if (wakeups.length === Math.max(1, concurrency)) {
    report.stop = 'waiting'
    report.again = new Date(Math.min(...wakeups))
  }
  return report
}
