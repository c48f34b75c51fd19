import { randomUUID } from 'node:crypto'

import Handlebars from 'handlebars'
import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'
import type { Organization } from '@/payload-types'
import type { SendOutcome } from '@/integrations/sending/types'

import { rateKeyOf } from '../sending/channel-driver'
import { smsStatusCallbackUrl } from '../sending/channels/sms-channel'
import { getOrgTransport, TransportConfigError } from '../sending/get-org-transport'
import { paceIntervalMs, paceSends } from '../sending/pace-sends'
import { resolveSendingSettings } from '../sending/resolve-sending-settings'
import { decideRetry } from '../sending/decide-retry'
import { getSmsTransport } from '../sms/get-sms-transport'
import { resolveSmsSettings } from '../sms/resolve-sms-settings'

/** A reply is tried at most this often (a first attempt and three retries) before it is failed. */
export const MAX_REPLY_ATTEMPTS = 4
/** The first retry comes this long after a transient failure, then doubling. */
const RETRY_DELAY_SECONDS = 30
/** A claim outlives the slowest provider call (30 s timeouts) with room to spare; the sweep frees it after. */
export const REPLY_LEASE_SECONDS = 120

export type ReplyDelivery = {
  /** sent; failed for good; queued for a retry (or a later pace slot); busy: not due, or another worker holds it. */
  status: 'busy' | 'failed' | 'queued' | 'sent'
  error: null | string
}

type Claimed = {
  id: number
  org_id: number
  channel: 'email' | 'sms'
  to: string
  subject: null | string
  body_text: string
  provider_message_i_d: string
  threading: null | { inReplyTo?: string; references?: string }
  attempts: number
}

const htmlOf = (body: string) =>
  body
    .split(/\n{2,}/)
    .map((p) => `<p>${Handlebars.escapeExpression(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n')

/**
 * Sends one queued outbound reply of the inbox, once, whatever the number of workers: the row is claimed
 * atomically in PostgreSQL (`queued` → `sending` with a claim token and a lease), marked handed off just
 * before the provider call, and its outcome is written only against that claim. Email goes through the
 * org's provider with the threading fixed when the reply was written, and carries the message id to
 * SendGrid (custom_args.outpost_reply_id) so its delivery events find the reply; SMS goes through the
 * org's SMS provider at the org's pace, shared with its jobs. A transient failure is retried with backoff
 * up to MAX_REPLY_ATTEMPTS by the sweep; a permanent one (or a settings problem) fails it with the reason.
 * `slotAt` is a pace slot the caller already reserved; without one, a slot further than `maxPaceWaitMs`
 * away puts the reply back, uncounted, until then.
 */
export const deliverConversationReply = async ({
  payload,
  messageID,
  slotAt,
  maxPaceWaitMs = 30_000,
  org,
}: {
  payload: Payload
  messageID: number
  slotAt?: number
  maxPaceWaitMs?: number
  /** The reply's organisation as the caller already read it (with hidden fields); read here otherwise. */
  org?: Organization
}): Promise<ReplyDelivery> => {
  const pool = dbPool(payload)
  const token = randomUUID()
  const { rows } = await pool.query<Claimed>(
    `UPDATE messages SET status = 'sending', attempts = coalesce(attempts, 0) + 1, claim_token = $2, handed_off_at = NULL,
            lease_expires_at = now() + make_interval(secs => $3), updated_at = now()
      WHERE id = $1 AND direction = 'outbound' AND status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now())
      RETURNING id, org_id, channel::text AS channel, "to", subject, body_text, provider_message_i_d, threading, attempts::int AS attempts`,
    [messageID, token, REPLY_LEASE_SECONDS],
  )
  const claimed = rows[0]
  if (!claimed) return { status: 'busy', error: null }

  /** Writes the outcome against this claim only: a sweep that took the row back makes it a no-op. */
  const finish = async (status: 'failed' | 'queued' | 'sent', fields: { error?: null | string; providerMessageID?: null | string; retryInSeconds?: number; uncount?: boolean }) => {
    await pool.query(
      `UPDATE messages SET status = $3::enum_messages_status, error = $4, provider_message_i_d = coalesce($5, provider_message_i_d),
              next_attempt_at = CASE WHEN $3 = 'queued' THEN now() + make_interval(secs => $6) ELSE NULL END,
              attempts = attempts - CASE WHEN $7 THEN 1 ELSE 0 END,
              claim_token = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND claim_token = $2 AND status = 'sending'`,
      [claimed.id, token, status, fields.error ?? null, fields.providerMessageID ?? null, fields.retryInSeconds ?? 0, fields.uncount ?? false],
    )
    if (status === 'sent') await pool.query(`UPDATE conversations SET unread = false, last_message_at = now(), updated_at = now() WHERE id = (SELECT conversation_id FROM messages WHERE id = $1)`, [claimed.id])
    return { status, error: fields.error ?? null } as ReplyDelivery
  }

  /**
   * Marks the claim handed off just before the provider call; false when the claim is no longer ours
   * (its lease ran out and the sweep took it back), and then nothing may be sent.
   */
  const handOff = async () => (await pool.query(`UPDATE messages SET handed_off_at = now() WHERE id = $1 AND claim_token = $2 AND status = 'sending'`, [claimed.id, token])).rowCount === 1

  const orgDoc = org?.id === claimed.org_id ? org : await payload.findByID({ collection: 'organizations', id: claimed.org_id, depth: 0, showHiddenFields: true })
  let result: SendOutcome
  try {
    if (claimed.channel === 'email') {
      const settings = resolveSendingSettings(orgDoc)
      const transport = getOrgTransport({ org: { id: orgDoc.id, name: orgDoc.name, postalAddress: orgDoc.postalAddress, sending: orgDoc.sending }, settings })
      const threading = claimed.threading ?? {}
      if (!(await handOff())) return { status: 'busy', error: null }
      ;[result] = (await transport.sendBatch([
        {
          from: { address: settings.fromAddress, name: settings.fromName },
          to: claimed.to,
          replyTo: settings.replyTo ?? undefined,
          subject: claimed.subject ?? 'Re: your message',
          text: claimed.body_text,
          html: htmlOf(claimed.body_text),
          headers: { 'Message-ID': claimed.provider_message_i_d, ...(threading.inReplyTo ? { 'In-Reply-To': threading.inReplyTo } : {}), ...(threading.references ? { References: threading.references } : {}) },
          replyReference: String(claimed.id),
        },
      ])) as [SendOutcome]
    } else {
      const settings = resolveSmsSettings(orgDoc)
      const context = {
        payload,
        jobID: 0,
        org: { id: orgDoc.id, name: orgDoc.name, postalAddress: orgDoc.postalAddress, authTokenEncrypted: orgDoc.sms?.twilioAuthTokenEncrypted ?? null },
        settings,
        template: { smsBody: '' },
      }
      const transport = getSmsTransport(context)
      // The org's SMS pace is shared with its running jobs: the reply takes the next free slot.
      const startAt =
        slotAt ??
        (await paceSends({ payload, key: rateKeyOf('sms', context), intervalMs: paceIntervalMs({ perSecond: settings.perSecondLimit ?? null, perMinute: settings.perMinuteLimit }), count: 1 })).firstAt
      const wait = startAt - Date.now()
      if (wait > maxPaceWaitMs) return await finish('queued', { retryInSeconds: Math.ceil(wait / 1000), uncount: true, error: null })
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      if (!(await handOff())) return { status: 'busy', error: null }
      ;[result] = (await transport.sendBatch([
        {
          to: claimed.to,
          ...(settings.messagingServiceSid ? { messagingServiceSid: settings.messagingServiceSid } : { from: settings.fromNumber ?? undefined }),
          body: claimed.body_text,
          statusCallback: transport.kind === 'twilio' ? smsStatusCallbackUrl() : undefined,
        },
      ])) as [SendOutcome]
    }
  } catch (error) {
    // The org's settings cannot make a transport (no provider key, a host not allowed): nothing was sent,
    // and no retry would do better until someone changes them.
    if (error instanceof TransportConfigError) return finish('failed', { error: error.message })
    // Anything else (a database hiccup, a bug) leaves the claim for the sweep: handed off or not, it decides.
    throw error
  }
  if (!result) return finish('failed', { error: 'The provider gave no result for the reply.' })
  if (result.ok) return finish('sent', { providerMessageID: claimed.channel === 'sms' ? result.providerMessageID : null })
  const decision = decideRetry(result.error, claimed.attempts, MAX_REPLY_ATTEMPTS, RETRY_DELAY_SECONDS)
  return decision.retry ? finish('queued', { error: decision.error, retryInSeconds: decision.retryInSeconds }) : finish('failed', { error: decision.error })
}
