import { SendError, type SendOutcome } from '@/integrations/sending/types'

import type { InFlightLimiter } from './in-flight-limiter'

/**
 * What became of one claimed message in a dispatch:
 * - a provider outcome (it was handed off and sent, or failed);
 * - `not_started`: never handed off (the dispatch stopped first): it goes back to pending, uncounted;
 * - `lost`: its claim was no longer ours when we came to hand it off (the lease ran out and someone
 *   else holds it now): nothing was sent and nothing may be written for it.
 */
export type DispatchResult = SendOutcome | { ok: false; state: 'not_started' } | { ok: false; state: 'lost' }

/** Failures that say the provider (not this message) is in trouble: they count towards pausing the job. */
export const isProviderFailure = (error: SendError): boolean => error.kind === 'transient' || error.accountLevel

/**
 * Hands claimed messages to a transport one group at a time, so a crash leaves only what was really
 * on the wire with an unknown outcome:
 * - each message waits for its paced start (`startAt`, epoch ms);
 * - a group is as many due messages (or due within `groupLookaheadMs`) as the in-flight limiter allows;
 * - `handOff` records, in the database and before anything is sent, that this group's sends start;
 *   it returns the ones still ours, and only those are sent;
 * - `shouldStop` is asked before every group (a pause, a shutdown, the provider failing every message):
 *   what has not started then stays unstarted.
 * Resolves when every started send has answered; never rejects for a send (a transport never does),
 * but a failing `handOff` stops the dispatch and is rethrown after the sends in flight have answered.
 */
export const dispatchMessages = async ({
  count,
  limiter,
  startAt,
  handOff,
  send,
  shouldStop,
  onResult,
  sleep,
  groupLookaheadMs = 0,
}: {
  /** Messages due within this many milliseconds join the group that starts now. */
  groupLookaheadMs?: number
  count: number
  limiter: InFlightLimiter
  startAt: (index: number) => number
  handOff: (indexes: number[]) => Promise<Set<number>>
  send: (indexes: number[]) => Promise<SendOutcome[]>
  shouldStop: () => boolean
  onResult?: (result: SendOutcome) => void
  sleep: (ms: number) => Promise<unknown>
}): Promise<DispatchResult[]> => {
  const results: DispatchResult[] = Array.from({ length: count }, () => ({ ok: false as const, state: 'not_started' as const }))
  const active = new Set<Promise<void>>()
  let next = 0
  let failure: unknown = null
  while (next < count && !shouldStop()) {
    const wait = startAt(next) - Date.now()
    if (wait > 0) {
      await sleep(wait)
      continue // look at the stop conditions again after waiting
    }
    let due = 1
    while (next + due < count && startAt(next + due) <= Date.now() + groupLookaheadMs) due += 1
    const taken = await limiter.acquire(due)
    if (shouldStop()) {
      limiter.release(taken)
      break
    }
    const group = Array.from({ length: taken }, (_, k) => next + k)
    next += taken
    let accepted: Set<number>
    try {
      accepted = await handOff(group)
    } catch (error) {
      limiter.release(taken)
      next -= taken
      failure = error
      break
    }
    const started = group.filter((index) => accepted.has(index))
    for (const index of group) if (!accepted.has(index)) results[index] = { ok: false, state: 'lost' }
    limiter.release(taken - started.length)
    if (!started.length) continue
    const sending: Promise<void> = send(started)
      .then((outcomes) =>
        started.forEach((index, k) => {
          const outcome = outcomes[k]!
          results[index] = outcome
          onResult?.(outcome)
        }),
      )
      .catch((error: unknown) => {
        // A transport never rejects; if one does, its messages count as failed attempts.
        const failed = new SendError(`The message could not be sent: ${(error as Error)?.message ?? String(error)}`, 'transient', null)
        for (const index of started) results[index] = { ok: false, error: failed }
      })
      .finally(() => {
        limiter.release(started.length)
        active.delete(sending)
      })
    active.add(sending)
  }
  await Promise.all(active)
  if (failure) throw failure
  return results
}
