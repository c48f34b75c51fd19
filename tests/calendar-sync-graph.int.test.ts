import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { dbPool } from '@/db/pool'
import { pullCalendarChanges } from '@/services/calendar/pull-calendar-changes'
import { syncBookingCalendars } from '@/services/calendar/sweep-calendar-sync'

import { type GraphFake, startGraphFake } from './fakes/graph-fake'
import { type ApiClient, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeUser, unique } from './helpers/fixtures'

/**
 * Two-way sync with a Microsoft calendar over Graph v1.0 (fetch, no SDK) against a loopback fake that
 * speaks the identity platform and Graph (with a request log): connecting with the code flow and PKCE;
 * create with `transactionId` (one event however often it is retried), patch, delete; one reminder and a
 * note for the rest; the delta query (`deltaLink`, 410 → full resync) bringing moves, answers and
 * deletions back; 429 with Retry-After; the token refreshed and rotated; invalid_grant → reconnect.
 */
let payload: Payload
let fake: GraphFake
let org: number
let sender: ApiClient
let senderID: number
let contactEmail: string
let contact: number
let connection: number
const saved: Record<string, string | undefined> = {}
const ENV = ['MS_CLIENT_ID', 'MS_CLIENT_SECRET', 'MS_TENANT', 'MS_LOGIN_BASE_URL', 'MS_GRAPH_BASE_URL']

const at = (day: number, hour: number) => new Date(Date.UTC(2027, 9, day, hour)).toISOString()
const syncRow = async (booking: number) =>
  (await dbPool(payload).query('SELECT id, status::text AS status, provider_event_i_d AS event, last_error, provider_code, note, next_attempt_at FROM booking_syncs WHERE booking_id = $1', [booking])).rows[0]
const eventOf = (id: string) => fake.events().find((e) => e.id === id)
const instant = (graph: { dateTime: string; timeZone: string }) => new Date(`${graph.dateTime.replace(/\.\d+$/, '')}Z`).toISOString()

beforeAll(async () => {
  payload = await getTestPayload()
  fake = await startGraphFake({ clientId: 'outpost-graph-client', clientSecret: 'graph-secret', tenantId: 'contoso', email: 'staff@contoso.example', rotateRefreshTokens: true })
  for (const key of ENV) saved[key] = process.env[key]
  Object.assign(process.env, { MS_CLIENT_ID: fake.clientId, MS_CLIENT_SECRET: 'graph-secret', MS_TENANT: 'contoso', MS_LOGIN_BASE_URL: new URL(fake.url).origin, MS_GRAPH_BASE_URL: fake.graphUrl })
  org = (await payload.create({ collection: 'organizations', data: { name: 'Graph Org', slug: unique('graph'), postalAddress: '1 Quay' } as never })).id
  const user = await makeUser(payload, [{ org, roles: ['sender'] }], { password: 'fixture-password', name: 'Mo Staff' })
  senderID = user.id
  sender = await loginAs(user.email, 'fixture-password')
  contactEmail = `${unique('grace')}@example.com`
  contact = (await makeContact(payload, org, { email: contactEmail, firstName: 'Grace' })).id
})

afterAll(async () => {
  for (const key of ENV) {
    if (saved[key] === undefined) delete process.env[key]
    else process.env[key] = saved[key]
  }
  await fake?.close()
})

describe('booking sync with a Microsoft calendar (Graph)', () => {
  let booking: number
  let eventID: string

  it('connects through the identity platform with PKCE and offline access', async () => {
    const started = await sender.get(`/calendar-connections/connect?provider=microsoft&org=${org}&format=json`)
    expect(started.status, JSON.stringify(started.body)).toBe(200)
    const authorize = new URL(started.body.url)
    expect(authorize.pathname).toBe('/contoso/oauth2/v2.0/authorize')
    expect(authorize.searchParams.get('scope')).toContain('offline_access')
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    const consent = await (await fetch(started.body.url)).text()
    expect(consent).toContain('Fake Microsoft consent')
    const allow = new URL(/id="allow" href="([^"]+)"/.exec(consent)![1]!.replace(/&amp;/g, '&'))
    const done = await sender.get(`/calendar-connections/callback/microsoft?${allow.searchParams}`)
    expect(done.status).toBe(302)
    const doc = (await sender.get(`/calendar-connections?where[org][equals]=${org}&depth=0`)).body.docs[0]
    expect(doc).toEqual(expect.objectContaining({ provider: 'microsoft', accountEmail: 'staff@contoso.example', status: 'connected' }))
    connection = doc.id
  })

  it('creates one event per booking with transactionId (retries included), one reminder and a note for the others, then patches it', async () => {
    const res = await sender.post('/bookings', {
      org,
      owner: senderID,
      title: 'Consultation',
      start: at(4, 9),
      end: at(4, 10),
      location: 'Room 5',
      sendInvitations: false,
      attendees: [{ contact }, { email: 'optional@example.com', optional: true }],
      reminders: [{ method: 'popup', minutesBefore: 15 }, { method: 'email', minutesBefore: 60 }],
    })
    booking = res.body.doc.id
    await syncBookingCalendars({ payload, bookingID: booking })
    const row = await syncRow(booking)
    expect(row.status).toBe('synced')
    eventID = row.event
    const event = eventOf(eventID)!
    expect([event.subject, instant(event.start), instant(event.end), event.location.displayName, event.isReminderOn, event.reminderMinutesBeforeStart]).toEqual(['Consultation', at(4, 9), at(4, 10), 'Room 5', true, 15])
    expect(event.attendees.map((a: { emailAddress: { address: string }; type: string }) => [a.emailAddress.address, a.type])).toEqual([
      [contactEmail, 'required'],
      ['optional@example.com', 'optional'],
    ])
    expect(row.note).toBe('Microsoft calendars keep one reminder: 15 minutes before; 60 minutes (email) not kept there.')
    const post = fake.requests.find((r) => r.method === 'POST' && r.path === '/v1.0/me/events')!
    expect(post.body.transactionId).toMatch(/^[0-9a-f]{32}$/)

    await dbPool(payload).query(`UPDATE booking_syncs SET status = 'pending', provider_event_i_d = NULL WHERE booking_id = $1`, [booking])
    await syncBookingCalendars({ payload, bookingID: booking })
    expect(fake.events().filter((e) => e.subject === 'Consultation')).toHaveLength(1)
    expect((await syncRow(booking)).event).toBe(eventID)

    await sender.patch(`/bookings/${booking}`, { start: at(4, 13), end: at(4, 14) })
    await syncBookingCalendars({ payload, bookingID: booking })
    expect(instant(eventOf(eventID)!.start)).toBe(at(4, 13))
  })

  it('a 429 waits for Retry-After; an expired token is refreshed (and the rotated one kept)', async () => {
    fake.failNext(1, { status: 429, code: 'TooManyRequests', retryAfter: 5 })
    await sender.patch(`/bookings/${booking}`, { title: 'Consultation (room 6)' })
    await syncBookingCalendars({ payload, bookingID: booking })
    const waiting = await syncRow(booking)
    expect([waiting.status, waiting.provider_code, waiting.last_error]).toEqual(['pending', 'HTTP 429 TooManyRequests', 'Microsoft Outlook asked us to slow down. Trying again in 5 s.'])
    await dbPool(payload).query('UPDATE booking_syncs SET next_attempt_at = now() WHERE booking_id = $1', [booking])
    const before = (await dbPool(payload).query('SELECT refresh_token_encrypted FROM calendar_connections WHERE id = $1', [connection])).rows[0].refresh_token_encrypted
    fake.expireAccessTokens()
    await syncBookingCalendars({ payload, bookingID: booking })
    expect(eventOf(eventID)!.subject).toBe('Consultation (room 6)')
    expect((await dbPool(payload).query('SELECT refresh_token_encrypted FROM calendar_connections WHERE id = $1', [connection])).rows[0].refresh_token_encrypted).not.toBe(before)
  })

  it('the delta query brings moves, answers and deletions back; an invalid delta token restarts from everything', async () => {
    // A stored cursor that is not Graph's own is never called with our token: the pull starts over from Graph.
    await dbPool(payload).query('UPDATE calendar_connections SET sync_cursor = $2 WHERE id = $1', [connection, 'https://collector.example/steal?token=1'])
    const calls = fake.requests.length
    expect(await pullCalendarChanges({ payload, connectionID: connection })).toEqual(expect.objectContaining({ status: 'pulled', full: true }))
    expect(fake.requests.slice(calls).every((r) => !r.path.includes('steal'))).toBe(true)
    expect((await pullCalendarChanges({ payload, connectionID: connection })).status).toBe('pulled')
    fake.moveEvent(eventID, new Date(at(5, 8)), new Date(at(5, 9)))
    fake.respond(eventID, contactEmail, 'tentativelyAccepted')
    expect((await pullCalendarChanges({ payload, connectionID: connection })).applied).toBe(1)
    const moved = (await sender.get(`/bookings/${booking}`)).body
    expect([moved.start, moved.status, moved.attendees[0].response]).toEqual([at(5, 8), 'rescheduled', 'tentative'])
    fake.invalidateDeltaTokens()
    fake.moveEvent(eventID, new Date(at(5, 10)), new Date(at(5, 11)))
    const full = await pullCalendarChanges({ payload, connectionID: connection })
    expect(full).toEqual(expect.objectContaining({ status: 'pulled', full: true, applied: 1 }))
    expect((await sender.get(`/bookings/${booking}`)).body.start).toBe(at(5, 10))
    // Deleted while the change feed was lost: the full read does not list it, so it is deleted.
    fake.invalidateDeltaTokens()
    fake.deleteEvent(eventID)
    const again = await pullCalendarChanges({ payload, connectionID: connection })
    expect(again).toEqual(expect.objectContaining({ full: true, applied: 1 }))
    expect((await sender.get(`/bookings/${booking}`)).body.status).toBe('cancelled')
  })

  it('invalid_grant marks the connection "Reconnect required"', async () => {
    fake.revokeRefreshTokens()
    fake.expireAccessTokens()
    const res = await sender.post('/bookings', { org, owner: senderID, title: 'After revoke', start: at(9, 9), end: at(9, 10), sendInvitations: false })
    await syncBookingCalendars({ payload, bookingID: res.body.doc.id })
    const row = await syncRow(res.body.doc.id)
    expect([row.status, row.last_error]).toEqual(['failed', 'Microsoft revoked or expired this connection’s access: its owner must reconnect it. Reconnect the calendar, then retry.'])
    expect((await sender.get(`/calendar-connections/${connection}`)).body.status).toBe('reconnect')
  })
})
