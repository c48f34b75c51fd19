import { createLocalReq, type Payload } from 'payload'

import { dbPool } from '@/db/pool'
import { CalendarCallError } from '@/integrations/calendar'

import { recordAudit } from '../audit/record-audit'
import { classifyCalendarError } from '../bookings/classify-calendar-error'
import { connectionAdapter } from './connection-adapter'
import { markReconnectRequired } from './sync-booking-calendar'

/** One pull at a time per connection, however many workers: a lease on the connection row. */
const PULL_LEASE_SECONDS = 120

export type PullOutcome = { status: 'busy' | 'failed' | 'pulled' | 'reconnect'; applied: number; conflicts: number; full: boolean }

const providerName = (provider: string) => (provider === 'google' ? 'Google Calendar' : 'Microsoft Outlook')

/**
 * Brings changes made in a connected calendar back to the bookings (two-way sync): from the provider's
 * change feed since the stored cursor (Google's syncToken, restarting from everything on 410), each event
 * that is one of our bookings in this calendar is applied (after a full read of a window, one of ours in
 * that window that is not listed counts as deleted): deleted there → the booking is cancelled;
 * moved there → the booking moves (and becomes rescheduled); attendees' answers → shown on the booking.
 * Every change is saved as the system with an audit entry naming the calendar as its source.
 * Conflict rule: when the booking also changed in Outpost and that version has not reached the
 * calendar yet, Outpost's version wins (it is written over the calendar's next) and the sync row notes
 * the calendar change that was overridden.
 */
export const pullCalendarChanges = async ({ payload, connectionID }: { payload: Payload; connectionID: number }): Promise<PullOutcome> => {
  const pool = dbPool(payload)
  const { rows } = await pool.query<{ id: number }>(
    `UPDATE calendar_connections SET pull_lease_until = now() + make_interval(secs => $2) WHERE id = $1 AND status = 'connected' AND (pull_lease_until IS NULL OR pull_lease_until < now()) RETURNING id`,
    [connectionID, PULL_LEASE_SECONDS],
  )
  if (!rows.length) return { status: 'busy', applied: 0, conflicts: 0, full: false }
  const release = () => pool.query('UPDATE calendar_connections SET pull_lease_until = NULL WHERE id = $1', [connectionID])
  try {
    const connection = await payload.findByID({ collection: 'calendar-connections', id: connectionID, depth: 0, overrideAccess: true, showHiddenFields: true })
    const org = typeof connection.org === 'object' ? connection.org.id : connection.org
    let feed: Awaited<ReturnType<ReturnType<typeof connectionAdapter>['listChanges']>>
    try {
      feed = await connectionAdapter(payload, connection).listChanges(connection.syncCursor ?? null)
    } catch (error) {
      if (!(error instanceof CalendarCallError)) throw error
      const action = classifyCalendarError({ status: error.status, reason: error.reason, oauthError: error.oauthError, retryAfter: error.retryAfter, attempt: 1, operation: 'read', refreshedAlready: true })
      if (action.kind === 'reconnect') {
        await markReconnectRequired(payload, connectionID, org, error.message)
        return { status: 'reconnect', applied: 0, conflicts: 0, full: false }
      }
      await pool.query('UPDATE calendar_connections SET last_error = $2 WHERE id = $1', [connectionID, `${error.message} (${error.providerCode})`])
      return { status: 'failed', applied: 0, conflicts: 0, full: false }
    }
    // A full read of a window that lists every event there: ours in it, not listed, were deleted meanwhile.
    if (feed.full && feed.window) {
      const { rows: missing } = await pool.query<{ event: string }>(
        `SELECT s.provider_event_i_d AS event FROM booking_syncs s JOIN bookings b ON b.id = s.booking_id
          WHERE s.connection_id = $1 AND s.provider_event_i_d IS NOT NULL AND b.status <> 'cancelled' AND b.start >= $2 AND b."end" <= $3
            AND NOT (s.provider_event_i_d = ANY($4::text[]))`,
        [connectionID, feed.window.from, feed.window.to, feed.changes.map((c) => c.providerEventID)],
      )
      for (const row of missing) feed.changes.push({ providerEventID: row.event, cancelled: true, attendees: [] })
    }
    const source = `${providerName(connection.provider)} (${connection.accountEmail})`
    const byEvent = new Map<string, { id: number; booking_id: null | number; status: string; synced_sequence: null | number }>()
    const eventIDs = feed.changes.map((c) => c.providerEventID)
    if (eventIDs.length) {
      const { rows: syncs } = await pool.query<{ id: number; booking_id: null | number; status: string; synced_sequence: null | number; provider_event_i_d: string }>(
        `SELECT id, booking_id, status::text AS status, synced_sequence::int AS synced_sequence, provider_event_i_d FROM booking_syncs WHERE connection_id = $1 AND provider_event_i_d = ANY($2::text[])`,
        [connectionID, eventIDs],
      )
      for (const s of syncs) byEvent.set(s.provider_event_i_d, s)
    }
    let applied = 0
    let conflicts = 0
    for (const change of feed.changes) {
      const sync = byEvent.get(change.providerEventID)
      // No sync row, or the booking was deleted (its event is being removed): nothing to bring back.
      if (!sync || sync.booking_id === null) continue
      const booking = await payload.findByID({ collection: 'bookings', id: sync.booking_id, depth: 0, overrideAccess: true, disableErrors: true })
      if (!booking || booking.status === 'cancelled') continue
      const moved = !change.cancelled && change.start && change.end && (change.start.getTime() !== new Date(booking.start).getTime() || change.end.getTime() !== new Date(booking.end).getTime())
      const responses = new Map(change.attendees.map((a) => [a.email.toLowerCase(), a.response]))
      const contactIDs = (booking.attendees ?? []).map((a) => (a.email ? null : typeof a.contact === 'object' ? a.contact?.id : a.contact)).filter((id): id is number => typeof id === 'number')
      const contactEmails = new Map<number, string>()
      if (contactIDs.length) {
        const { rows: found } = await pool.query<{ id: number; email: string }>('SELECT id, email FROM contacts WHERE org_id = $1 AND id = ANY($2::int[])', [org, contactIDs])
        for (const c of found) contactEmails.set(c.id, c.email)
      }
      const attendees = (booking.attendees ?? []).map((a) => {
        const contactID = typeof a.contact === 'object' ? a.contact?.id : a.contact
        const email = a.email || (typeof contactID === 'number' ? contactEmails.get(contactID) : undefined)
        const answer = email ? responses.get(email.toLowerCase()) : undefined
        return answer && answer !== a.response ? { ...a, response: answer } : a
      })
      const answered = attendees.some((a, i) => a.response !== booking.attendees?.[i]?.response)
      if (!change.cancelled && !moved && !answered) continue
      const localPending = sync.status !== 'synced' || (sync.synced_sequence ?? -1) < (booking.sequence ?? 0)
      if ((change.cancelled || moved) && localPending) {
        conflicts += 1
        await pool.query(`UPDATE booking_syncs SET note = $2, status = CASE WHEN status = 'synced' THEN 'pending'::enum_booking_syncs_status ELSE status END, next_attempt_at = NULL, updated_at = now() WHERE id = $1`, [
          sync.id,
          `Conflict on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: the event was ${change.cancelled ? 'deleted' : 'moved'} in ${source} while this booking had changes not yet written there; Outpost's version was kept and is written back.`,
        ])
        continue
      }
      const req = await createLocalReq({ context: { calendarSource: connectionID } }, payload)
      const data: Record<string, unknown> = { attendees }
      if (change.cancelled) data.status = 'cancelled'
      else if (moved) Object.assign(data, { start: change.start!.toISOString(), end: change.end!.toISOString(), allowOverlap: true })
      try {
        await payload.update({ collection: 'bookings', id: booking.id, data, req, overrideAccess: true, depth: 0, context: { calendarSource: connectionID } })
      } catch (error) {
        // One change Outpost refuses never stops the calendar's other changes (nor the cursor) from moving on.
        payload.logger.error({ err: error, booking: booking.id, connection: connectionID }, 'A calendar change could not be applied')
        await pool.query('UPDATE booking_syncs SET note = $2, updated_at = now() WHERE id = $1', [sync.id, `A change made in ${source} could not be applied: ${(error as Error).message}`.slice(0, 500)])
        continue
      }
      const what = change.cancelled ? 'Cancelled' : moved ? `Moved to ${change.start!.toISOString()}–${change.end!.toISOString()}` : 'Attendee answers updated'
      await recordAudit(req, {
        action: 'booking.calendar_change',
        org,
        target: { collection: 'bookings', id: booking.id },
        summary: `${what} in ${source}.`,
        changes: change.cancelled ? { status: { from: booking.status, to: 'cancelled' } } : moved ? { start: { from: booking.start, to: change.start!.toISOString() }, end: { from: booking.end, to: change.end!.toISOString() } } : undefined,
      })
      // The calendar already shows this version: no need to write it back there.
      const { rows: saved } = await pool.query<{ sequence: number }>('SELECT sequence::int AS sequence FROM bookings WHERE id = $1', [booking.id])
      await pool.query(`UPDATE booking_syncs SET status = 'synced', synced_sequence = $2, last_synced_at = now(), updated_at = now() WHERE id = $1 AND status = 'pending'`, [sync.id, saved[0]?.sequence ?? 0])
      applied += 1
    }
    await pool.query(`UPDATE calendar_connections SET sync_cursor = $2, last_synced_at = now(), last_error = NULL, updated_at = now() WHERE id = $1`, [connectionID, feed.cursor])
    return { status: 'pulled', applied, conflicts, full: feed.full }
  } finally {
    await release()
  }
}
