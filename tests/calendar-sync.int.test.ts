import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { dbPool } from '@/db/pool'
import { googleEventID } from '@/services/bookings/calendar-event-ids'
import { pullCalendarChanges } from '@/services/calendar/pull-calendar-changes'
import { sweepCalendarSync, syncBookingCalendars } from '@/services/calendar/sweep-calendar-sync'

import { type GoogleCalendarFake, startGoogleCalendarFake } from './fakes/google-calendar-fake'
import { type ApiClient, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeUser, unique } from './helpers/fixtures'

/**
 * Two-way sync with Google Calendar through the real `googleapis` client pointed at a loopback fake that
 * speaks Calendar v3 and Google's OAuth (with a request log): connecting with the code flow and PKCE,
 * tokens stored encrypted; create (exactly one event, retries included), patch, delete (already gone is
 * done); attendees and reminders; refresh and rotation of tokens; 429 with Retry-After; changes made in
 * the calendar coming back (moves, deletions, answers) with an audit entry; 410 → full resync; the
 * conflict rule; invalid_grant → "Reconnect required"; permissions. Isolation: isolation.int.test.ts.
 */
let payload: Payload
let fake: GoogleCalendarFake
let org: number
let sender: ApiClient
let senderID: number
let viewer: ApiClient
let contactEmail: string
let contact: number
let connection: number
const saved: Record<string, string | undefined> = {}
const ENV = ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET', 'GOOGLE_OAUTH_AUTHORIZE_URL', 'GOOGLE_OAUTH_TOKEN_URL', 'GOOGLE_CALENDAR_ROOT_URL']

const at = (day: number, hour: number) => new Date(Date.UTC(2027, 8, day, hour)).toISOString()
const pool = () => dbPool(payload)
const syncRow = async (booking: number) =>
  (await pool().query('SELECT id, status::text AS status, provider_event_i_d AS event, last_error, provider_code, synced_sequence::int AS seq, note, next_attempt_at FROM booking_syncs WHERE booking_id = $1', [booking])).rows[0]
const eventOf = (id: string) => fake.events('primary').find((e) => e.id === id)

/** The OAuth round trip a browser makes: our connect URL → the fake's consent page → Allow → our callback. */
const connectAs = async (client: ApiClient, query = '') => {
  const started = await client.get(`/calendar-connections/connect?provider=google&org=${org}&format=json${query}`)
  if (started.status !== 200) return started
  const consent = await (await fetch(started.body.url)).text()
  const allow = new URL(/id="allow" href="([^"]+)"/.exec(consent)![1]!.replace(/&amp;/g, '&'))
  expect(allow.origin + allow.pathname).toBe('http://localhost:3000/api/calendar-connections/callback/google')
  return client.get(`/calendar-connections/callback/google?${allow.searchParams}`)
}

beforeAll(async () => {
  payload = await getTestPayload()
  fake = await startGoogleCalendarFake({ clientId: 'outpost-test.apps.googleusercontent.com', clientSecret: 'test-secret', rotateRefreshTokens: true, email: 'staff@calendar.example' })
  for (const key of ENV) saved[key] = process.env[key]
  Object.assign(process.env, { GOOGLE_CLIENT_ID: fake.clientId, GOOGLE_CLIENT_SECRET: fake.clientSecret, GOOGLE_OAUTH_AUTHORIZE_URL: fake.authUrl, GOOGLE_OAUTH_TOKEN_URL: fake.tokenUrl, GOOGLE_CALENDAR_ROOT_URL: fake.url })
  org = (await payload.create({ collection: 'organizations', data: { name: 'Calendar Org', slug: unique('calendar'), postalAddress: '1 Quay', timeZone: 'Europe/Paris' } as never })).id
  const password = 'fixture-password'
  const user = await makeUser(payload, [{ org, roles: ['sender'] }], { password, name: 'Sam Staff' })
  senderID = user.id
  sender = await loginAs(user.email, password)
  viewer = await loginAs((await makeUser(payload, [{ org, roles: ['viewer'] }], { password })).email, password)
  contactEmail = `${unique('ada')}@example.com`
  contact = (await makeContact(payload, org, { email: contactEmail, firstName: 'Ada' })).id
})

afterAll(async () => {
  for (const key of ENV) {
    if (saved[key] === undefined) delete process.env[key]
    else process.env[key] = saved[key]
  }
  await fake?.close()
})

describe('calendar connections', () => {
  it('says what the operator must set when Google is not configured, and who may connect', async () => {
    const id = process.env.GOOGLE_CLIENT_ID
    delete process.env.GOOGLE_CLIENT_ID
    try {
      const res = await sender.get(`/calendar-connections/connect?provider=google&org=${org}&format=json`)
      expect(res.status).toBe(400)
      expect(res.body.errors[0].message).toMatch(/^Google Calendar is not set up on this server: the operator sets GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET/)
    } finally {
      process.env.GOOGLE_CLIENT_ID = id
    }
    expect((await viewer.get(`/calendar-connections/connect?provider=google&org=${org}&format=json`)).status).toBe(403)
    const shared = await sender.get(`/calendar-connections/connect?provider=google&org=${org}&format=json&shared=1`)
    expect(shared.status).toBe(403)
    expect(shared.body.errors[0].message).toBe('Only an admin of the organisation connects its shared calendar.')
    expect((await sender.get(`/calendar-connections/connect?provider=yahoo&org=${org}&format=json`)).status).toBe(400)
    expect((await sender.post('/calendar-connections', { org, provider: 'google', accountEmail: 'forged@example.com', owner: senderID })).status).toBe(403)
  })

  it('connects with the code flow and PKCE; the tokens are stored encrypted and never answered; a state is bound to its user', async () => {
    // Another member cannot finish the sender's sign-in with its state.
    const started = await sender.get(`/calendar-connections/connect?provider=google&org=${org}&format=json`)
    const authorize = new URL(started.body.url)
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorize.searchParams.get('access_type')).toBe('offline')
    expect(authorize.searchParams.get('state')).not.toContain('"v"')
    const stolen = await viewer.get(`/calendar-connections/callback/google?code=x&state=${encodeURIComponent(authorize.searchParams.get('state')!)}`)
    expect(stolen.status).toBe(302)
    expect(decodeURIComponent(stolen.headers.get('location') ?? '')).toMatch(/started by someone else/)

    const done = await connectAs(sender)
    expect(done.status).toBe(302)
    const { docs } = (await sender.get(`/calendar-connections?where[org][equals]=${org}&depth=0`)).body
    expect(docs).toHaveLength(1)
    connection = docs[0].id
    expect(docs[0]).toEqual(expect.objectContaining({ provider: 'google', accountEmail: 'staff@calendar.example', status: 'connected', shared: false }))
    for (const secret of ['accessTokenEncrypted', 'refreshTokenEncrypted', 'syncCursor', 'accessTokenExpiresAt']) expect(docs[0]).not.toHaveProperty(secret)
    const { rows } = await pool().query('SELECT access_token_encrypted, refresh_token_encrypted FROM calendar_connections WHERE id = $1', [connection])
    expect(rows[0].refresh_token_encrypted).toMatch(/^gAAAAA/)
    const tokenRequest = fake.requests.find((r) => r.path === new URL(fake.tokenUrl).pathname && r.body?.grant_type === 'authorization_code')!
    expect(tokenRequest.body.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/)
    // The viewer sees no personal connection of the sender's.
    expect((await viewer.get(`/calendar-connections?where[org][equals]=${org}`)).body.docs).toHaveLength(0)
    // Nobody edits a connection, not even its owner: not its cursor (where our token would be sent), not shared, not its tokens.
    const before = (await pool().query('SELECT sync_cursor, shared, refresh_token_encrypted FROM calendar_connections WHERE id = $1', [connection])).rows[0]
    const edit = await sender.patch(`/calendar-connections/${connection}`, { syncCursor: 'https://collector.example/steal', shared: true, refreshTokenEncrypted: 'x' })
    expect(edit.status).toBe(403)
    expect((await pool().query('SELECT sync_cursor, shared, refresh_token_encrypted FROM calendar_connections WHERE id = $1', [connection])).rows[0]).toEqual(before)
  })
})

describe('a connection whose stored sign-in cannot be read', () => {
  it('is marked "Reconnect required" by the sweep, with a sentence, and the sweep goes on', async () => {
    const other = await makeUser(payload, [{ org, roles: ['sender'] }])
    const broken = await payload.create({ collection: 'calendar-connections', data: { org, provider: 'google', accountEmail: 'broken@calendar.example', owner: other.id, status: 'connected', refreshTokenEncrypted: 'gAAAAA-damaged' }, overrideAccess: true })
    await expect(sweepCalendarSync({ payload })).resolves.toEqual(expect.objectContaining({ released: expect.any(Number) }))
    const after = await payload.findByID({ collection: 'calendar-connections', id: broken.id, overrideAccess: true })
    expect(after.status).toBe('reconnect')
    expect(after.lastError).toBe('The calendar’s stored sign-in can no longer be read (was FERNET_KEY changed?): its owner must reconnect it.')
    await payload.delete({ collection: 'calendar-connections', id: broken.id, overrideAccess: true })
  })
})

describe('booking sync with Google Calendar', () => {
  let booking: number
  let eventID: string

  it('a booking makes exactly one event (whatever the retries) with its attendees and reminders; a reschedule patches it', async () => {
    const res = await sender.post('/bookings', {
      org,
      owner: senderID,
      title: 'Fitting',
      start: at(1, 9),
      end: at(1, 10),
      timeZone: 'Europe/Paris',
      sendInvitations: false,
      attendees: [{ contact }, { email: 'guest@example.com', optional: true }],
      reminders: [{ method: 'email', minutesBefore: 1440 }, { method: 'popup', minutesBefore: 10 }],
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    booking = res.body.doc.id
    expect((await syncRow(booking)).status).toBe('pending')
    await syncBookingCalendars({ payload, bookingID: booking })
    eventID = googleEventID({ org, id: booking }, connection)
    expect(await syncRow(booking)).toEqual(expect.objectContaining({ status: 'synced', event: eventID, seq: 0 }))
    const event = eventOf(eventID)!
    expect(event.summary).toBe('Fitting')
    expect(new Date(event.start.dateTime).toISOString()).toBe(at(1, 9))
    expect(event.start.timeZone).toBe('Europe/Paris')
    expect(event.attendees.map((a: { email: string; optional?: boolean }) => [a.email, Boolean(a.optional)])).toEqual([
      [contactEmail, false],
      ['guest@example.com', true],
    ])
    expect(event.reminders).toEqual({ useDefault: false, overrides: [{ method: 'popup', minutes: 10 }, { method: 'email', minutes: 1440 }] })
    const insert = fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/events'))!
    expect(insert.query.get('sendUpdates')).toBe('none')

    // A retried create (its answer lost) names the same event: still one.
    await pool().query(`UPDATE booking_syncs SET status = 'pending', provider_event_i_d = NULL WHERE booking_id = $1`, [booking])
    await syncBookingCalendars({ payload, bookingID: booking })
    expect(fake.events('primary').filter((e) => e.summary === 'Fitting')).toHaveLength(1)
    expect((await syncRow(booking)).event).toBe(eventID)

    expect((await sender.patch(`/bookings/${booking}`, { start: at(1, 14), end: at(1, 15) })).status).toBe(200)
    await syncBookingCalendars({ payload, bookingID: booking })
    expect(new Date(eventOf(eventID)!.start.dateTime).toISOString()).toBe(at(1, 14))
    expect(fake.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/events/${eventID}`)).length).toBeGreaterThanOrEqual(2)
    expect(await syncRow(booking)).toEqual(expect.objectContaining({ status: 'synced', seq: 1 }))
  })

  it('refreshes an access token Google stopped accepting and keeps the rotated refresh token; a 429 waits for Retry-After', async () => {
    const before = (await pool().query('SELECT refresh_token_encrypted FROM calendar_connections WHERE id = $1', [connection])).rows[0].refresh_token_encrypted
    fake.expireAccessTokens()
    expect((await sender.patch(`/bookings/${booking}`, { title: 'Fitting (long)' })).status).toBe(200)
    await syncBookingCalendars({ payload, bookingID: booking })
    expect(eventOf(eventID)!.summary).toBe('Fitting (long)')
    expect(fake.requests.some((r) => r.body?.grant_type === 'refresh_token')).toBe(true)
    await expect.poll(async () => (await pool().query('SELECT refresh_token_encrypted FROM calendar_connections WHERE id = $1', [connection])).rows[0].refresh_token_encrypted).not.toBe(before)

    fake.failNext(1, { status: 429, reason: 'rateLimitExceeded', retryAfter: 7 })
    expect((await sender.patch(`/bookings/${booking}`, { location: 'Atelier' })).status).toBe(200)
    await syncBookingCalendars({ payload, bookingID: booking })
    const waiting = await syncRow(booking)
    expect(waiting).toEqual(expect.objectContaining({ status: 'pending', provider_code: 'HTTP 429 rateLimitExceeded' }))
    expect(waiting.last_error).toBe('Google Calendar asked us to slow down (rate limit). Trying again in 7 s.')
    const wait = (new Date(waiting.next_attempt_at).getTime() - Date.now()) / 1000
    expect(wait).toBeGreaterThan(4)
    expect(wait).toBeLessThanOrEqual(8)
    // Not due: nothing is sent; once due, it goes.
    expect(await syncBookingCalendars({ payload, bookingID: booking })).toBe(0)
    await pool().query('UPDATE booking_syncs SET next_attempt_at = now() WHERE booking_id = $1', [booking])
    await syncBookingCalendars({ payload, bookingID: booking })
    expect(eventOf(eventID)!.location).toBe('Atelier')
    expect((await syncRow(booking)).status).toBe('synced')
  })

  it('changes made in the calendar come back: a move, an answer, a deletion, each with an audit entry naming the calendar; 410 restarts from everything', async () => {
    expect((await pullCalendarChanges({ payload, connectionID: connection })).status).toBe('pulled')
    fake.moveEvent('primary', eventID, new Date(at(2, 11)), new Date(at(2, 12)))
    fake.respond('primary', eventID, contactEmail, 'accepted')
    const pulled = await pullCalendarChanges({ payload, connectionID: connection })
    expect(pulled).toEqual(expect.objectContaining({ status: 'pulled', applied: 1, conflicts: 0, full: false }))
    const moved = (await sender.get(`/bookings/${booking}`)).body
    expect([moved.start, moved.end, moved.status]).toEqual([at(2, 11), at(2, 12), 'rescheduled'])
    expect(moved.attendees[0].response).toBe('accepted')
    const audit = await payload.find({ collection: 'audit-logs', where: { and: [{ action: { equals: 'booking.calendar_change' } }, { targetID: { equals: String(booking) } }] }, overrideAccess: true })
    expect(audit.docs[0]?.summary).toMatch(/^Moved to .* in Google Calendar \(staff@calendar\.example\)\.$/)
    // The calendar already shows this version: it is not written back.
    expect((await syncRow(booking)).status).toBe('synced')

    fake.invalidateSyncTokens()
    fake.respond('primary', eventID, 'guest@example.com', 'declined')
    const full = await pullCalendarChanges({ payload, connectionID: connection })
    expect(full).toEqual(expect.objectContaining({ status: 'pulled', full: true, applied: 1 }))
    expect((await sender.get(`/bookings/${booking}`)).body.attendees[1].response).toBe('declined')

    fake.cancelEvent('primary', eventID)
    expect((await pullCalendarChanges({ payload, connectionID: connection })).applied).toBe(1)
    expect((await sender.get(`/bookings/${booking}`)).body.status).toBe('cancelled')
    const cancelled = await payload.find({ collection: 'audit-logs', where: { and: [{ action: { equals: 'booking.calendar_change' } }, { targetID: { equals: String(booking) } }] }, sort: '-createdAt', overrideAccess: true })
    expect(cancelled.docs[0]?.summary).toBe('Cancelled in Google Calendar (staff@calendar.example).')
    // Writing the cancellation back finds the event already deleted (410): done.
    await syncBookingCalendars({ payload, bookingID: booking })
    expect((await syncRow(booking)).status).toBe('synced')
  })

  it('a change on both sides keeps Outpost’s version (and says so); cancelling in Outpost deletes the event', async () => {
    const res = await sender.post('/bookings', { org, owner: senderID, title: 'Both sides', start: at(5, 9), end: at(5, 10), sendInvitations: false })
    const id = res.body.doc.id
    await syncBookingCalendars({ payload, bookingID: id })
    const event = googleEventID({ org, id }, connection)
    await pullCalendarChanges({ payload, connectionID: connection })
    // Outpost moves it (not yet written to the calendar) while someone moves it in the calendar.
    expect((await sender.patch(`/bookings/${id}`, { start: at(5, 15), end: at(5, 16) })).status).toBe(200)
    fake.moveEvent('primary', event, new Date(at(5, 7)), new Date(at(5, 8)))
    const pulled = await pullCalendarChanges({ payload, connectionID: connection })
    expect(pulled.conflicts).toBe(1)
    expect((await sender.get(`/bookings/${id}`)).body.start).toBe(at(5, 15))
    expect((await syncRow(id)).note).toMatch(/moved in Google Calendar \(staff@calendar\.example\) while this booking had changes not yet written there; Outpost's version was kept/)
    await syncBookingCalendars({ payload, bookingID: id })
    expect(new Date(eventOf(event)!.start.dateTime).toISOString()).toBe(at(5, 15))

    expect((await sender.patch(`/bookings/${id}`, { status: 'cancelled' })).status).toBe(200)
    await syncBookingCalendars({ payload, bookingID: id })
    expect(eventOf(event)?.status).toBe('cancelled')
    expect(fake.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/events/${event}`))).toHaveLength(1)
    expect((await syncRow(id)).status).toBe('synced')
  })

  it('deleting a booking removes its event from the calendar (after a failure too), then its calendar row', async () => {
    const res = await sender.post('/bookings', { org, owner: senderID, title: 'Deleted later', start: at(8, 9), end: at(8, 10), sendInvitations: false })
    const id = res.body.doc.id
    await syncBookingCalendars({ payload, bookingID: id })
    const event = googleEventID({ org, id }, connection)
    expect(eventOf(event)?.status).toBe('confirmed')
    const { id: rowID } = await syncRow(id)

    // The first removal meets a 503: the row, its booking gone, waits and says why; the next run removes the event.
    fake.failNext(1, { status: 503, reason: 'backendError' })
    expect((await sender.delete(`/bookings/${id}`)).status).toBe(200)
    const waiting = (await pool().query('SELECT booking_id, status::text AS status, provider_event_i_d AS event, note FROM booking_syncs WHERE id = $1', [rowID])).rows[0]
    expect(waiting).toMatchObject({ booking_id: null, status: 'pending', event })
    expect(waiting.note).toBe('The booking was deleted: its event is removed from this calendar.')
    await sweepCalendarSync({ payload })
    const failedOnce = (await pool().query('SELECT status::text AS status, last_error FROM booking_syncs WHERE id = $1', [rowID])).rows[0]
    expect(failedOnce.status).toBe('pending')
    expect(failedOnce.last_error).toMatch(/Trying again in \d+ s/)
    expect(eventOf(event)?.status).toBe('confirmed')
    await pool().query('UPDATE booking_syncs SET next_attempt_at = now() WHERE id = $1', [rowID])
    await sweepCalendarSync({ payload })
    expect(eventOf(event)?.status).toBe('cancelled')
    expect(fake.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/events/${event}`))).toHaveLength(2)
    expect((await pool().query('SELECT count(*)::int AS n FROM booking_syncs WHERE id = $1', [rowID])).rows[0].n).toBe(0)

    // A booking deleted while a worker is creating its event: the row keeps the worker's claim and gets the
    // event's id (derived from the booking); once the claim's lease runs out, the sweep removes the event —
    // here it never came to be, so Google answers 404, which counts as done — and the row goes.
    const quick = (await sender.post('/bookings', { org, owner: senderID, title: 'Deleted mid-create', start: at(8, 11), end: at(8, 12), sendInvitations: false })).body.doc.id
    const quickEvent = googleEventID({ org, id: quick }, connection)
    const { id: quickRow } = await syncRow(quick)
    await pool().query(`UPDATE booking_syncs SET status = 'syncing', claim_token = 'held-by-a-worker', lease_expires_at = now() + interval '1 minute' WHERE id = $1`, [quickRow])
    expect((await sender.delete(`/bookings/${quick}`)).status).toBe(200)
    const held = (await pool().query('SELECT booking_id, status::text AS status, claim_token, provider_event_i_d AS event FROM booking_syncs WHERE id = $1', [quickRow])).rows[0]
    expect(held).toEqual({ booking_id: null, status: 'syncing', claim_token: 'held-by-a-worker', event: quickEvent })
    await pool().query(`UPDATE booking_syncs SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [quickRow])
    await sweepCalendarSync({ payload })
    expect((await pool().query('SELECT count(*)::int AS n FROM booking_syncs WHERE id = $1', [quickRow])).rows[0].n).toBe(0)
    expect(fake.requests.filter((r) => r.path.endsWith(`/events/${quickEvent}`)).map((r) => r.method)).toEqual(['DELETE'])
  })

  it('when the staff member changes, the event leaves the former one’s calendar', async () => {
    const colleague = await makeUser(payload, [{ org, roles: ['sender'] }])
    const res = await sender.post('/bookings', { org, owner: senderID, title: 'Handed over', start: at(6, 9), end: at(6, 10), sendInvitations: false })
    const id = res.body.doc.id
    await syncBookingCalendars({ payload, bookingID: id })
    const event = googleEventID({ org, id }, connection)
    expect(eventOf(event)?.status).toBe('confirmed')
    expect((await sender.patch(`/bookings/${id}`, { owner: colleague.id })).status).toBe(200)
    await syncBookingCalendars({ payload, bookingID: id })
    expect(eventOf(event)?.status).toBe('cancelled')
    expect((await syncRow(id)).status).toBe('synced')
  })

  it('a revoked grant marks the connection "Reconnect required", fails its syncs with a sentence, and Retry says to reconnect first', async () => {
    fake.revokeRefreshTokens()
    fake.expireAccessTokens()
    const res = await sender.post('/bookings', { org, owner: senderID, title: 'After revoke', start: at(7, 9), end: at(7, 10), sendInvitations: false })
    const id = res.body.doc.id
    await syncBookingCalendars({ payload, bookingID: id })
    const row = await syncRow(id)
    expect(row.status).toBe('failed')
    expect(row.last_error).toBe('Google revoked or expired this connection’s access: its owner must reconnect it. Reconnect the calendar, then retry.')
    expect(row.provider_code).toMatch(/invalid_grant/)
    const conn = (await sender.get(`/calendar-connections/${connection}`)).body
    expect(conn.status).toBe('reconnect')
    const retry = await sender.post(`/booking-syncs/${row.id}/retry`)
    expect(retry.status).toBe(409)
    expect(retry.body.errors[0].message).toBe('The calendar connection needs its owner to reconnect it first.')
    expect((await viewer.post(`/booking-syncs/${row.id}/retry`)).status).toBe(403)
    // A new booking is not queued for a connection that needs reconnecting.
    const later = await sender.post('/bookings', { org, owner: senderID, title: 'Later', start: at(8, 9), end: at(8, 10), sendInvitations: false })
    expect(await syncRow(later.body.doc.id)).toBeUndefined()

    // Reconnecting makes it Connected again (the same connection), and Retry writes the booking.
    fake.reset()
    expect((await connectAs(sender)).status).toBe(302)
    expect((await sender.get(`/calendar-connections/${connection}`)).body.status).toBe('connected')
    const retried = await sender.post(`/booking-syncs/${row.id}/retry`)
    expect(retried.status, JSON.stringify(retried.body)).toBe(200)
    expect(retried.body.status).toBe('synced')
    expect(eventOf(googleEventID({ org, id }, connection))?.summary).toBe('After revoke')
  })

  it('an org admin connects the shared calendar: every booking goes there too, and every member sees it', async () => {
    const admin = await loginAs((await makeUser(payload, [{ org, roles: ['admin'] }], { password: 'fixture-password' })).email, 'fixture-password')
    expect((await connectAs(admin, '&shared=1')).status).toBe(302)
    const shared = (await admin.get(`/calendar-connections?where[and][0][org][equals]=${org}&where[and][1][shared][equals]=true&depth=0`)).body.docs
    expect(shared).toHaveLength(1)
    expect(shared[0]).toEqual(expect.objectContaining({ shared: true, status: 'connected' }))
    // The viewer sees the shared calendar (not the sender's own); the admin sees both.
    expect((await viewer.get(`/calendar-connections?where[org][equals]=${org}&depth=0`)).body.docs.map((d: { id: number }) => d.id)).toEqual([shared[0].id])
    expect((await admin.get(`/calendar-connections?where[org][equals]=${org}&depth=0`)).body.totalDocs).toBe(2)
    expect((await viewer.delete(`/calendar-connections/${shared[0].id}`)).status).toBe(403)

    const res = await sender.post('/bookings', { org, owner: senderID, title: 'Team review', start: at(12, 9), end: at(12, 10), sendInvitations: false })
    const id = res.body.doc.id
    await syncBookingCalendars({ payload, bookingID: id })
    const rows = (await dbPool(payload).query('SELECT connection_id, status::text AS status, provider_event_i_d AS event FROM booking_syncs WHERE booking_id = $1 ORDER BY connection_id', [id])).rows
    expect(rows.map((r) => [r.connection_id, r.status])).toEqual([
      [connection, 'synced'],
      [shared[0].id, 'synced'],
    ])
    expect(rows.map((r) => r.event)).toEqual([googleEventID({ org, id }, connection), googleEventID({ org, id }, shared[0].id)])
    expect(fake.events('primary').filter((e) => e.summary === 'Team review')).toHaveLength(2)
  })
})
