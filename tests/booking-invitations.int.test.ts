import ICAL from 'ical.js'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { dbPool } from '@/db/pool'
import { deliverBookingInvitation } from '@/services/bookings/deliver-booking-invitation'
import { sendBookingInvitations } from '@/services/bookings/send-booking-invitations'
import { sweepBookingInvitations } from '@/services/bookings/sweep-booking-invitations'

import { type SinkMessage, type SmtpSink, startSmtpSink } from './fakes/smtp-sink'
import { type ApiClient, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeUser, unique } from './helpers/fixtures'

/**
 * A booking's iCalendar invitations through the org's real email path (SMTP to a real SMTP server on
 * loopback): saves through REST queue them in the save's transaction; the worker's task sends each once
 * (parallel deliveries and repeated triggers included); reschedules carry the same UID with a growing
 * SEQUENCE, cancellations and removed attendees get METHOD:CANCEL; a version replaced before it left is
 * not sent; provider refusals end as sentences (permanent) or retries (transient); a dead worker's claim
 * is released or marked unknown. Every .ics is parsed back with ical.js and checked field by field.
 */
let payload: Payload
let sink: SmtpSink
let org: number
let sender: ApiClient
let senderID: number
let contactEmail: string
let contact: number

const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2027, 2, day, hour, minute)).toISOString()

type Row = { id: number; email: string; method: string; sequence: number; status: string; attempts: number; error: null | string }
const rowsOf = async (booking: number): Promise<Row[]> =>
  (await sender.get(`/booking-invitations?where[booking][equals]=${booking}&limit=100`)).body.docs
    .sort((a: Row, b: Row) => a.sequence - b.sequence || a.id - b.id)
    .map((d: Row) => ({
    id: d.id,
    email: d.email,
    method: d.method,
    sequence: d.sequence,
    status: d.status,
    attempts: d.attempts,
    error: d.error ?? null,
  }))

/** The .ics of a received message, parsed: the calendar, its event and the raw attachment's content type. */
const icsOf = (message: SinkMessage) => {
  const attachment = message.parsed.attachments.find((a) => a.contentType === 'text/calendar')
  if (!attachment) throw new Error(`no text/calendar attachment in "${message.parsed.subject}"`)
  const calendar = new ICAL.Component(ICAL.parse(attachment.content.toString('utf8')))
  const vevent = calendar.getFirstSubcomponent('vevent')!
  return { calendar, vevent, event: new ICAL.Event(vevent), attachment }
}
const to = (address: string) => sink.messages.filter((m) => m.to.includes(address))

beforeAll(async () => {
  payload = await getTestPayload()
  sink = await startSmtpSink()
  org = (
    await payload.create({
      collection: 'organizations',
      data: {
        name: 'Invites Org',
        slug: unique('invites'),
        postalAddress: '1 Quay',
        timeZone: 'Europe/London',
        sending: { provider: 'smtp', smtpHost: '127.0.0.1', smtpPort: sink.port, smtpSecure: false, fromAddress: 'bookings@invites.example', fromName: 'Invites Org' },
      } as never,
    })
  ).id
  const password = 'fixture-password'
  const user = await makeUser(payload, [{ org, roles: ['sender'] }], { password, name: 'Sam Sender' })
  senderID = user.id
  sender = await loginAs(user.email, password)
  contactEmail = `${unique('ada')}@example.com`
  contact = (await makeContact(payload, org, { email: contactEmail, firstName: 'Ada', lastName: 'Lovelace' })).id
})

afterAll(async () => {
  await sink?.close()
})

const book = async (data: Record<string, unknown>) => {
  const res = await sender.post('/bookings', { org, owner: senderID, title: 'Check-up', start: at(1, 9), end: at(1, 10), timeZone: 'Europe/London', allowOverlap: true, ...data })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.doc as { id: number; sequence: number }
}

describe('booking invitations (.ics by email)', () => {
  it('a new booking queues one invitation per attendee in its save, and the worker’s task sends each once', async () => {
    const guest = `${unique('guest')}@example.com`
    const booking = await book({
      title: 'Check-up, Ada; room "2"',
      location: '1 Quay, Room 2',
      videoLink: 'https://meet.example/abc',
      description: 'Bring the forms.\nAsk at the desk.',
      attendees: [{ contact }, { email: guest, name: 'Guest Person', optional: true }, { email: contactEmail.toUpperCase() }],
      reminders: [{ method: 'popup', minutesBefore: 15 }, { method: 'email', minutesBefore: 1440 }],
    })
    // One per address (the contact written twice counts once), queued with the booking.
    expect((await rowsOf(booking.id)).map((r) => [r.email.toLowerCase(), r.method, r.sequence, r.status])).toEqual([
      [contactEmail, 'request', 0, 'queued'],
      [guest, 'request', 0, 'queued'],
    ])
    // The save queued the worker's trigger for this booking; running it sends them.
    const { rows: jobs } = await dbPool(payload).query<{ id: number }>(`SELECT id FROM payload_jobs WHERE task_slug = 'sendBookingInvitations' AND (input->>'bookingID')::int = $1`, [booking.id])
    expect(jobs).toHaveLength(1)
    await payload.jobs.runByID({ id: jobs[0]!.id })
    await sink.waitFor(2)
    expect((await rowsOf(booking.id)).map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
    ])
    // Running the trigger again, or the sweep, sends nothing more.
    expect((await sendBookingInvitations({ payload, bookingID: booking.id })).sent).toBe(0)
    await sweepBookingInvitations({ payload })
    expect(to(contactEmail)).toHaveLength(1)
    expect(to(guest)).toHaveLength(1)

    const mail = to(contactEmail)[0]!
    expect(mail.from).toBe('bookings@invites.example')
    expect(mail.parsed.subject).toBe('Invitation: Check-up, Ada; room "2" — Mon, 1 Mar 2027, 09:00–10:00 (Europe/London)')
    expect(mail.parsed.text).toContain('Where: 1 Quay, Room 2')
    expect(mail.parsed.text).toContain('Organiser: Sam Sender <')
    const { calendar, event, vevent, attachment } = icsOf(mail)
    expect(attachment.headers.get('content-type')).toEqual(expect.objectContaining({ value: 'text/calendar', params: expect.objectContaining({ method: 'REQUEST' }) }))
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST')
    expect(event.uid).toBe(`booking-${org}-${booking.id}@localhost`)
    expect(event.sequence).toBe(0)
    expect(event.summary).toBe('Check-up, Ada; room "2"')
    expect(event.location).toBe('1 Quay, Room 2')
    expect(event.description).toBe('Bring the forms.\nAsk at the desk.')
    expect(event.startDate.toJSDate().toISOString()).toBe(at(1, 9))
    expect(event.endDate.toJSDate().toISOString()).toBe(at(1, 10))
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED')
    expect(String(vevent.getFirstPropertyValue('organizer'))).toMatch(/^mailto:.+@/)
    expect(vevent.getFirstProperty('organizer')!.getParameter('cn')).toBe('Sam Sender')
    const attendees = vevent.getAllProperties('attendee').map((p) => [String(p.getFirstValue()).toLowerCase(), p.getParameter('role'), p.getParameter('partstat'), p.getParameter('cn')])
    expect(attendees).toEqual([
      [`mailto:${contactEmail}`, 'REQ-PARTICIPANT', 'NEEDS-ACTION', 'Ada Lovelace'],
      [`mailto:${guest}`, 'OPT-PARTICIPANT', 'NEEDS-ACTION', 'Guest Person'],
    ])
    expect(vevent.getAllSubcomponents('valarm').map((a) => [a.getFirstPropertyValue('action'), String(a.getFirstPropertyValue('trigger'))])).toEqual([
      ['DISPLAY', '-PT15M'],
      ['EMAIL', '-PT1440M'],
    ])
  })

  it('a reschedule sends the same UID with the next SEQUENCE; a removed attendee gets a CANCEL; a cancellation cancels for all', async () => {
    sink.reset()
    const guest = `${unique('guest')}@example.com`
    const booking = await book({ title: 'Review', start: at(2, 9), end: at(2, 10), attendees: [{ contact }, { email: guest }] })
    await sendBookingInvitations({ payload, bookingID: booking.id })
    const uid = icsOf(to(guest)[0]!).event.uid

    // Only a change attendees see makes a new version: ticking "Book anyway" again sends nothing.
    expect((await sender.patch(`/bookings/${booking.id}`, { allowOverlap: true })).status).toBe(200)
    expect((await rowsOf(booking.id)).length).toBe(2)

    const moved = await sender.patch(`/bookings/${booking.id}`, { start: at(2, 14), end: at(2, 15) })
    expect(moved.body.doc).toEqual(expect.objectContaining({ status: 'rescheduled', sequence: 1 }))
    await sendBookingInvitations({ payload, bookingID: booking.id })
    const update = icsOf(to(guest)[1]!)
    expect(to(guest)[1]!.parsed.subject).toMatch(/^Updated invitation: Review — Tue, 2 Mar 2027, 14:00–15:00 \(Europe\/London\)$/)
    expect([update.calendar.getFirstPropertyValue('method'), update.event.uid, update.event.sequence, update.event.startDate.toJSDate().toISOString()]).toEqual(['REQUEST', uid, 1, at(2, 14)])

    // The guest is taken off: the contact gets the new version, the guest a CANCEL (only they are named in it).
    expect((await sender.patch(`/bookings/${booking.id}`, { attendees: [{ contact }] })).status).toBe(200)
    await sendBookingInvitations({ payload, bookingID: booking.id })
    const removed = icsOf(to(guest)[2]!)
    expect([removed.calendar.getFirstPropertyValue('method'), removed.event.uid, removed.event.sequence, removed.vevent.getFirstPropertyValue('status')]).toEqual(['CANCEL', uid, 2, 'CANCELLED'])
    expect(removed.vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase())).toEqual([`mailto:${guest}`])
    expect(to(guest)[2]!.parsed.subject).toMatch(/^Cancelled: Review/)
    expect(icsOf(to(contactEmail)[2]!).event.sequence).toBe(2)

    // Cancelled: a CANCEL with the next SEQUENCE to the attendee left; no alarms in a cancellation.
    expect((await sender.patch(`/bookings/${booking.id}`, { status: 'cancelled' })).body.doc.sequence).toBe(3)
    await sendBookingInvitations({ payload, bookingID: booking.id })
    const cancel = icsOf(to(contactEmail)[3]!)
    expect([cancel.calendar.getFirstPropertyValue('method'), cancel.event.uid, cancel.event.sequence]).toEqual(['CANCEL', uid, 3])
    expect(to(guest)).toHaveLength(3)
    expect((await rowsOf(booking.id)).map((r) => `${r.sequence}:${r.method}:${r.email === guest ? 'guest' : 'contact'}:${r.status}`)).toEqual([
      '0:request:contact:sent',
      '0:request:guest:sent',
      '1:request:contact:sent',
      '1:request:guest:sent',
      '2:request:contact:sent',
      '2:cancel:guest:sent',
      '3:cancel:contact:sent',
    ])
  })

  it('sends each invitation once when deliveries race, and skips a version replaced before it left', async () => {
    sink.reset()
    const guest = `${unique('race')}@example.com`
    const booking = await book({ title: 'Race', start: at(3, 9), end: at(3, 10), attendees: [{ email: guest }] })
    const [row] = await rowsOf(booking.id)
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => deliverBookingInvitation({ payload, invitationID: row!.id })))
    expect(outcomes.map((o) => o.status).sort()).toEqual(['busy', 'busy', 'busy', 'sent'])
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(to(guest)).toHaveLength(1)

    // Moved twice before the worker ran: only the latest version goes out.
    await sender.patch(`/bookings/${booking.id}`, { start: at(3, 11), end: at(3, 12) })
    await sender.patch(`/bookings/${booking.id}`, { start: at(3, 13), end: at(3, 14) })
    await sendBookingInvitations({ payload, bookingID: booking.id })
    expect((await rowsOf(booking.id)).map((r) => `${r.sequence}:${r.status}`)).toEqual(['0:sent', '1:superseded', '2:sent'])
    expect(to(guest).map((m) => icsOf(m).event.sequence)).toEqual([0, 2])
  })

  it('a refused address fails with the server’s reason; a temporary refusal is retried; no invitations when the booking says so', async () => {
    sink.reset()
    const bad = `${unique('nobody')}@example.com`
    const busy = `${unique('busy')}@example.com`
    sink.setRecipientRule((address) => (address === bad ? { code: 550, message: 'No such user here' } : address === busy ? { code: 451, message: 'Try again later' } : null))
    try {
      const booking = await book({ title: 'Refusals', start: at(4, 9), end: at(4, 10), attendees: [{ email: bad }, { email: busy }] })
      await sendBookingInvitations({ payload, bookingID: booking.id })
      const rows = await rowsOf(booking.id)
      const failed = rows.find((r) => r.email === bad)!
      const retried = rows.find((r) => r.email === busy)!
      expect(failed.status).toBe('failed')
      expect(failed.error).toBe('The mail server refused the message permanently (550).')
      expect(retried.status).toBe('queued')
      expect(retried.error).toMatch(/Retrying \(attempt 1 of 4\)\.$/)
      // Not due yet: the sweep leaves it; once due (and the server takes it), the sweep sends it.
      await sweepBookingInvitations({ payload })
      expect((await rowsOf(booking.id)).find((r) => r.email === busy)!.status).toBe('queued')
      sink.setRecipientRule(null)
      await dbPool(payload).query(`UPDATE booking_invitations SET next_attempt_at = now() - interval '1 second' WHERE id = $1`, [retried.id])
      await sweepBookingInvitations({ payload })
      expect((await rowsOf(booking.id)).find((r) => r.email === busy)).toEqual(expect.objectContaining({ status: 'sent', attempts: 2 }))
      expect(to(busy)).toHaveLength(1)
      expect(to(bad)).toHaveLength(0)
    } finally {
      sink.setRecipientRule(null)
    }
    const quiet = await book({ title: 'Quiet', start: at(5, 9), end: at(5, 10), attendees: [{ email: 'quiet@example.com' }], sendInvitations: false })
    expect(await rowsOf(quiet.id)).toEqual([])
  })

  it('a claim a dead worker left goes back to the queue if it never reached the provider, and is marked unknown (not resent) if it may have', async () => {
    sink.reset()
    const first = `${unique('lost')}@example.com`
    const second = `${unique('maybe')}@example.com`
    const booking = await book({ title: 'Dead worker', start: at(6, 9), end: at(6, 10), attendees: [{ email: first }, { email: second }] })
    const rows = await rowsOf(booking.id)
    const pool = dbPool(payload)
    // Both claimed by a worker that died: one before the provider call, one after handing it over.
    await pool.query(`UPDATE booking_invitations SET status = 'sending', attempts = 1, claim_token = 'dead', lease_expires_at = now() - interval '1 second' WHERE booking_id = $1`, [booking.id])
    await pool.query(`UPDATE booking_invitations SET handed_off_at = now() - interval '3 minutes' WHERE id = $1`, [rows.find((r) => r.email === second)!.id])
    const swept = await sweepBookingInvitations({ payload })
    expect(swept.released).toBeGreaterThanOrEqual(1)
    expect(swept.unknown).toBeGreaterThanOrEqual(1)
    const after = await rowsOf(booking.id)
    expect(after.find((r) => r.email === first)).toEqual(expect.objectContaining({ status: 'sent', attempts: 1 }))
    expect(after.find((r) => r.email === second)!.status).toBe('unknown')
    expect(after.find((r) => r.email === second)!.error).toMatch(/whether it left is unknown; it was not sent again/)
    expect(to(first)).toHaveLength(1)
    expect(to(second)).toHaveLength(0)
  })

  it('invitations are read-only through REST and GraphQL, and deleting a booking removes its log', async () => {
    const booking = await book({ title: 'Read-only', start: at(7, 9), end: at(7, 10), attendees: [{ email: 'ro@example.com' }] })
    const [row] = await rowsOf(booking.id)
    expect((await sender.patch(`/booking-invitations/${row!.id}`, { status: 'sent' })).status).toBe(403)
    expect((await sender.delete(`/booking-invitations/${row!.id}`)).status).toBe(403)
    expect((await sender.post('/booking-invitations', { org, booking: booking.id, email: 'x@example.com', method: 'request', sequence: 9 })).status).toBe(403)
    const gql = await sender.gql(`{ BookingInvitations(where: { booking: { equals: ${booking.id} } }) { docs { email method sequence status } } }`)
    expect(gql.body.data?.BookingInvitations.docs).toEqual([{ email: 'ro@example.com', method: 'request', sequence: 0, status: 'queued' }])
    expect((await sender.delete(`/bookings/${booking.id}`)).status).toBe(200)
    expect((await dbPool(payload).query('SELECT count(*)::int AS n FROM booking_invitations WHERE booking_id = $1', [booking.id])).rows[0].n).toBe(0)
  })
})
