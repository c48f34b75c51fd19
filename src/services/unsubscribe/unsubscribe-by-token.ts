import { createLocalReq, type Payload } from 'payload'

import { AppError } from '../errors/app-error'
import { type UnsubscribeClaim, verifyUnsubscribeToken } from './unsubscribe-token'

export type UnsubscribeTarget = UnsubscribeClaim & { orgName: string }

/** What a token unsubscribes (its org must exist); a bad, tampered or stale token is a 400 with a reason. */
export const resolveUnsubscribeToken = async (payload: Payload, token: string): Promise<UnsubscribeTarget> => {
  const claim = verifyUnsubscribeToken(token)
  if (!claim) throw new AppError('INVALID_INPUT', 'This unsubscribe link is not valid. It may have been cut short by your email program: open it from the message again.')
  const org = await payload.findByID({ collection: 'organizations', id: claim.org, depth: 0, disableErrors: true })
  if (!org) throw new AppError('INVALID_INPUT', 'This unsubscribe link belongs to an organisation that no longer exists.')
  return { ...claim, orgName: org.name }
}

/**
 * Unsubscribes the address a signed token names from its org on its channel: an active `unsubscribe`
 * suppression (audited by the suppressions collection), which every later message of every job —
 * also those already queued or sending — honours. Idempotent: an address already suppressed stays so.
 */
export const unsubscribeByToken = async ({ payload, token, source }: { payload: Payload; token: string; source: string }) => {
  const target = await resolveUnsubscribeToken(payload, token)
  const existing = await payload.find({
    collection: 'suppressions',
    where: {
      and: [{ org: { equals: target.org } }, { address: { equals: target.address } }, { channel: { equals: target.channel } }, { status: { equals: 'active' } }],
    },
    limit: 1,
    depth: 0,
  })
  if (existing.docs.length) return { ...target, alreadySuppressed: true }
  const req = await createLocalReq({}, payload)
  await payload.create({
    collection: 'suppressions',
    req,
    data: { org: target.org, address: target.address, channel: target.channel, reason: 'unsubscribe', status: 'active', source },
  })
  return { ...target, alreadySuppressed: false }
}
