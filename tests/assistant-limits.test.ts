import { describe, expect, it } from 'vitest'

import { waitForSlidingMinute } from '@/services/knowledge/assistant-limits'

describe('the assistant’s sliding minute', () => {
  it('lets questions through while the estimate stays within the limit', () => {
    expect(waitForSlidingMinute({ count: 2, previous: 0, elapsed: 10, limit: 2 })).toBe(0)
    // Half of the previous minute's 2 still counts 30 s in: 1 + 1 = 2.
    expect(waitForSlidingMinute({ count: 1, previous: 2, elapsed: 30, limit: 2 })).toBe(0)
  })

  it('refuses a burst that straddles a minute boundary', () => {
    // Two questions at 59.9 s, the third at 0.2 s into the next minute: a calendar-minute counter
    // would see 1 and let it through.
    const wait = waitForSlidingMinute({ count: 1, previous: 2, elapsed: 0.2, limit: 2 })
    expect(wait).toBeGreaterThan(0)
    // It fits once half of the previous minute has slid out: at 30 s, so 30 s from 0.2 s.
    expect(wait).toBe(30)
    expect(waitForSlidingMinute({ count: 1, previous: 2, elapsed: 0.2 + wait, limit: 2 })).toBe(0)
  })

  it('says to wait into the next minute when this minute alone is full', () => {
    // Limit 2, the third question at 5 s: with 2 counted this minute, one more fits once 30 s of the next
    // minute have passed (2 × 0.5 + 1 = 2): 55 + 30 s.
    const wait = waitForSlidingMinute({ count: 3, previous: 0, elapsed: 5, limit: 2 })
    expect(wait).toBe(85)
    // A limit of 1: the next question fits only once this whole minute has slid out.
    expect(waitForSlidingMinute({ count: 2, previous: 0, elapsed: 5, limit: 1 })).toBe(115)
    expect(waitForSlidingMinute({ count: 3, previous: 0, elapsed: 59.9, limit: 2 })).toBeGreaterThanOrEqual(1)
  })
})
