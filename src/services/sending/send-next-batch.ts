import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'
import { type BatchResult, EmailSendError, type EmailTransport, type OutgoingEmail } from '@/integrations/email'

import { type RecipientOutcome, applyRecipientOutcomes } from './apply-recipient-outcomes'
import { buildRecipientMessage } from './build-recipient-message'
import { type ClaimedRecipient, claimNextBatch, releaseClaims } from './claim-next-batch'
import { findActiveSuppressions } from './find-active-suppressions'
import { type FinishedJob, finalizeEmailJob } from './finalize-email-job'
import type { SendContext } from './load-send-context'
import { packMessageContent } from './pack-message-content'
import { readEmailJobStatus } from './read-email-job-status'
import { reserveSendSlots } from './reserve-send-slots'
import { type SuppressionCandidate, suppressAddresses } from '../suppressions/suppress-addresses'

export type BatchReport =
  | { kind: 'sent'; claimed: number; sent: number; failed: number; retrying: number; excluded: number }
  /** The org's per-minute limit is used up; the next slot frees in `retryAfterMs`. */
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** Nothing is due now; `nextDueAt` is when a retry (or an in-flight lease) comes due. */
  | { kind: 'idle'; nextDueAt: Date | null }
  | { kind: 'finished'; job: FinishedJob | null }
  /** The job is not sending (paused, cancelled, finished); `status` says which. */
  | { kind: 'inactive'; status: string }

export const DEFAULT_LEASE_SECONDS = 60
const MAX_BACKOFF_SECONDS = 24 * 3600

/** Exponential backoff: the retry delay, doubled for each attempt already made, capped at a day. */
export const retryDelayFor = (attempt: number, retryDelaySeconds: number): number =>
  Math.min(MAX_BACKOFF_SECONDS, retryDelaySeconds * 2 ** Math.max(0, attempt - 1))

const outcomeFor = (recipient: ClaimedRecipient, result: BatchResult, context: SendContext): RecipientOutcome => {
  if (result.ok) return { id: recipient.id, attempt: recipient.attempts, status: 'sent', providerMessageID: result.providerMessageID }
  const { error } = result
  const maxAttempts = 1 + context.settings.maxRetries
  if (error.kind === 'transient' && recipient.attempts < maxAttempts) {
    return {
      id: recipient.id,
      attempt: recipient.attempts,
      status: 'pending',
      error: `${error.message} Retrying (attempt ${recipient.attempts} of ${maxAttempts}).`,
      providerCode: error.providerCode,
      retryInSeconds: retryDelayFor(recipient.attempts, context.settings.retryDelaySeconds),
    }
  }
  const gaveUp = error.kind === 'transient' ? ` Gave up after ${recipient.attempts} attempts.` : ''
  return { id: recipient.id, attempt: recipient.attempts, status: 'failed', error: `${error.message}${gaveUp}`, providerCode: error.providerCode }
}

/**
 * One step of a job for one worker: claim a batch (atomic, leased), take rate-limit slots for it,
 * drop addresses suppressed since queueing, send through the org's provider, and write every outcome
 * with the counters. When nothing is left the job is finalised. Safe to run on any number of workers
 * at once: each recipient is claimed by exactly one.
 */
export const sendNextBatch = async ({
  payload,
  context,
  transport,
  leaseSeconds = DEFAULT_LEASE_SECONDS,
  secret,
}: {
  payload: Payload
  context: SendContext
  transport: EmailTransport | (() => EmailTransport)
  leaseSeconds?: number
  secret?: string
}): Promise<BatchReport> => {
  const { jobID, settings } = context
  const pool = dbPool(payload)
  {
    // The first step moves a queued job to sending (later steps match no row: nothing is written per
    // batch). The status is read in a second statement: within one statement a concurrent promotion
    // would still show the old 'queued'.
    const client = await pool.connect()
    try {
      await client.query(`UPDATE email_jobs SET status = 'sending', updated_at = now() WHERE id = $1 AND status = 'queued'`, [jobID])
    } finally {
      client.release()
    }
    const status = await readEmailJobStatus(payload, jobID)
    if (status !== 'sending') return { kind: 'inactive', status }
  }

  const claimed = await claimNextBatch({ payload, jobID, limit: settings.batchSize, leaseSeconds })
  if (!claimed.length) {
    const job = await finalizeEmailJob({ payload, jobID })
    if (job) return { kind: 'finished', job }
    const client = await pool.connect()
    try {
      const { rows } = await client.query<{ status: string; due: Date | null; active: number }>(
        `SELECT j.status::text AS status,
                -- A due retry, or (while another loop's batch is in flight) a second from now, when its outcomes may add retries.
                (SELECT min(CASE WHEN r.status = 'pending' THEN coalesce(r.next_attempt_at, now()) ELSE now() + interval '1 second' END)
                   FROM email_recipients r WHERE r.job_id = j.id AND r.status IN ('pending', 'sending')) AS due,
                (SELECT count(*)::int FROM email_recipients r WHERE r.job_id = j.id AND r.status IN ('pending', 'sending')) AS active
           FROM email_jobs j WHERE j.id = $1`,
        [jobID],
      )
      const row = rows[0]
      if (!row || row.status !== 'sending') return { kind: 'inactive', status: row?.status ?? 'missing' }
      if (row.active === 0) return { kind: 'finished', job: await finalizeEmailJob({ payload, jobID }) }
      return { kind: 'idle', nextDueAt: row.due }
    } finally {
      client.release()
    }
  }

  const { granted, retryAfterMs } = await reserveSendSlots({
    payload,
    key: `org:${context.org.id}:email`,
    limit: settings.perMinuteLimit,
    wanted: claimed.length,
  })
  const batch = claimed.slice(0, granted)
  await releaseClaims({ payload, recipients: claimed.slice(granted) })
  if (!batch.length) return { kind: 'rate_limited', retryAfterMs: Math.max(retryAfterMs, 250) }

  const outcomes: RecipientOutcome[] = []
  const client = await pool.connect()
  try {
    // An unsubscribe or bounce that arrived after queueing is honoured for every later message.
    const suppressed = await findActiveSuppressions(client, context.org.id, batch.map((r) => r.email))
    const toSend = batch.filter((recipient) => {
      const suppression = suppressed.get(recipient.email)
      if (suppression) {
        outcomes.push({ id: recipient.id, attempt: recipient.attempts, status: 'excluded', reason: suppression.reason, suppressionID: suppression.id })
      }
      return !suppression
    })
    let results: BatchResult[]
    try {
      const activeTransport = typeof transport === 'function' ? transport() : transport
      const messages: OutgoingEmail[] = toSend.map((recipient) => {
        const message = buildRecipientMessage({
          template: context.template,
          org: context.org,
          settings,
          recipient: { id: recipient.id, email: recipient.email, contact: recipient.contact },
          attachments: context.attachments,
          secret,
        })
        return activeTransport.kind === 'sendgrid' ? packMessageContent(message) : message
      })
      results = messages.length ? await activeTransport.sendBatch(messages) : []
    } catch (error) {
      // A configuration or rendering problem fails this batch's attempt as a whole (retried like any transient error).
      const failure =
        error instanceof EmailSendError ? error : new EmailSendError(`The message could not be prepared: ${(error as Error).message}`, 'transient', null)
      results = toSend.map(() => ({ ok: false as const, error: failure }))
    }
    const bounced: SuppressionCandidate[] = []
    toSend.forEach((recipient, index) => {
      const result = results[index]!
      outcomes.push(outcomeFor(recipient, result, context))
      // A hard bounce (the receiving server refused the address itself) suppresses the address, as a
      // SendGrid bounce event does: later jobs of this org exclude it.
      if (!result.ok && result.error.addressRejected) {
        bounced.push({
          org: context.org.id,
          channel: 'email',
          address: recipient.email,
          reason: 'bounce',
          status: 'active',
          source: 'smtp',
          note: `${result.error.message} (job ${jobID})`.slice(0, 1000),
        })
      }
    })
    await applyRecipientOutcomes(client, jobID, outcomes)
    if (bounced.length) await suppressAddresses(client, bounced, { id: null, label: 'SMTP bounce' })
  } finally {
    client.release()
  }
  const count = (status: RecipientOutcome['status']) => outcomes.filter((o) => o.status === status).length
  return { kind: 'sent', claimed: batch.length, sent: count('sent'), failed: count('failed'), retrying: count('pending'), excluded: count('excluded') }
}
