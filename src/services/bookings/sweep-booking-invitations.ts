import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { releaseExpiredClaims } from '../sending/release-expired-claims'
import { deliverBookingInvitation } from './deliver-booking-invitation'

const STOPPED_WHILE_SENDING =
  'The worker stopped while handing this invitation to the email provider, so whether it left is unknown; it was not sent again, to avoid a duplicate.'

export type InvitationsSwept = { released: number; unknown: number; delivered: number }

/**
 * Keeps invitations moving when a worker dies or a retry comes due: a claim whose lease ran out goes back
 * to `queued` if it never reached the provider (the attempt is not counted), or becomes `unknown` if it
 * may have (never resent); then up to `limit` due invitations are delivered, each under its own claim.
 */
export const sweepBookingInvitations = async ({ payload, limit = 50 }: { payload: Payload; limit?: number }): Promise<InvitationsSwept> => {
  const pool = dbPool(payload)
  const expired = await releaseExpiredClaims(pool, { table: 'booking_invitations', statusType: 'enum_booking_invitations_status', stoppedMessage: STOPPED_WHILE_SENDING })
  const { rows: due } = await pool.query<{ id: number }>(
    `SELECT id FROM booking_invitations WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now()) ORDER BY next_attempt_at NULLS FIRST, id LIMIT $1`,
    [limit],
  )
  let delivered = 0
  const reads = new Map<string, Promise<unknown>>()
  for (const row of due) if ((await deliverBookingInvitation({ payload, invitationID: row.id, reads })).status !== 'busy') delivered += 1
  return { ...expired, delivered }
}
