import type { PayloadRequest } from 'payload'

import { withRequestClient } from '@/db/request-client'

import { triggerCalendarSync } from './queue-booking-calendar-sync'

/**
 * Before a booking is deleted, in the delete's transaction: its events leave the connected calendars as
 * a cancellation's would. Each calendar row that has (or is writing) an event is set pending again and
 * outlives the booking (its booking becomes empty); the worker removes the event and then the row. Rows
 * with no event are dropped at once. Returns how many events will be removed.
 */
export const withdrawDeletedBooking = async ({ req, bookingID }: { req: PayloadRequest; bookingID: number }): Promise<number> => {
  const pending = await withRequestClient(req, async (client) => {
    await client.query(`DELETE FROM booking_syncs WHERE booking_id = $1 AND provider_event_i_d IS NULL AND status <> 'syncing'`, [bookingID])
    // A row a worker holds now loses its claim: the worker's own outcome is not written, the removal is.
    const { rowCount } = await client.query(
      `UPDATE booking_syncs SET status = 'pending', attempts = 0, next_attempt_at = NULL, claim_token = NULL, lease_expires_at = NULL, last_error = NULL, provider_code = NULL,
              note = 'The booking was deleted: its event is removed from this calendar.', updated_at = now()
        WHERE booking_id = $1`,
      [bookingID],
    )
    return rowCount ?? 0
  })
  if (pending) await triggerCalendarSync(req, bookingID)
  return pending
}
