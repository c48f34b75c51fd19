import { randomUUID } from 'node:crypto'

import type { PayloadRequest } from 'payload'

import { relationID } from '@/access/orgAccess'
import { dbPool } from '@/db/pool'

import { AppError } from '../errors/app-error'
import { rateKeyOf } from '../sending/channel-driver'
import { paceIntervalMs, paceSends } from '../sending/pace-sends'
import { resolveSendingSettings } from '../sending/resolve-sending-settings'
import { resolveSmsSettings } from '../sms/resolve-sms-settings'
import { deliverConversationReply } from './deliver-conversation-reply'
import { listReplyChannels } from './list-reply-channels'
import { readConversation } from './read-conversation'

/** The longest an SMS reply waits for its turn at the org's SMS rate before the person is told to retry. */
const MAX_PACE_WAIT_MS = 10_000
const LIMITS = { email: 20_000, sms: 1_600 } as const

export type SentReply = { message: number; status: 'failed' | 'queued' | 'sent'; error: null | string }

const subjectOf = (subject: null | string | undefined) => {
  const base = (subject ?? '').trim()
  return !base ? 'Re: your message' : /^re:/i.test(base) ? base : `Re: ${base}`
}

/**
 * Answers a conversation on the channel the person chose, if the contact is reachable there (else a
 * 400 with the reason): email through the org's provider, threaded (`Re:` subject, In-Reply-To and
 * References of the last email received, our own Message-ID kept so the answer to it threads back);
 * SMS through the org's SMS provider at its pace (shared with its jobs through PostgreSQL; a slot more
 * than 10 s away is a 429). The reply is stored as queued first and then delivered under its own claim
 * (deliverConversationReply): it ends sent, failed with the provider's reason as a sentence, or queued
 * for a retry after a transient failure; once sent, the thread is marked read.
 */
export const sendConversationReply = async ({ req, conversationID, channel, text }: { req: PayloadRequest; conversationID: number; channel: unknown; text: unknown }): Promise<SentReply> => {
  const conversation = await readConversation(req, conversationID, 'inbound.reply', 'Your role cannot reply to conversations.')
  if (channel !== 'email' && channel !== 'sms') throw new AppError('INVALID_INPUT', '`channel` must be "email" or "sms".')
  if (typeof text !== 'string' || !text.trim()) throw new AppError('INVALID_INPUT', 'Write the reply first: `text` is empty.')
  const body = text.replace(/\u0000/g, '').trim()
  if (body.length > LIMITS[channel]) throw new AppError('INVALID_INPUT', `An ${channel === 'sms' ? 'SMS' : 'email'} reply holds at most ${LIMITS[channel].toLocaleString('en-GB')} characters.`)
  const target = (await listReplyChannels({ payload: req.payload, conversation })).find((c) => c.channel === channel)!
  if (!target.available || !target.address) throw new AppError('INVALID_INPUT', `This contact cannot be answered that way (${target.reason}).`)
  const org = Number(relationID(conversation.org))
  const orgDoc = await req.payload.findByID({ collection: 'organizations', id: org, depth: 0, showHiddenFields: true })

  let provider: string
  let providerMessageID: string
  let subject: null | string = null
  let from: string
  let threading: null | { inReplyTo?: string; references?: string } = null
  let slotAt: number | undefined
  if (channel === 'email') {
    const settings = resolveSendingSettings(orgDoc)
    const { rows } = await dbPool(req.payload).query<{ subject: null | string; provider_message_i_d: string }>(
      `SELECT subject, provider_message_i_d FROM messages WHERE conversation_id = $1 AND channel = 'email' ORDER BY created_at DESC, id DESC LIMIT 10`,
      [conversation.id],
    )
    const thread = rows.map((r) => r.provider_message_i_d).filter((id) => /^<[^<>\s]+>$/.test(id))
    subject = subjectOf(rows[0]?.subject)
    providerMessageID = `<outpost-reply-${randomUUID()}@${settings.fromAddress.split('@')[1] ?? 'outpost.local'}>`
    provider = settings.provider
    from = settings.fromAddress
    threading = thread[0] ? { inReplyTo: thread[0], references: [...thread].reverse().join(' ') } : null
  } else {
    const settings = resolveSmsSettings(orgDoc)
    provider = settings.provider
    from = settings.fromNumber ?? settings.messagingServiceSid ?? 'outbox'
    providerMessageID = `pending-${randomUUID()}`
    // The org's SMS pace is shared with its running jobs: the reply takes the next free slot, if it is near.
    const pace = await paceSends({ payload: req.payload, key: rateKeyOf('sms', { org: { id: org }, settings }), intervalMs: paceIntervalMs({ perSecond: settings.perSecondLimit ?? null, perMinute: settings.perMinuteLimit }), count: 1 })
    const wait = pace.firstAt - Date.now()
    if (wait > MAX_PACE_WAIT_MS) throw new AppError('RATE_LIMITED', `SMS leave at the organisation’s rate and the next free slot is ${Math.ceil(wait / 1000)} s away: try again shortly.`)
    slotAt = pace.firstAt
  }
  // Kept first, as queued: from here the reply is delivered (and retried) under its own claim, so
  // nothing the person wrote is lost to a provider outage or a stopped worker.
  const { rows } = await dbPool(req.payload).query<{ id: number }>(
    `INSERT INTO messages (org_id, conversation_id, direction, channel, provider, provider_message_i_d, "from", "to", subject, body_text, status, threading, attempts, sent_by_id, created_at, updated_at)
     VALUES ($1, $2, 'outbound', $3, $4::enum_messages_provider, $5, $6, $7, $8, $9, 'queued', $10::jsonb, 0, $11, now(), now()) RETURNING id`,
    [org, conversation.id, channel, provider, providerMessageID, from, target.address, subject, body, threading ? JSON.stringify(threading) : null, req.user!.id],
  )
  const message = rows[0]!.id
  const delivery = await deliverConversationReply({ payload: req.payload, messageID: message, slotAt, org: orgDoc })
  return { message, status: delivery.status === 'busy' ? 'queued' : delivery.status, error: delivery.error }
}
