import type { Payload } from 'payload'

import { normalizeAddress } from '../contacts/normalize-address'
import { applyOptOutReply } from '../suppressions/apply-opt-out-reply'
import type { SmsOrg } from './find-sms-org'

/** Carrier-standard words that lift an SMS opt-out, and those that ask for help (CTIA). */
const START_WORDS = new Set(['start', 'unstop', 'yes'])
const HELP_WORDS = new Set(['help', 'info'])

const onlyWord = (text: string): string =>
  text
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s.!?,;:'"()]+$/u, '')
    .replace(/^[\s.!?,;:'"()]+/u, '')

export type InboundSmsResult = {
  action: 'opted_out' | 'already_opted_out' | 'review' | 'opted_in' | 'not_opted_out' | 'help' | 'message'
  /** The one SMS to answer with, or null. */
  reply: null | string
}

/**
 * What an inbound SMS does, in the org that owns the receiving number:
 * - an opt-out keyword of the org (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT by default;
 *   any case, surrounding spaces and punctuation) suppresses the sender for SMS only, at once;
 *   a fuzzy match ("stop please", a misspelling) goes to the review queue, through the one matcher;
 * - START, UNSTOP or YES lifts the sender's SMS opt-out (audited);
 * - HELP or INFO is answered with the org's help text;
 * - anything else is an ordinary message (kept for the inbox).
 * At most one reply, and none for opt-outs and opt-ins when Twilio's Advanced Opt-Out has already
 * answered (`handledByTwilio`).
 */
export const applyInboundSms = async ({
  payload,
  org,
  from,
  body,
  handledByTwilio,
}: {
  payload: Payload
  org: SmsOrg
  from: string
  body: string
  handledByTwilio: boolean
}): Promise<InboundSmsResult> => {
  const word = onlyWord(body)
  if (HELP_WORDS.has(word)) {
    return { action: 'help', reply: org.helpText?.trim() || `${org.name}: reply STOP to opt out, START to opt back in.` }
  }
  if (START_WORDS.has(word)) {
    const address = normalizeAddress('sms', from)
    if (!address) return { action: 'message', reply: null }
    // A system action through the collection, so its hook audits each lift (suppression.lift).
    const { docs } = await payload.find({
      collection: 'suppressions',
      where: { and: [{ org: { equals: org.id } }, { channel: { equals: 'sms' } }, { address: { equals: address } }, { status: { equals: 'active' } }, { reason: { in: ['keyword', 'unsubscribe'] } }] },
      depth: 0,
      limit: 10,
      pagination: false,
    })
    for (const doc of docs) {
      await payload.update({ collection: 'suppressions', id: doc.id, data: { status: 'lifted', note: `Replied ${word.toUpperCase()}.` }, depth: 0 })
    }
    return {
      action: docs.length ? 'opted_in' : 'not_opted_out',
      reply: handledByTwilio || !docs.length ? null : `${org.name}: you are subscribed again. Reply STOP to opt out.`,
    }
  }
  const result = await applyOptOutReply({ payload, org: org.id, channel: 'sms', from, text: body, source: 'sms reply' })
  if (result.match.kind === 'exact') {
    return {
      action: result.alreadySuppressed ? 'already_opted_out' : 'opted_out',
      reply: handledByTwilio || result.alreadySuppressed ? null : `${org.name}: you are unsubscribed and will get no more messages. Reply START to subscribe again.`,
    }
  }
  if (result.match.kind === 'fuzzy') return { action: 'review', reply: null }
  return { action: 'message', reply: null }
}
