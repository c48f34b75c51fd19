import type { Payload, PayloadRequest } from 'payload'

import { relationID } from '@/access/orgAccess'

import { AppError } from '../errors/app-error'
import { parseSegmentRules, type SegmentRules } from './segment-rules'

type User = NonNullable<PayloadRequest['user']>

/**
 * The rules of segments an audience or a filter names, read through Payload's access control as the
 * user (without one: system work). Each must be a segment of `org` the user can see, with valid rules:
 * otherwise a 400 naming it, so another org's segment is never resolved.
 */
export const readOrgSegments = async ({
  payload,
  req,
  user,
  org,
  ids,
}: {
  payload: Payload
  req?: Partial<PayloadRequest>
  user: User | null | undefined
  org: number
  ids: readonly number[]
}): Promise<Map<number, SegmentRules>> => {
  const wanted = [...new Set(ids)]
  const segments = new Map<number, SegmentRules>()
  if (!wanted.length) return segments
  const { docs } = await payload.find({
    collection: 'segments',
    where: { id: { in: wanted } },
    depth: 0,
    limit: wanted.length,
    pagination: false,
    ...(req ? { req } : {}),
    ...(user ? { user, overrideAccess: false } : {}),
  })
  for (const id of wanted) {
    const segment = docs.find((doc) => Number(doc.id) === id)
    if (!segment || Number(relationID(segment.org)) !== org) throw new AppError('INVALID_INPUT', `There is no segment with id ${id} in this organisation, or you cannot see it.`)
    const parsed = parseSegmentRules(segment.rules)
    if (!parsed.ok) throw new AppError('INVALID_INPUT', `Segment "${segment.name}" has rules that are not valid: ${parsed.problems.join(' ')}`)
    segments.set(id, parsed.rules)
  }
  return segments
}
