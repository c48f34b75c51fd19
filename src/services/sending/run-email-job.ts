import { randomUUID } from 'node:crypto'

import type { Payload } from 'payload'

import type { EmailTransport } from '@/integrations/email'
import type { SmsTransport } from '@/integrations/sms'

import { isShuttingDown, sleepUnlessShutdown } from '../jobs/shutdown'
import { loadSmsContext } from '../sms/load-sms-context'
import type { ChannelDriver, EngineContext } from './channel-driver'
import { emailChannel } from './channels/email-channel'
import { smsChannel } from './channels/sms-channel'
import { renewLeases } from './claim-next-batch'
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
 * batches and waiting out a retry's backoff when it comes due before the deadline. The run's claims
 * carry one token, and a heartbeat renews their lease every third of `leaseSeconds`, so a batch that
 * waits for its paced start times never expires while this process lives, and a dead process's claims
 * are reclaimed soon after its last beat. Idempotent and safe to run anywhere at once; returns when
 * there may be more to do. A worker that is stopping starts nothing more: the messages on the wire
 * finish, the rest go back to pending, so nothing is left `sending`.
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
  /** The transport to use instead of the channel's (tests, benchmarks). */
  transport?: EmailTransport | SmsTransport
}): Promise<RunReport> => {
  // The job's channel picks its driver; everything below is the one engine.
  const job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })
  const [context, driver] = (
    job.channel === 'sms' ? [await loadSmsContext(payload, job), smsChannel] : [await loadSendContext(payload, jobID), emailChannel]
  ) as unknown as [EngineContext, ChannelDriver<unknown, EngineContext>]
  const report: RunReport = { sent: 0, failed: 0, batches: 0, stop: 'deadline', again: new Date() }
  const claimToken = randomUUID()
  let done = false

  const heartbeat = setInterval(
    () =>
      void renewLeases({ payload, jobID, claimToken, leaseSeconds }).catch((error: unknown) =>
        payload.logger.warn({ err: error, jobID }, 'Could not renew the lease of the messages this worker holds'),
      ),
    Math.max(250, (leaseSeconds * 1000) / 3),
  )
  const wakeups: number[] = []
  const loop = async () => {
    while (!done && Date.now() < deadlineMs && !isShuttingDown()) {
      const step: BatchReport = await sendNextBatch({ payload, context, driver, transport: transport as never, leaseSeconds, claimToken })
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
      const wakeAt = step.nextDueAt?.getTime() ?? Date.now() + 1000
      if (wakeAt >= deadlineMs) {
        // Nothing for this loop before the deadline; the others may still be sending.
        wakeups.push(wakeAt)
        return
      }
      await sleepUnlessShutdown(Math.max(50, wakeAt - Date.now()))
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, loop))
  } finally {
    clearInterval(heartbeat)
  }
  if (done) report.again = null
  else if (wakeups.length === Math.max(1, concurrency)) {
    report.stop = 'waiting'
    report.again = new Date(Math.min(...wakeups))
  }
  return report
}
