import { describe, expect, it } from 'vitest'

import { fuseRankings, RRF_K } from '@/services/knowledge/fuse-rankings'
import { maskPersonalData, unmaskPersonalData } from '@/services/knowledge/mask-personal-data'
import { stripUnknownCitations } from '@/services/knowledge/strip-unknown-citations'

describe('fuseRankings (reciprocal rank, k = 60)', () => {
  it('adds 1 / (k + rank) over the rankings that list an id', () => {
    const fused = fuseRankings([
      ['a', 'b', 'c'],
      ['c', 'a'],
    ])
    expect(fused.map((h) => h.id)).toEqual(['a', 'c', 'b'])
    expect(fused[0]).toEqual({ id: 'a', score: 1 / (RRF_K + 1) + 1 / (RRF_K + 2), ranks: [1, 2] })
    expect(fused[1]).toEqual({ id: 'c', score: 1 / (RRF_K + 3) + 1 / (RRF_K + 1), ranks: [3, 1] })
    expect(fused[2]).toEqual({ id: 'b', score: 1 / (RRF_K + 2), ranks: [2, null] })
  })

  it('an id found by two searches beats one ranked first by a single search', () => {
    const fused = fuseRankings([
      ['typo-hit', 'both'],
      ['fts-only', 'both'],
    ])
    expect(fused[0]!.id).toBe('both')
  })

  it('ties keep the order of first appearance; duplicates in one ranking count once; limit cuts', () => {
    expect(fuseRankings([['x'], ['y']]).map((h) => h.id)).toEqual(['x', 'y'])
    expect(fuseRankings([['x', 'x', 'y']])[0]).toEqual({ id: 'x', score: 1 / (RRF_K + 1), ranks: [1] })
    expect(fuseRankings([[1, 2, 3, 4]], { limit: 2 }).map((h) => h.id)).toEqual([1, 2])
    expect(fuseRankings([])).toEqual([])
  })
})

describe('maskPersonalData', () => {
  it('masks emails and phone numbers, the same value with the same placeholder, and puts them back', () => {
    const question = 'Can ada@example.com and +44 20 7946 0958 both book? Ada is on 020 7946-0958 too, ADA@example.com.'
    const { text, masks } = maskPersonalData(question)
    expect(text).toBe('Can [email 1] and [phone 1] both book? Ada is on [phone 2] too, [email 1].')
    expect(unmaskPersonalData(text, masks)).toBe(question.replace('ADA@example.com', 'ada@example.com'))
  })

  it('leaves the brackets of a sentence around a number outside the placeholder', () => {
    expect(maskPersonalData('I am Jo (07700 900123), or (020) 7946 0958.').text).toBe('I am Jo ([phone 1]), or [phone 2].')
  })

  it('numbers the context after the question with one map, and leaves dates, times and prices alone', () => {
    const { text: q, masks } = maskPersonalData('Call me on +1 (212) 555-0100.')
    const { text: context } = maskPersonalData('Office: +1 212 555 0100 or bookings@museum.org. Open 2026-12-06, 09:30–17:00, £12.50, room 101.', masks)
    expect(q).toBe('Call me on [phone 1].')
    expect(context).toBe('Office: [phone 1] or [email 1]. Open 2026-12-06, 09:30–17:00, £12.50, room 101.')
    expect(unmaskPersonalData('Ring [phone 1] or write to [email 1]; [phone 9] is unknown.', masks)).toBe(
      'Ring +1 (212) 555-0100 or write to bookings@museum.org; [phone 9] is unknown.',
    )
  })
})

describe('stripUnknownCitations', () => {
  it('keeps citations of retrieved sources, drops made-up ones, and lists what was cited', () => {
    const { text, cited } = stripUnknownCitations('We open at 10 [2]. Tickets cost £12 [7] [1]. Groups get 10 % off [2][0].', 3)
    expect(text).toBe('We open at 10 [2]. Tickets cost £12 [1]. Groups get 10 % off [2].')
    expect(cited).toEqual([2, 1])
  })

  it('with no sources every citation goes', () => {
    expect(stripUnknownCitations('As said [1].', 0)).toEqual({ text: 'As said.', cited: [] })
  })
})
