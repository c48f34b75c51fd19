import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { deliverBookingInvitation, type InvitationDelivery } from './deliver-booking-invitation'

/**
 * Sends the due invitations of one booking (the trigger a save queues), oldest version first, each under
 * its own claim: running it twice, or beside the sweep, never sends one twice.
 */
export const sendBookingInvitations = async ({ payload, bookingID }: { payload: Payload; bookingID: number }): Promise<Record<InvitationDelivery['status'], number>> => {
  const { rows } = await dbPool(payload).query<{ id: number }>(
    `SELECT id FROM booking_invitations WHERE booking_id = $1 AND status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= now()) ORDER BY sequence, id LIMIT 200`,
    [bookingID],
  )
  const counts: Record<InvitationDelivery['status'], number> = { busy: 0, failed: 0, queued: 0, sent: 0, superseded: 0 }
  const reads = new Map<string, Promise<unknown>>()
  for (const row of rows) counts[(await deliverBookingInvitation({ payload, invitationID: row.id, reads })).status] += 1
  return counts
}
