import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { normalizeAddress } from '../contacts/normalize-address'
import { AppError } from '../errors/app-error'
import { matchOptOutKeyword, type OptOutMatch } from './match-opt-out-keyword'
import { suppressAddresses } from './suppress-addresses'

export type OptOutReplyResult = { match: OptOutMatch; suppression: null | { id: number; status: 'active' | 'pending_review' }; alreadySuppressed: boolean }

/**
 * What inbound handling calls for every reply: matches the text against the org's opt-out keywords for
 * the channel (its own list, else the defaults). An exact keyword suppresses the sender at once
 * (reason `keyword`); a fuzzy match puts the sender in the review queue with the matcher's reason; an
 * ordinary reply changes nothing. Audited; idempotent (one active and one pending entry per address).
 */
export const applyOptOutReply = async ({
  payload,
  org,
  channel,
  from,
  text,
  source = channel === 'sms' ? 'sms reply' : 'email reply',
}: {
  payload: Payload
  org: number
  channel: 'email' | 'sms'
  from: string
  text: string
  source?: string
}): Promise<OptOutReplyResult> => {
  const address = normalizeAddress(channel, from)
  if (address === null) {
    throw new AppError('INVALID_INPUT', `"${from.slice(0, 80)}" is not a valid ${channel === 'email' ? 'email address' : 'phone number'}.`)
  }
  const organization = await payload.findByID({ collection: 'organizations', id: org, depth: 0, disableErrors: true })
  if (!organization) throw new AppError('NOT_FOUND', 'No such organisation.')
  // A reply may hold NUL characters, which PostgreSQL cannot store (a review note quotes the reply).
  const match = matchOptOutKeyword({ text: text.replace(/\u0000/g, ''), channel, keywords: organization.optOutKeywords?.[channel] })
  if (match.kind === 'none') return { match, suppression: null, alreadySuppressed: false }
  const status = match.kind === 'exact' ? 'active' : 'pending_review'
  const note = match.kind === 'exact' ? `Replied "${match.keyword}".` : match.reason
  const client = await dbPool(payload).connect()
  try {
    const [created] = await suppressAddresses(client, [{ org, channel, address, reason: 'keyword', status, source, note }], { id: null, label: source })
    return { match, suppression: created ? { id: created.id, status: created.status } : null, alreadySuppressed: !created }
  } finally {
    client.release()
  }
}
