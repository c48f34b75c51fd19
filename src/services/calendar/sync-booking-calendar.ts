import { randomUUID } from 'node:crypto'

import { createLocalReq, type Payload } from 'payload'

import { dbPool } from '@/db/pool'
import { type CalendarAdapter, CalendarCallError, type CalendarEventInput, type CalendarProvider } from '@/integrations/calendar'
import type { CalendarConnection } from '@/payload-types'

import { recordAudit } from '../audit/record-audit'
import { googleEventID, graphTransactionID } from '../bookings/calendar-event-ids'
import { classifyCalendarError } from '../bookings/classify-calendar-error'
import type { BookingReminder } from '../bookings/map-reminders'
import { connectionAdapter } from './connection-adapter'

/** A calendar call outlives this (30 s timeouts, one token refresh) with room; the sweep frees it after. */
export const SYNC_LEASE_SECONDS = 120
/** Backoff retries before a sync is left failed for a person to retry. */
export const MAX_SYNC_ATTEMPTS = 6
/** Rows claimed, and calendar calls in flight, at once by one worker. */
export const SYNC_BATCH = 20

export type SyncOutcome = 'busy' | 'failed' | 'pending' | 'reconnect' | 'synced'

type Row = {
  id: number
  org_id: number
  /** Null once the booking was deleted (the row waits to remove its event). */
  booking_id: null | number
  connection_id: number
  provider_event_i_d: null | string
  synced_sequence: null | number
  attempts: number
  title: null | string
  description: null | string
  location: null | string
  video_link: null | string
  start: Date | null
  end: Date | null
  time_zone: null | string
  status: null | string
  sequence: null | number
  send_updates: null | string
  /** The booking still belongs in this calendar (shared, or its staff member's own). */
  applies: null | boolean
  attendees: null | { email: null | string; name: null | string; optional: boolean }[]
  reminders: null | BookingReminder[]
}

/**
 * Claims up to `limit` due sync rows (pending, due, their connection connected) in one statement, each
 * with this claim's token and a lease (SKIP LOCKED: workers never take the same row), and reads everything
 * their calendar writes need (booking, attendees' addresses in the org, reminders, the org's sendUpdates)
 * in one more.
 */
const claimRows = async (payload: Payload, token: string, filter: { bookingID?: number; syncIDs?: number[] }, limit: number): Promise<Row[]> => {
  const pool = dbPool(payload)
  const { rows: claimed } = await pool.query<{ id: number }>(
    `UPDATE booking_syncs SET status = 'syncing', attempts = coalesce(attempts, 0) + 1, claim_token = $1, lease_expires_at = now() + make_interval(secs => $2), updated_at = now()
      WHERE id IN (SELECT s.id FROM booking_syncs s JOIN calendar_connections c ON c.id = s.connection_id
                    WHERE s.status = 'pending' AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= now()) AND c.status = 'connected'
                      AND ($3::int IS NULL OR s.booking_id = $3) AND ($4::int[] IS NULL OR s.id = ANY($4::int[]))
                    ORDER BY s.next_attempt_at NULLS FIRST, s.id LIMIT $5 FOR UPDATE OF s SKIP LOCKED)
      RETURNING id`,
    [token, SYNC_LEASE_SECONDS, filter.bookingID ?? null, filter.syncIDs ?? null, limit],
  )
  if (!claimed.length) return []
  const { rows } = await pool.query<Row>(
    `SELECT s.id, s.org_id, s.booking_id, s.connection_id, s.provider_event_i_d, s.synced_sequence::int AS synced_sequence, s.attempts::int AS attempts,
            b.title, b.description, b.location, b.video_link, b.start, b."end", b.time_zone, b.status::text AS status, b.sequence::int AS sequence,
            o.bookings_calendar_send_updates::text AS send_updates,
            (c.shared OR c.owner_id = b.owner_id) AS applies,
            (SELECT json_agg(json_build_object('email', coalesce(nullif(btrim(a.email), ''), ct.email), 'name', coalesce(nullif(btrim(a.name), ''), nullif(btrim(concat_ws(' ', ct.first_name, ct.last_name)), '')), 'optional', coalesce(a.optional, false)) ORDER BY a._order)
               FROM bookings_attendees a LEFT JOIN contacts ct ON ct.id = a.contact_id AND ct.org_id = b.org_id WHERE a._parent_id = b.id) AS attendees,
            (SELECT json_agg(json_build_object('method', r.method, 'minutesBefore', r.minutes_before) ORDER BY r._order) FROM bookings_reminders r WHERE r._parent_id = b.id) AS reminders
       FROM booking_syncs s LEFT JOIN bookings b ON b.id = s.booking_id JOIN organizations o ON o.id = s.org_id JOIN calendar_connections c ON c.id = s.connection_id
      WHERE s.id = ANY($1::int[]) AND s.claim_token = $2`,
    [claimed.map((r) => r.id), token],
  )
  return rows
}

/** Attendees with an address, once each (first mention), as the calendar gets them. */
const attendeesOf = (row: Row) => {
  const seen = new Set<string>()
  return (row.attendees ?? []).filter((a): a is { email: string; name: null | string; optional: boolean } => {
    const key = a.email?.trim().toLowerCase()
    if (!key || seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * Writes booking rows into their connected calendars, each once at a time whatever the number of workers
 * (claimed as above, outcome written against the claim only): a new booking is created under an id
 * derived from it (a retried create finds the same event), a changed one patched, a cancelled or deleted
 * one removed (already gone counts as done). Up to SYNC_BATCH calls run at once. Failures are classified:
 * a revoked grant marks the connection "Reconnect required" and stops its sync; rate limits, 429 and 5xx
 * come back after the provider's Retry-After (or a backoff); anything else fails with a sentence and the
 * provider's code for a person to act on and Retry. Returns how each claimed row ended.
 */
export const syncCalendarRows = async ({
  payload,
  bookingID,
  syncIDs,
  limit = SYNC_BATCH,
}: {
  payload: Payload
  bookingID?: number
  syncIDs?: number[]
  limit?: number
}): Promise<Map<number, SyncOutcome>> => {
  const pool = dbPool(payload)
  const token = randomUUID()
  const rows = await claimRows(payload, token, { bookingID, syncIDs }, limit)
  const outcomes = new Map<number, SyncOutcome>()
  if (!rows.length) return outcomes

  const { rows: connectionRows } = await pool.query<{ id: number; provider: CalendarProvider; calendar_i_d: null | string; access_token_encrypted: null | string; refresh_token_encrypted: null | string; access_token_expires_at: Date | null }>(
    'SELECT id, provider::text AS provider, calendar_i_d, access_token_encrypted, refresh_token_encrypted, access_token_expires_at FROM calendar_connections WHERE id = ANY($1::int[])',
    [[...new Set(rows.map((r) => r.connection_id))]],
  )
  const connections = new Map(connectionRows.map((c) => [c.id, c]))
  const adapters = new Map<number, CalendarAdapter>()
  const adapterOf = (id: number) => {
    let adapter = adapters.get(id)
    if (!adapter) {
      const c = connections.get(id)!
      adapter = connectionAdapter(payload, {
        id: c.id,
        provider: c.provider,
        calendarID: c.calendar_i_d,
        accessTokenEncrypted: c.access_token_encrypted,
        refreshTokenEncrypted: c.refresh_token_encrypted,
        accessTokenExpiresAt: c.access_token_expires_at?.toISOString() ?? null,
      } as Pick<CalendarConnection, 'id' | 'provider' | 'calendarID' | 'accessTokenEncrypted' | 'refreshTokenEncrypted' | 'accessTokenExpiresAt'>)
      adapters.set(id, adapter)
    }
    return adapter
  }

  const finish = async (row: Row, status: 'failed' | 'pending' | 'synced', fields: { error?: null | string; code?: null | string; eventID?: null | string; sequence?: null | number; note?: null | string; retryInSeconds?: number; resetAttempts?: boolean } = {}) => {
    // Saved again while we wrote it: the newer version goes out next. Deleted meanwhile (no booking left):
    // what was just written is removed next.
    await pool.query(
      `UPDATE booking_syncs SET status = (CASE WHEN $3 = 'synced' AND (booking_id IS NULL OR coalesce((SELECT sequence FROM bookings WHERE id = booking_id), 0) > coalesce($8::int, 0)) THEN 'pending' ELSE $3 END)::enum_booking_syncs_status,
              last_error = $4, provider_code = $5,
              provider_event_i_d = CASE WHEN $6::boolean THEN $7 ELSE provider_event_i_d END,
              synced_sequence = coalesce($8, synced_sequence), note = coalesce($9, note),
              next_attempt_at = CASE WHEN $3 = 'pending' THEN now() + make_interval(secs => $10) ELSE NULL END,
              attempts = CASE WHEN $11 THEN 0 ELSE attempts END,
              last_synced_at = CASE WHEN $3 = 'synced' THEN now() ELSE last_synced_at END,
              claim_token = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND claim_token = $2`,
      [row.id, token, status, fields.error ?? null, fields.code ?? null, fields.eventID !== undefined, fields.eventID ?? null, fields.sequence ?? null, fields.note ?? null, fields.retryInSeconds ?? 0, fields.resetAttempts ?? false],
    )
    outcomes.set(row.id, status)
  }

  /** The booking was deleted and its event is gone from this calendar: nothing is left to keep in step. */
  const forget = async (row: Row) => {
    await pool.query('DELETE FROM booking_syncs WHERE id = $1 AND claim_token = $2 AND booking_id IS NULL', [row.id, token])
    outcomes.set(row.id, 'synced')
  }

  const syncOne = async (row: Row) => {
    // Cancelled, deleted, or no longer this calendar's (its staff member changed): the event goes.
    const deleted = row.status === null
    const cancelled = deleted || row.status === 'cancelled' || row.applies === false
    const sequence = row.sequence ?? 0
    if (deleted && !row.provider_event_i_d) return forget(row)
    if (!cancelled && row.provider_event_i_d && row.synced_sequence !== null && row.synced_sequence >= sequence) return finish(row, 'synced', { sequence: row.synced_sequence, resetAttempts: true })
    const connection = connections.get(row.connection_id)!
    const sendUpdates = (row.send_updates ?? 'none') as CalendarEventInput['sendUpdates']
    try {
      const adapter = adapterOf(row.connection_id)
      if (cancelled) {
        if (row.provider_event_i_d) await adapter.deleteEvent(row.provider_event_i_d, sendUpdates)
        if (deleted) return await forget(row)
        return await finish(row, 'synced', { sequence, error: null, code: null, resetAttempts: true })
      }
      const ids = { org: row.org_id, id: row.booking_id! }
      const input: CalendarEventInput = {
        clientEventID: connection.provider === 'google' ? googleEventID(ids, connection.id) : graphTransactionID(ids, connection.id),
        title: row.title ?? '',
        description: [row.description, row.video_link ? `Video link: ${row.video_link}` : null].filter(Boolean).join('\n\n') || null,
        location: row.location ?? row.video_link ?? null,
        start: new Date(row.start!),
        end: new Date(row.end!),
        timeZone: row.time_zone || 'UTC',
        attendees: attendeesOf(row),
        reminders: (row.reminders ?? []).map((r) => ({ method: r.method === 'email' ? 'email' : 'popup', minutesBefore: Number(r.minutesBefore) })),
        sendUpdates,
      }
      const result = row.provider_event_i_d ? { providerEventID: row.provider_event_i_d, ...(await adapter.updateEvent(row.provider_event_i_d, input)) } : await adapter.createEvent(input)
      return await finish(row, 'synced', { eventID: result.providerEventID, sequence, error: null, code: null, note: result.notes.join(' ') || null, resetAttempts: true })
    } catch (error) {
      if (!(error instanceof CalendarCallError)) {
        // A bug or a database failure: the row goes back for the sweep, the error to the log.
        await finish(row, 'pending', { error: 'An unexpected error stopped this sync; it is tried again shortly.', retryInSeconds: 60 })
        payload.logger.error({ err: error, sync: row.id }, 'Calendar sync failed unexpectedly')
        return
      }
      const action = classifyCalendarError({
        status: error.status,
        reason: error.reason,
        oauthError: error.oauthError,
        retryAfter: error.retryAfter,
        attempt: row.attempts,
        operation: cancelled ? 'delete' : row.provider_event_i_d ? 'update' : 'create',
        // The adapters have already refreshed the token once and retried on a 401.
        refreshedAlready: true,
      })
      if (action.kind === 'gone') return deleted ? forget(row) : finish(row, 'synced', { sequence, resetAttempts: true })
      if (action.kind === 'reconnect') {
        await markReconnectRequired(payload, row.connection_id, row.org_id, error.message)
        await finish(row, 'failed', { error: `${error.message} Reconnect the calendar, then retry.`, code: error.providerCode })
        outcomes.set(row.id, 'reconnect')
        return
      }
      if (action.kind === 'backoff' && row.attempts < MAX_SYNC_ATTEMPTS) return finish(row, 'pending', { error: `${error.message} Trying again in ${action.delaySeconds} s.`, code: error.providerCode, retryInSeconds: action.delaySeconds })
      return finish(row, 'failed', { error: action.kind === 'backoff' ? `${error.message} Gave up after ${row.attempts} attempts.` : error.message, code: error.providerCode })
    }
  }
  await Promise.all(rows.map(syncOne))
  return outcomes
}

/** One sync row (a Retry): its outcome, or `busy` when it is not due, not pending or its calendar needs reconnecting. */
export const syncBookingCalendar = async ({ payload, syncID }: { payload: Payload; syncID: number }): Promise<SyncOutcome> =>
  (await syncCalendarRows({ payload, syncIDs: [syncID], limit: 1 })).get(syncID) ?? 'busy'

/** Stops a connection's sync until its owner reconnects (their banner says so), with an audit entry. */
export const markReconnectRequired = async (payload: Payload, connectionID: number, org: number, reason: string): Promise<void> => {
  const { rowCount } = await dbPool(payload).query(
    `UPDATE calendar_connections SET status = 'reconnect', last_error = $2, updated_at = now() WHERE id = $1 AND status <> 'reconnect'`,
    [connectionID, reason],
  )
  if (rowCount) await recordAudit(await createLocalReq({}, payload), { action: 'calendar.reconnect_required', org, target: { collection: 'calendar-connections', id: connectionID }, summary: `The calendar connection needs its owner to reconnect it: ${reason}` })
}
