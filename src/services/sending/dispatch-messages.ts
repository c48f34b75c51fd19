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
 * - a group goes to the transport in chains of `chainSize` messages; when a chain is answered, `record`
 *   writes its outcomes and, in the same transaction, hands off the chain that takes its places on the
 *   wire (the next due messages, as many as it had): one round trip per chain, no chain waits for
 *   another, and never more handed off and unrecorded than the limiter allows;
 * - `shouldStop` is asked before every group (a pause, a shutdown, the provider failing every message):
 *   what has not started then stays unstarted.
 * Resolves when every started send has answered and been recorded. A transport never rejects; a failing
 * `handOff` or `record` stops the dispatch and is rethrown once the sends in flight have answered (their
 * rows stay handed off: their leases run out and they become unknown, which is the truth).
 */
export const dispatchMessages = async ({
  count,
  limiter,
  startAt,
  handOff,
  send,
  record,
  shouldStop,
  sleep,
  groupLookaheadMs = 0,
  chainSize = Number.POSITIVE_INFINITY,
}: {
  /**
   * How many messages go to the transport in one call: 1 for a transport that sends each message on
   * its own (SMTP connections, one HTTP request per SMS), unlimited for one that packs many into a
   * request (SendGrid).
   */
  chainSize?: number
  count: number
  limiter: InFlightLimiter
  startAt: (index: number) => number
  handOff: (indexes: number[]) => Promise<Set<number>>
  send: (indexes: number[]) => Promise<SendOutcome[]>
  /** Writes a group's outcomes and hands off `successors` in one transaction; returns the successors still ours. */
  record: (indexes: number[], outcomes: SendOutcome[], successors: number[]) => Promise<Set<number>>
  shouldStop: () => boolean
  sleep: (ms: number) => Promise<unknown>
  /** Messages due within this many milliseconds join the group that starts now. */
  groupLookaheadMs?: number
}): Promise<DispatchResult[]> => {
  const results: DispatchResult[] = Array.from({ length: count }, () => ({ ok: false as const, state: 'not_started' as const }))
  const active = new Set<Promise<void>>()
  let next = 0
  let failure: unknown = null
  const stopping = () => failure !== null || shouldStop()

  /** Up to `most` of the next messages whose start is due. */
  const takeDue = (most: number): number[] => {
    const group: number[] = []
    while (group.length < most && next < count && startAt(next) <= Date.now() + groupLookaheadMs) group.push(next++)
    return group
  }

  /** Sends a handed-off group (holding `places` of the limiter), records it with its successors, and carries on with them. */
  const run = async (group: number[], accepted: Set<number>, places: number): Promise<void> => {
    for (;;) {
      const started = group.filter((index) => accepted.has(index))
      for (const index of group) if (!accepted.has(index)) results[index] = { ok: false, state: 'lost' }
      let outcomes: SendOutcome[]
      try {
        outcomes = started.length ? await send(started) : []
      } catch (error) {
        // A transport never rejects; if one does, its messages count as failed attempts.
        const failed = new SendError(`The message could not be sent: ${(error as Error)?.message ?? String(error)}`, 'transient', null)
        outcomes = started.map(() => ({ ok: false, error: failed }))
      }
      started.forEach((index, k) => (results[index] = outcomes[k]!))
      const successors = stopping() ? [] : takeDue(places)
      let next: Set<number>
      try {
        next = started.length || successors.length ? await record(started, outcomes, successors) : new Set()
      } catch (error) {
        failure ??= error
        for (const index of successors) results[index] = { ok: false, state: 'not_started' }
        limiter.release(places)
        return
      }
      if (!successors.length) {
        limiter.release(places)
        return
      }
      limiter.release(places - successors.length)
      places = successors.length
      group = successors
      accepted = next
    }
  }

  while (next < count && !stopping()) {
    const wait = startAt(next) - Date.now()
    if (wait > 0) {
      await sleep(wait)
      continue // look at the stop conditions again after waiting
    }
    let due = 1
    while (next + due < count && startAt(next + due) <= Date.now() + groupLookaheadMs) due += 1
    const taken = await limiter.acquire(due)
    if (stopping()) {
      limiter.release(taken)
      break
    }
    const group = takeDue(taken)
    if (group.length < taken) limiter.release(taken - group.length)
    if (!group.length) continue // a running group took them meanwhile
    let accepted: Set<number>
    try {
      accepted = await handOff(group)
    } catch (error) {
      limiter.release(group.length)
      failure ??= error
      break
    }
    // Each chain carries at most `chainSize` messages at a time, so one slow message never holds back the others.
    for (let start = 0; start < group.length; start += chainSize) {
      const chain = group.slice(start, start + chainSize)
      const running: Promise<void> = run(chain, accepted, chain.length).finally(() => active.delete(running))
      active.add(running)
    }
  }
  while (active.size) await Promise.all([...active])
  if (failure) throw failure
  return results
}
