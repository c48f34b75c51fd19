import { randomUUID } from 'node:crypto'

import Handlebars from 'handlebars'
import type { PayloadRequest } from 'payload'

import { relationID } from '@/access/orgAccess'
import { dbPool } from '@/db/pool'
import { EmailSendError } from '@/integrations/email'

import { AppError } from '../errors/app-error'
import { rateKeyOf } from '../sending/channel-driver'
import { smsStatusCallbackUrl } from '../sending/channels/sms-channel'
import { getOrgTransport, TransportConfigError } from '../sending/get-org-transport'
import { paceIntervalMs, paceSends } from '../sending/pace-sends'
import { resolveSendingSettings } from '../sending/resolve-sending-settings'
import { getSmsTransport } from '../sms/get-sms-transport'
import { resolveSmsSettings } from '../sms/resolve-sms-settings'
import { listReplyChannels } from './list-reply-channels'
import { readConversation } from './read-conversation'

/** The longest an SMS reply waits for its turn at the org's SMS rate before the person is told to retry. */
const MAX_PACE_WAIT_MS = 10_000
const LIMITS = { email: 20_000, sms: 1_600 } as const

export type SentReply = { message: number; status: 'sent' | 'failed'; error: null | string }

const subjectOf = (subject: null | string | undefined) => {
  const base = (subject ?? '').trim()
  return !base ? 'Re: your message' : /^re:/i.test(base) ? base : `Re: ${base}`
}

/**
 * Answers a conversation on the channel the person chose, if the contact is reachable there (else a
 * 400 with the reason): email through the org's provider, threaded (`Re:` subject, In-Reply-To and
 * References of the last email received, our own Message-ID kept so the answer to it threads back);
 * SMS through the org's SMS provider at its pace (shared with its jobs through PostgreSQL). The reply
 * is kept in the thread as sent, or failed with the provider's reason as a sentence; the thread is
 * marked read.
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
  let failure: null | string = null
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
    try {
      const transport = getOrgTransport({ org: { id: org, name: orgDoc.name, postalAddress: orgDoc.postalAddress, sending: orgDoc.sending }, settings })
      await transport.send({
        from: { address: settings.fromAddress, name: settings.fromName },
        to: target.address,
        replyTo: settings.replyTo ?? undefined,
        subject,
        text: body,
        html: body
          .split(/\n{2,}/)
          .map((p) => `<p>${Handlebars.escapeExpression(p).replace(/\n/g, '<br>')}</p>`)
          .join('\n'),
        headers: { 'Message-ID': providerMessageID, ...(thread[0] ? { 'In-Reply-To': thread[0], References: [...thread].reverse().join(' ') } : {}) },
      })
    } catch (error) {
      if (error instanceof EmailSendError || error instanceof TransportConfigError) failure = error.message
      else throw error
    }
  } else {
    const settings = resolveSmsSettings(orgDoc)
    const context = {
      payload: req.payload,
      jobID: 0,
      org: { id: org, name: orgDoc.name, postalAddress: orgDoc.postalAddress, authTokenEncrypted: orgDoc.sms?.twilioAuthTokenEncrypted ?? null },
      settings,
      template: { smsBody: '' },
    }
    provider = settings.provider
    from = settings.fromNumber ?? settings.messagingServiceSid ?? 'outbox'
    providerMessageID = `pending-${randomUUID()}`
    try {
      const transport = getSmsTransport(context)
      // The org's SMS pace is shared with its running jobs: the reply takes the next free slot.
      const pace = await paceSends({ payload: req.payload, key: rateKeyOf('sms', context), intervalMs: paceIntervalMs({ perSecond: settings.perSecondLimit ?? null, perMinute: settings.perMinuteLimit }), count: 1 })
      const wait = pace.firstAt - Date.now()
      if (wait > MAX_PACE_WAIT_MS) throw new AppError('RATE_LIMITED', `SMS leave at the organisation’s rate and the next free slot is ${Math.ceil(wait / 1000)} s away: try again shortly.`)
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      const [result] = await transport.sendBatch([
        {
          to: target.address,
          ...(settings.messagingServiceSid ? { messagingServiceSid: settings.messagingServiceSid } : { from: settings.fromNumber ?? undefined }),
          body,
          statusCallback: transport.kind === 'twilio' ? smsStatusCallbackUrl() : undefined,
        },
      ])
      if (result?.ok) providerMessageID = result.providerMessageID ?? providerMessageID
      else failure = result?.error.message ?? 'The SMS could not be sent.'
    } catch (error) {
      if (error instanceof TransportConfigError) failure = error.message
      else throw error
    }
  }
  const { rows } = await dbPool(req.payload).query<{ id: number }>(
    `INSERT INTO messages (org_id, conversation_id, direction, channel, provider, provider_message_i_d, "from", "to", subject, body_text, status, error, sent_by_id, created_at, updated_at)
     VALUES ($1, $2, 'outbound', $3, $4::enum_messages_provider, $5, $6, $7, $8, $9, $10::enum_messages_status, $11, $12, now(), now()) RETURNING id`,
    [org, conversation.id, channel, provider, providerMessageID, from, target.address, subject, body, failure ? 'failed' : 'sent', failure, req.user!.id],
  )
  if (!failure) await dbPool(req.payload).query(`UPDATE conversations SET unread = false, last_message_at = now(), updated_at = now() WHERE id = $1`, [conversation.id])
  return { message: rows[0]!.id, status: failure ? 'failed' : 'sent', error: failure }
}
