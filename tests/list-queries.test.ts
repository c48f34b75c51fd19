import { describe, expect, it } from 'vitest'

import { normalizeWhere } from '@/access/normalizeWhere'
import { roundEstimate } from '@/db/list-queries'

describe('list queries', () => {
  it('a single-valued `in` becomes `equals` (also as Payload repeats ids as number and string), anywhere in a filter', () => {
    expect(normalizeWhere({ org: { in: [7, '7'] } })).toEqual({ org: { equals: 7 } })
    expect(normalizeWhere({ and: [{ org: { in: [7] } }, { or: [{ org: { in: ['3', 3] } }, { email: { like: 'x' } }] }] })).toEqual({
      and: [{ org: { equals: 7 } }, { or: [{ org: { equals: '3' } }, { email: { like: 'x' } }] }],
    })
    // Two orgs stay a list; an `in` beside an `equals` is left alone; nothing else changes.
    expect(normalizeWhere({ org: { in: [7, 8] } })).toEqual({ org: { in: [7, 8] } })
    expect(normalizeWhere({ org: { in: [7], equals: 8 } })).toEqual({ org: { in: [7], equals: 8 } })
    expect(normalizeWhere({ status: { equals: 'sent' }, tags: { exists: true } })).toEqual({ status: { equals: 'sent' }, tags: { exists: true } })
  })

  it('estimates keep two significant figures', () => {
    expect([roundEstimate(10_004), roundEstimate(339_512), roundEstimate(9_999_952), roundEstimate(87)]).toEqual([10_000, 340_000, 10_000_000, 87])
  })
})
