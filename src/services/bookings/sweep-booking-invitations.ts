import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

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
  const { rows: expired } = await pool.query<{ status: string }>(
    `UPDATE booking_invitations
        SET status = (CASE WHEN handed_off_at IS NULL THEN 'queued' ELSE 'unknown' END)::enum_booking_invitations_status,
            attempts = attempts - CASE WHEN handed_off_at IS NULL THEN 1 ELSE 0 END,
            error = CASE WHEN handed_off_at IS NULL THEN error ELSE $1 END,
            next_attempt_at = CASE WHEN handed_off_at IS NULL THEN now() ELSE NULL END,
            claim_token = NULL, lease_expires_at = NULL, updated_at = now()
      WHERE status = 'sending' AND lease_expires_at < now()
      RETURNING status::text AS status`,
    [STOPPED_WHILE_SENDING],
  )
  const { rows: due } = await pool.query<{ id: number }>(
    `SELECT id FROM booking_invitations WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now()) ORDER BY next_attempt_at NULLS FIRST, id LIMIT $1`,
    [limit],
  )
  let delivered = 0
  const reads = new Map<string, Promise<unknown>>()
  for (const row of due) if ((await deliverBookingInvitation({ payload, invitationID: row.id, reads })).status !== 'busy') delivered += 1
  return { released: expired.filter((r) => r.status === 'queued').length, unknown: expired.filter((r) => r.status === 'unknown').length, delivered }
}
