import { randomUUID } from 'node:crypto'

import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'
import type { SendOutcome } from '@/integrations/sending/types'
import type { Organization } from '@/payload-types'

import { decideRetry } from '../sending/decide-retry'
import { getOrgTransport, TransportConfigError } from '../sending/get-org-transport'
import { resolveSendingSettings } from '../sending/resolve-sending-settings'
import { resolveDateSettings } from '../vocabulary/dates'
import { buildInvitationEmail } from './build-invitation-email'
import { bookingUID } from './calendar-event-ids'
import { resolveBookingAttendees } from './resolve-booking-attendees'

/** An invitation is tried at most this often (a first attempt and three retries) before it is failed. */
export const MAX_INVITATION_ATTEMPTS = 4
const RETRY_DELAY_SECONDS = 30
/** A claim outlives the slowest provider call with room to spare; the sweep frees it after. */
export const INVITATION_LEASE_SECONDS = 120

export type InvitationDelivery = { status: 'busy' | 'failed' | 'queued' | 'sent' | 'superseded'; error: null | string }

type Claimed = { id: number; org_id: number; booking_id: number; email: string; name: null | string; method: 'cancel' | 'request'; sequence: number; attempts: number }

/** The domain of the booking UIDs: the site's host (stable for an installation). */
export const invitationDomain = (env = process.env): string => {
  try {
    return new URL(env.SITE_URL || 'http://outpost.local').hostname || 'outpost.local'
  } catch {
    return 'outpost.local'
  }
}

/**
 * Sends one queued booking invitation, once, whatever the number of workers: the row is claimed
 * atomically (`queued` → `sending` with a claim token and a lease), marked handed off just before the
 * provider call, and its outcome is written only against that claim. An invitation that a later version
 * of the booking replaced for the same address is not sent (`superseded`). The .ics is built from the
 * booking as it is now with the row's SEQUENCE and method, and goes through the org's email provider.
 * A transient failure is retried with backoff (by the sweep) up to MAX_INVITATION_ATTEMPTS; a permanent
 * one, or settings that cannot send, fail it with the reason as a sentence.
 */
/** Reads shared by the invitations of one run (a booking's attendees all need the same booking, org and owner). */
export type InvitationReads = Map<string, Promise<unknown>>

const readOnce = <T>(reads: InvitationReads | undefined, key: string, read: () => Promise<T>): Promise<T> => {
  if (!reads) return read()
  if (!reads.has(key)) reads.set(key, read())
  return reads.get(key) as Promise<T>
}

export const deliverBookingInvitation = async ({ payload, invitationID, reads }: { payload: Payload; invitationID: number; reads?: InvitationReads }): Promise<InvitationDelivery> => {
  const pool = dbPool(payload)
  const token = randomUUID()
  const { rows } = await pool.query<Claimed>(
    `UPDATE booking_invitations SET status = 'sending', attempts = coalesce(attempts, 0) + 1, claim_token = $2, handed_off_at = NULL,
            lease_expires_at = now() + make_interval(secs => $3), updated_at = now()
      WHERE id = $1 AND status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now())
      RETURNING id, org_id, booking_id, email, name, method::text AS method, sequence::int AS sequence, attempts::int AS attempts`,
    [invitationID, token, INVITATION_LEASE_SECONDS],
  )
  const claimed = rows[0]
  if (!claimed) return { status: 'busy', error: null }

  const finish = async (status: InvitationDelivery['status'], fields: { error?: null | string; providerMessageID?: null | string; retryInSeconds?: number } = {}): Promise<InvitationDelivery> => {
    await pool.query(
      `UPDATE booking_invitations SET status = $3::enum_booking_invitations_status, error = $4, provider_message_i_d = coalesce($5, provider_message_i_d),
              next_attempt_at = CASE WHEN $3 = 'queued' THEN now() + make_interval(secs => $6) ELSE NULL END,
              sent_at = CASE WHEN $3 = 'sent' THEN now() ELSE sent_at END,
              attempts = attempts - CASE WHEN $3 = 'superseded' THEN 1 ELSE 0 END,
              claim_token = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND claim_token = $2 AND status = 'sending'`,
      [claimed.id, token, status, fields.error ?? null, fields.providerMessageID ?? null, fields.retryInSeconds ?? 0],
    )
    return { status, error: fields.error ?? null }
  }

  // A later version for the same address makes this one pointless (it would only be undone).
  const { rows: later } = await pool.query(`SELECT 1 FROM booking_invitations WHERE booking_id = $1 AND lower(email) = lower($2) AND sequence > $3 LIMIT 1`, [
    claimed.booking_id,
    claimed.email,
    claimed.sequence,
  ])
  if (later.length) return finish('superseded')

  const booking = await readOnce(reads, `booking:${claimed.booking_id}`, () => payload.findByID({ collection: 'bookings', id: claimed.booking_id, depth: 0, overrideAccess: true, disableErrors: true }))
  if (!booking) return finish('failed', { error: 'The booking was deleted before its invitation could be sent.' })
  const orgDoc: Organization = await readOnce(reads, `org:${claimed.org_id}`, () => payload.findByID({ collection: 'organizations', id: claimed.org_id, depth: 0, showHiddenFields: true, overrideAccess: true }))
  const ownerID = typeof booking.owner === 'object' ? booking.owner.id : booking.owner
  const owner = await readOnce(reads, `user:${ownerID}`, () => payload.findByID({ collection: 'users', id: ownerID, depth: 0, overrideAccess: true, disableErrors: true }))

  let result: SendOutcome
  try {
    const settings = resolveSendingSettings(orgDoc)
    const transport = getOrgTransport({ org: { id: orgDoc.id, name: orgDoc.name, postalAddress: orgDoc.postalAddress, sending: orgDoc.sending }, settings })
    const attendees = await readOnce(reads, `attendees:${booking.id}`, () => resolveBookingAttendees({ payload, booking }))
    const inIcs = claimed.method === 'request' ? attendees : [{ email: claimed.email, name: claimed.name, optional: false, response: 'needs-action' }]
    const message = buildInvitationEmail(
      {
        uid: bookingUID({ org: claimed.org_id, id: booking.id }, invitationDomain()),
        sequence: claimed.sequence,
        title: booking.title,
        description: booking.description,
        location: booking.location,
        videoLink: booking.videoLink,
        start: new Date(booking.start),
        end: new Date(booking.end),
        timeZone: booking.timeZone,
        organizer: { email: owner?.email ?? settings.fromAddress, name: owner?.name || settings.fromName },
        attendees: inIcs.map((a) => ({ email: a.email, name: a.name, optional: a.optional, status: a.response as never })),
        reminders: (booking.reminders ?? []).map((r) => ({ method: r.method === 'email' ? 'email' : 'popup', minutesBefore: r.minutesBefore })),
      },
      claimed.method === 'cancel' ? 'CANCEL' : 'REQUEST',
      resolveDateSettings(orgDoc).locale,
    )
    const handedOff = (await pool.query(`UPDATE booking_invitations SET handed_off_at = now() WHERE id = $1 AND claim_token = $2 AND status = 'sending'`, [claimed.id, token])).rowCount === 1
    if (!handedOff) return { status: 'busy', error: null }
    ;[result] = (await transport.sendBatch([
      {
        from: { address: settings.fromAddress, name: settings.fromName },
        to: claimed.email,
        replyTo: owner?.email ?? settings.replyTo ?? undefined,
        subject: message.subject,
        text: message.text,
        html: message.html,
        attachments: [{ filename: claimed.method === 'cancel' ? 'cancel.ics' : 'invite.ics', content: Buffer.from(message.ics, 'utf8'), contentType: message.contentType }],
      },
    ])) as [SendOutcome]
  } catch (error) {
    if (error instanceof TransportConfigError) return finish('failed', { error: error.message })
    throw error
  }
  if (!result) return finish('failed', { error: 'The provider gave no result for the invitation.' })
  if (result.ok) return finish('sent', { providerMessageID: result.providerMessageID })
  const decision = decideRetry(result.error, claimed.attempts, MAX_INVITATION_ATTEMPTS, RETRY_DELAY_SECONDS)
  return decision.retry ? finish('queued', { error: decision.error, retryInSeconds: decision.retryInSeconds }) : finish('failed', { error: decision.error })
}
