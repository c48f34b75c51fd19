import { randomUUID } from 'node:crypto'

import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'
import { SendError, type MessageTransport, type SendOutcome } from '@/integrations/sending/types'

import { type SuppressionCandidate, suppressAddresses } from '../suppressions/suppress-addresses'
import { sleepUnlessShutdown, isShuttingDown } from '../jobs/shutdown'
import { type RecipientOutcome, applyRecipientOutcomes, flushOutcomeLog, recordOutcomesAndHandOff, restoreAttempts } from './apply-recipient-outcomes'
import { type ChannelDriver, type EngineContext, rateKeyOf } from './channel-driver'
import { emailChannel } from './channels/email-channel'
import { type ClaimedRecipient, claimNextBatch, handOffRecipients, releaseClaims } from './claim-next-batch'
import { decideRetry } from './decide-retry'
import { type DispatchResult, dispatchMessages, isProviderFailure } from './dispatch-messages'
import { type FinishedJob, finalizeEmailJob } from './finalize-email-job'
import { inFlightLimiterFor } from './in-flight-limiter'
import { GROUP_LOOKAHEAD_MS, paceIntervalMs, paceSends } from './pace-sends'
import { recordProviderStreak } from './record-provider-streak'

export type BatchReport =
  | { kind: 'sent'; claimed: number; sent: number; failed: number; retrying: number; excluded: number; released: number }
  /** Nothing is due now; `nextDueAt` is when a retry (or an in-flight lease) comes due. */
  | { kind: 'idle'; nextDueAt: Date | null }
  | { kind: 'finished'; job: FinishedJob | null }
  /** The job is not sending (paused, cancelled, finished); `status` says which. */
  | { kind: 'inactive'; status: string }

/** A dead worker's claims are reclaimed this long after its last heartbeat (plus one sweep). */
export const DEFAULT_LEASE_SECONDS = 10
/** How often a batch's outcomes reach the job's counters while it is sending (the job page polls every 1.5 s). */
const PROGRESS_FLUSH_MS = 1000
/** A paced worker claims only what it can start within this horizon, leaving the rest to other workers. */
const PACED_CLAIM_HORIZON_MS = 5000
/** Without a setting in the job's snapshot (jobs queued before the breaker existed). */
const DEFAULT_PAUSE_AFTER_FAILURES = 20

const outcomeFor = (recipient: ClaimedRecipient, result: SendOutcome, context: EngineContext): RecipientOutcome => {
  if (result.ok) return { id: recipient.id, attempt: recipient.attempts, status: 'sent', providerMessageID: result.providerMessageID }
  const { error } = result
  const decision = decideRetry(error, recipient.attempts, 1 + context.settings.maxRetries, context.settings.retryDelaySeconds)
  return decision.retry
    ? { id: recipient.id, attempt: recipient.attempts, status: 'pending', error: decision.error, providerCode: error.providerCode, retryInSeconds: decision.retryInSeconds }
    : { id: recipient.id, attempt: recipient.attempts, status: 'failed', error: decision.error, providerCode: error.providerCode }
}

/** Moves a queued job to sending (later calls match no row) and says whether it is sending now. */
const activateJob = async (payload: Payload, jobID: number): Promise<{ status: string; streak: number }> => {
  const client = await dbPool(payload).connect()
  try {
    await client.query(`UPDATE email_jobs SET status = 'sending', updated_at = now() WHERE id = $1 AND status = 'queued'`, [jobID])
    // Read in a second statement: within one statement a concurrent promotion would still show the old 'queued'.
    const { rows } = await client.query<{ status: string; streak: number }>(
      'SELECT status::text AS status, consecutive_failures AS streak FROM email_jobs WHERE id = $1',
      [jobID],
    )
    return rows[0] ?? { status: 'missing', streak: 0 }
  } finally {
    client.release()
  }
}

/** Nothing claimable: the job is finished, or when its next retry (or another loop's batch) comes due. */
const idleOrFinished = async (payload: Payload, jobID: number): Promise<BatchReport> => {
  const job = await finalizeEmailJob({ payload, jobID })
  if (job) return { kind: 'finished', job }
  const client = await dbPool(payload).connect()
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

/**
 * One step of a job for one worker, for any channel: claim a batch (atomic, leased, not yet handed
 * off), drop addresses suppressed since queueing, take paced start times for the rest, and dispatch
 * them: each message (or SendGrid request) is recorded as handed off just before it is sent, and its
 * outcome is logged, in the statement that hands off the next, as soon as it is answered; so never more
 * messages than the transport has on the wire are handed off and unrecorded. The logged outcomes go
 * onto the recipients and the counters at the end of the batch. What was not started (a pause, a
 * shutdown, the circuit breaker) goes back to pending uncounted. A run of provider failures pauses the
 * job (see recordProviderStreak). When nothing is left the job is finalised. Safe to run on
 * any number of workers at once: each recipient is claimed by exactly one.
 */
export const sendNextBatch = async <M, C extends EngineContext>({
  payload,
  context,
  driver = emailChannel as unknown as ChannelDriver<M, C>,
  transport,
  leaseSeconds = DEFAULT_LEASE_SECONDS,
  claimToken = randomUUID(),
  secret,
}: {
  payload: Payload
  context: C
  driver?: ChannelDriver<M, C>
  /** The transport to use instead of the driver's (tests, benchmarks). */
  transport?: MessageTransport<M> | (() => MessageTransport<M>)
  leaseSeconds?: number
  /** The claim's owner: a run passes its own, so its heartbeat renews every batch it holds. */
  claimToken?: string
  secret?: string
}): Promise<BatchReport> => {
  const { jobID, settings } = context
  const active = await activateJob(payload, jobID)
  if (active.status !== 'sending') return { kind: 'inactive', status: active.status }

  const intervalMs = paceIntervalMs({ perSecond: settings.perSecondLimit ?? null, perMinute: settings.perMinuteLimit })
  const limit = intervalMs > 0 ? Math.min(settings.batchSize, Math.max(1, Math.ceil(PACED_CLAIM_HORIZON_MS / intervalMs))) : settings.batchSize
  const claimed = await claimNextBatch({ payload, jobID, limit, leaseSeconds, claimToken })
  if (!claimed.length) return idleOrFinished(payload, jobID)

  const outcomes: RecipientOutcome[] = []
  const pool = dbPool(payload)
  let loggedSinceFlush = false
  const threshold = settings.pauseAfterFailures ?? DEFAULT_PAUSE_AFTER_FAILURES
  /**
   * Writes outcomes (and any refused addresses' suppressions). `via: 'log'` puts them in the outcome
   * log and hands off `handOff` in the same statement (a send loop's per-message step; returns the ids
   * handed off); otherwise they go straight to the recipients with the counters.
   */
  const write = async (written: RecipientOutcome[], rejected: SuppressionCandidate[], via: 'log' | 'rows', handOff: number[] = []): Promise<Set<number>> => {
    if (!written.length && !handOff.length) return new Set()
    const client = await pool.connect()
    try {
      const handedOff =
        via === 'log' ? await recordOutcomesAndHandOff(client, { jobID, claimToken, outcomes: written, handOff }) : (await applyRecipientOutcomes(client, jobID, claimToken, written), new Set<number>())
      outcomes.push(...written)
      if (via === 'log' && written.length) loggedSinceFlush = true
      if (rejected.length) await suppressAddresses(client, rejected, { id: null, label: driver.rejectedBy })
      return handedOff
    } finally {
      client.release()
    }
  }

  let toSend: ClaimedRecipient[]
  {
    // An unsubscribe or bounce that arrived after queueing is honoured for every later message.
    const excluded: RecipientOutcome[] = []
    const client = await pool.connect()
    try {
      const suppressed = await driver.findSuppressed(client, context, claimed.map((r) => r.email))
      toSend = claimed.filter((recipient) => {
        const suppression = suppressed.get(recipient.email)
        if (suppression) excluded.push({ id: recipient.id, attempt: recipient.attempts, status: 'excluded', reason: suppression.reason, suppressionID: suppression.id })
        return !suppression
      })
    } finally {
      client.release()
    }
    await write(excluded, [], 'rows')
  }

  // Answers in the order they came, and the job's run of provider failures as this batch moves it.
  const answers: { recipient: ClaimedRecipient; answer: SendOutcome }[] = []
  let streak = active.streak
  const released = new Set<number>()
  /** One group's answers: each becomes its outcome, written before the group's places on the wire are freed. */
  const outcomesOf = (group: ClaimedRecipient[], results: SendOutcome[]) => {
    const written: RecipientOutcome[] = []
    const rejected: SuppressionCandidate[] = []
    group.forEach((recipient, k) => {
      const answer = results[k]!
      answers.push({ recipient, answer })
      streak = answer.ok ? 0 : isProviderFailure(answer.error) ? streak + 1 : 0
      if (!answer.ok && isProviderFailure(answer.error) && streak >= threshold) {
        // The provider is down: this failure says nothing about the recipient, whose attempt is given back.
        written.push({ id: recipient.id, attempt: recipient.attempts, status: 'released', error: `${answer.error.message} The job paused itself.`, providerCode: answer.error.providerCode })
        released.add(recipient.id)
        return
      }
      written.push(outcomeFor(recipient, answer, context))
      if (!answer.ok) {
        const candidate = driver.rejectedAddress?.(context, recipient, answer.error)
        if (candidate) rejected.push(candidate)
      }
    })
    return { written, rejected }
  }

  let results: DispatchResult[] = toSend.map(() => ({ ok: false as const, state: 'not_started' as const }))
  let failure: unknown = null
  if (toSend.length) {
    let activeTransport: MessageTransport<M> | null = null
    let messages: M[] = []
    try {
      activeTransport = typeof transport === 'function' ? transport() : (transport ?? driver.transport(context))
      messages = driver.buildMessages(context, toSend, activeTransport, secret)
    } catch (error) {
      // A configuration or rendering problem fails this batch's attempt as a whole (retried like any
      // transient error); nothing was handed off. It counts towards the breaker like a refused account.
      const failed =
        error instanceof SendError ? error : new SendError(`The message could not be prepared: ${(error as Error).message}`, 'transient', null, false, true)
      activeTransport = null
      const { written, rejected } = outcomesOf(toSend, toSend.map(() => ({ ok: false as const, error: failed })))
      await write(written, rejected, 'rows')
      results = toSend.map(() => ({ ok: false as const, error: failed }))
    }
    if (activeTransport && messages.length) {
      const sender = activeTransport
      const pace = await paceSends({ payload, key: rateKeyOf(driver.channel, context), intervalMs, count: toSend.length })
      // While the batch is on the wire, its logged outcomes reach the recipients and the job's counters
      // every PROGRESS_FLUSH_MS (in one transaction each, so rows and counters agree): the job page moves
      // with every message, not once per batch, however large the batch and slow the provider.
      let flushing: null | Promise<void> = null
      // A person may pause or cancel the job while its batch is on the wire: read its status with each
      // flush, and once it is no longer sending, start nothing more (what was handed off finishes; the
      // rest goes back to pending below). Claims already require a sending job; this stops a claimed batch.
      let halted = false
      let checking = false
      const watchStatus = async () => {
        if (checking || halted) return
        checking = true
        try {
          const { rows } = await pool.query<{ status: string }>('SELECT status::text AS status FROM email_jobs WHERE id = $1', [jobID])
          if (rows[0]?.status !== 'sending') halted = true
        } catch {
          // Read again at the next flush.
        } finally {
          checking = false
        }
      }
      const flusher = setInterval(() => {
        void watchStatus()
        if (flushing || !loggedSinceFlush) return
        loggedSinceFlush = false
        flushing = (async () => {
          try {
            const client = await pool.connect()
            try {
              await flushOutcomeLog(client, jobID, claimToken)
            } finally {
              client.release()
            }
          } catch {
            // Nothing lost: the outcomes stay in the log for the next flush (the batch's last one below).
            loggedSinceFlush = true
          } finally {
            flushing = null
          }
        })()
      }, PROGRESS_FLUSH_MS)
      try {
        results = await dispatchMessages({
          count: toSend.length,
          limiter: inFlightLimiterFor(sender),
          startAt: (index) => pace.firstAt + index * pace.intervalMs,
          handOff: async (indexes) => {
            const ids = await handOffRecipients({ payload, jobID, claimToken, ids: indexes.map((i) => toSend[i]!.id) })
            return new Set(indexes.filter((i) => ids.has(toSend[i]!.id)))
          },
          send: (indexes) => sender.sendBatch(indexes.map((i) => messages[i]!)),
          record: async (indexes, sent, successors) => {
            const { written, rejected } = outcomesOf(indexes.map((i) => toSend[i]!), sent)
            const ids = await write(written, rejected, 'log', successors.map((i) => toSend[i]!.id))
            return new Set(successors.filter((i) => ids.has(toSend[i]!.id)))
          },
          // Start nothing more from this batch when the worker stops, a write failed, the provider looks
          // down, or the job was paused or cancelled.
          shouldStop: () => isShuttingDown() || streak >= threshold || halted,
          sleep: sleepUnlessShutdown,
          groupLookaheadMs: GROUP_LOOKAHEAD_MS,
          chainSize: sender.packsMessages ? Number.POSITIVE_INFINITY : 1,
        })
      } catch (error) {
        // A hand-off or outcome could not be recorded: what was not handed off goes back below; what was
        // stays handed off, and its lease running out makes it unknown.
        failure ??= error
      } finally {
        clearInterval(flusher)
        await flushing
      }
    }
  }

  // The batch's logged outcomes go onto its recipients, with the counters, in one set-based statement.
  // (If this worker dies first, the sweeper flushes them once the leases run out.)
  {
    const client = await pool.connect()
    try {
      await flushOutcomeLog(client, jobID, claimToken)
    } catch (error) {
      failure ??= error
    } finally {
      client.release()
    }
  }

  // The circuit breaker: the batch moves the job's run of consecutive provider failures on.
  const successes = answers.filter((a) => a.answer.ok).length
  let trailing = 0
  for (const { answer } of answers) trailing = answer.ok ? 0 : isProviderFailure(answer.error) ? trailing + 1 : 0
  if (answers.length && (successes > 0 || trailing > 0)) {
    const last = answers.at(-1)!.answer
    const breaker = await recordProviderStreak({
      payload,
      jobID,
      successes,
      trailingFailures: trailing,
      threshold,
      reason: last.ok ? 'The provider failed every message.' : last.error.message,
    })
    if (breaker.tripped || breaker.streak >= threshold) {
      // The failures that led up to the pause were written as ordinary retries: give their attempts back too.
      const client = await pool.connect()
      try {
        const retried = answers.slice(answers.length - trailing).map((a) => a.recipient.id).filter((id) => !released.has(id))
        await restoreAttempts(client, jobID, retried)
      } finally {
        client.release()
      }
    }
  }

  const notStarted = toSend.filter((_, index) => {
    const result = results[index]
    return result && 'state' in result && result.state === 'not_started'
  })
  await releaseClaims({ payload, recipients: notStarted })
  if (failure) throw failure
  const count = (status: RecipientOutcome['status']) => outcomes.filter((o) => o.status === status).length
  return {
    kind: 'sent',
    claimed: claimed.length,
    sent: count('sent'),
    failed: count('failed'),
    retrying: count('pending'),
    excluded: count('excluded'),
    released: count('released') + notStarted.length,
  }
}
