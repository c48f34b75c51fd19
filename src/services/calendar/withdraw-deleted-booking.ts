import type { PayloadRequest } from 'payload'

import { withRequestClient } from '@/db/request-client'

import { googleEventID } from '../bookings/calendar-event-ids'
import { triggerCalendarSync } from './queue-booking-calendar-sync'

export const DELETED_BOOKING_NOTE = 'The booking was deleted: its event is removed from this calendar.'

/**
 * Before a booking is deleted, in the delete's transaction: its events leave the connected calendars as a
 * cancellation's would. Each calendar row that has, or may have, an event outlives the booking (its
 * booking becomes empty) and is set pending; the worker removes the event and then the row.
 * - Google: an event's id derives from the booking, so a row with no id yet (a create timed out, or is on
 *   the wire now) gets that id, and removing an event that never came to be counts as done.
 * - A row a worker holds now keeps its claim: the worker writes what it made (the event id) and, the
 *   booking being gone, leaves the row pending for the removal.
 * - Other rows without an event are dropped at once.
 * Returns how many rows will remove an event.
 */
export const withdrawDeletedBooking = async ({ req, bookingID }: { req: PayloadRequest; bookingID: number }): Promise<number> => {
  const pending = await withRequestClient(req, async (client) => {
    const { rows: google } = await client.query<{ id: number; org_id: number; connection_id: number }>(
      `SELECT s.id, s.org_id, s.connection_id FROM booking_syncs s JOIN calendar_connections c ON c.id = s.connection_id
        WHERE s.booking_id = $1 AND s.provider_event_i_d IS NULL AND c.provider = 'google'`,
      [bookingID],
    )
    for (const row of google) {
      await client.query('UPDATE booking_syncs SET provider_event_i_d = $2 WHERE id = $1', [row.id, googleEventID({ org: row.org_id, id: bookingID }, row.connection_id)])
    }
    await client.query(`DELETE FROM booking_syncs WHERE booking_id = $1 AND provider_event_i_d IS NULL AND status <> 'syncing'`, [bookingID])
    await client.query(`UPDATE booking_syncs SET note = $2, updated_at = now() WHERE booking_id = $1 AND status = 'syncing'`, [bookingID, DELETED_BOOKING_NOTE])
    const { rowCount } = await client.query(
      `UPDATE booking_syncs SET status = 'pending', attempts = 0, next_attempt_at = NULL, last_error = NULL, provider_code = NULL, note = $2, updated_at = now()
        WHERE booking_id = $1 AND status <> 'syncing'`,
      [bookingID, DELETED_BOOKING_NOTE],
    )
    return rowCount ?? 0
  })
  if (pending) await triggerCalendarSync(req, bookingID)
  return pending
}
