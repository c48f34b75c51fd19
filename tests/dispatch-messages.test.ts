import { describe, expect, it } from 'vitest'

import { SendError, type SendOutcome } from '@/integrations/sending/types'
import { dispatchMessages } from '@/services/sending/dispatch-messages'
import { InFlightLimiter } from '@/services/sending/in-flight-limiter'
import { paceIntervalMs } from '@/services/sending/pace-sends'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A transport stand-in that records what was on the wire at once and answers after `ms`. */
const wire = (ms: number, answer: (index: number) => SendOutcome = () => ({ ok: true, providerMessageID: null })) => {
  let onWire = 0
  let most = 0
  const sentAt: number[] = []
  return {
    get most() {
      return most
    },
    sentAt,
    send: async (indexes: number[]) => {
      onWire += indexes.length
      most = Math.max(most, onWire)
      for (const index of indexes) sentAt[index] = Date.now()
      await sleep(ms)
      onWire -= indexes.length
      return indexes.map(answer)
    },
  }
}

/** The bookkeeping a database would do: hand-offs and outcomes, checking that unrecorded hand-offs never exceed `limit`. */
const ledger = (limit: number, refuse: (index: number) => boolean = () => false) => {
  const handedOff = new Set<number>()
  const recorded = new Set<number>()
  let most = 0
  const mark = (indexes: number[]) => {
    const ours = indexes.filter((i) => !refuse(i))
    for (const i of ours) handedOff.add(i)
    most = Math.max(most, handedOff.size - recorded.size)
    expect(handedOff.size - recorded.size).toBeLessThanOrEqual(limit)
    return new Set(ours)
  }
  return {
    handedOff,
    recorded,
    get most() {
      return most
    },
    handOff: async (indexes: number[]) => mark(indexes),
    record: async (indexes: number[], _outcomes: SendOutcome[], successors: number[]) => {
      for (const i of indexes) recorded.add(i)
      return mark(successors)
    },
  }
}

describe('dispatchMessages', () => {
  it('never has more on the wire, or handed off and unrecorded, than the limit, even across dispatches sharing a limiter', async () => {
    const limiter = new InFlightLimiter(3)
    const transport = wire(15)
    const book = ledger(3)
    const run = (offset: number) =>
      dispatchMessages({
        count: 10,
        limiter,
        startAt: () => 0,
        handOff: async (indexes) => {
          // Nothing of this group is on the wire yet when its hand-off is recorded.
          for (const i of indexes) expect(transport.sentAt[i + offset]).toBeUndefined()
          const ours = await book.handOff(indexes.map((i) => i + offset))
          return new Set(indexes.filter((i) => ours.has(i + offset)))
        },
        send: (indexes) => transport.send(indexes.map((i) => i + offset)),
        record: async (indexes, outcomes, successors) => {
          for (const i of successors) expect(transport.sentAt[i + offset]).toBeUndefined()
          const ours = await book.record(indexes.map((i) => i + offset), outcomes, successors.map((i) => i + offset))
          return new Set(successors.filter((i) => ours.has(i + offset)))
        },
        shouldStop: () => false,
        sleep,
      })
    const [a, b] = await Promise.all([run(0), run(100)])
    expect(transport.most).toBeLessThanOrEqual(3)
    expect(book.most).toBeLessThanOrEqual(3)
    expect([...a, ...b].every((r) => r.ok)).toBe(true)
    expect([...book.recorded].sort((x, y) => x - y)).toEqual([...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => i + 100)])
    expect(limiter.available).toBe(3)
  })

  it('starts nothing after a stop, sends nothing whose claim was lost, and waits for each paced start', async () => {
    const limiter = new InFlightLimiter(5)
    const transport = wire(1, (i) => (i < 3 ? { ok: false, error: new SendError('down', 'transient', 'ECONNREFUSED') } : { ok: true, providerMessageID: `m${i}` }))
    const book = ledger(5, (i) => i === 1) // 1's claim is someone else's now
    const t0 = Date.now() + 20
    let failures = 0
    const results = await dispatchMessages({
      count: 8,
      limiter,
      startAt: (i) => t0 + i * 30,
      handOff: book.handOff,
      send: (indexes) => transport.send(indexes),
      record: async (indexes, outcomes, successors) => {
        failures += outcomes.filter((o) => !o.ok).length
        return book.record(indexes, outcomes, successors)
      },
      shouldStop: () => failures >= 2,
      sleep,
    })
    expect(results[1]).toEqual({ ok: false, state: 'lost' })
    expect(transport.sentAt[1]).toBeUndefined()
    expect(results.slice(0, 3).filter((r) => !r.ok && 'error' in r)).toHaveLength(2)
    // After the second failure nothing more started: the rest stay unstarted.
    expect(results.slice(3)).toEqual(Array.from({ length: 5 }, () => ({ ok: false, state: 'not_started' })))
    for (const i of [0, 2]) expect(transport.sentAt[i]!).toBeGreaterThanOrEqual(t0 + i * 30)
  })

  it('a failing record stops the dispatch and is thrown once the sends in flight have answered', async () => {
    const limiter = new InFlightLimiter(1)
    const transport = wire(20)
    let calls = 0
    const dispatch = dispatchMessages({
      count: 3,
      limiter,
      startAt: () => 0,
      handOff: async (indexes) => new Set(indexes),
      send: (indexes) => transport.send(indexes),
      record: async (_indexes, _outcomes, successors) => {
        calls += 1
        if (calls === 2) throw new Error('database gone')
        return new Set(successors)
      },
      shouldStop: () => false,
      sleep,
    })
    await expect(dispatch).rejects.toThrow('database gone')
    expect(transport.sentAt.filter(Boolean)).toHaveLength(2)
    expect(limiter.available).toBe(1)
  })
})

describe('paceIntervalMs', () => {
  it('spaces messages by the tighter rate, 2 % under it, and not at all without one', () => {
    expect(paceIntervalMs({ perSecond: 4, perMinute: 600 })).toBeCloseTo(255)
    expect(paceIntervalMs({ perSecond: 10, perMinute: 30 })).toBeCloseTo(2040)
    expect(paceIntervalMs({ perSecond: null, perMinute: 600 })).toBeCloseTo(102)
    expect(paceIntervalMs({ perSecond: null, perMinute: null })).toBe(0)
  })
})
