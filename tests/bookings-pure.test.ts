import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'

import { base32hex, bookingUID, googleEventID, graphTransactionID } from '@/services/bookings/calendar-event-ids'
import { buildIcsInvitation, foldLine } from '@/services/bookings/build-ics-invitation'
import { backoffSeconds, classifyCalendarError, retryAfterSeconds } from '@/services/bookings/classify-calendar-error'
import { findOverlaps } from '@/services/bookings/find-overlaps'
import { toGoogleReminders, toGraphReminder } from '@/services/bookings/map-reminders'
import { planBookingChange } from '@/services/bookings/plan-booking-change'
import { planBookingInvitations } from '@/services/bookings/plan-booking-invitations'
import { buildInvitationEmail } from '@/services/bookings/build-invitation-email'

const booking = {
  uid: bookingUID({ org: 7, id: 42 }, 'outpost.example'),
  sequence: 0,
  title: 'Check-up; Ada, with notes',
  description: 'Bring your card.\nArrive 10 minutes early — thanks!',
  location: '1 Quay, Harbour Clinic',
  url: 'https://meet.example/abc',
  start: new Date('2026-12-08T09:30:00Z'),
  end: new Date('2026-12-08T10:15:00Z'),
  timeZone: 'Europe/London',
  organizer: { email: 'desk@harbour.example', name: 'Harbour "Front" Desk' },
  attendees: [
    { email: 'ada@example.com', name: 'Ada Lovelace' },
    { email: 'bob@example.com', optional: true, status: 'accepted' as const },
  ],
  reminders: [
    { method: 'popup' as const, minutesBefore: 15 },
    { method: 'email' as const, minutesBefore: 1440 },
  ],
  stamp: new Date('2026-12-06T12:00:00Z'),
}

/** Parses an invitation with ical.js: the calendar, its one event and the event's component. */
const parse = (ics: string) => {
  const calendar = new ICAL.Component(ICAL.parse(ics))
  const vevent = calendar.getFirstSubcomponent('vevent')!
  return { calendar, vevent, event: new ICAL.Event(vevent) }
}

describe('ICS invitations', () => {
  it('a REQUEST parses back field by field: UID, SEQUENCE, times, text, organiser, attendees and alarms', () => {
    const ics = buildIcsInvitation(booking, 'REQUEST')
    expect(ics.endsWith('\r\n')).toBe(true)
    expect(ics.split('\r\n').every((line) => Buffer.byteLength(line, 'utf8') <= 75)).toBe(true)
    const { calendar, vevent, event } = parse(ics)
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST')
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0')
    expect(event.uid).toBe('booking-7-42@outpost.example')
    expect(event.sequence).toBe(0)
    expect(event.summary).toBe('Check-up; Ada, with notes')
    expect(event.description).toBe('Bring your card.\nArrive 10 minutes early — thanks!')
    expect(event.location).toBe('1 Quay, Harbour Clinic')
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-08T09:30:00.000Z')
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-12-08T10:15:00.000Z')
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED')
    expect(vevent.getFirstPropertyValue('url')).toBe('https://meet.example/abc')
    const organizer = vevent.getFirstProperty('organizer')!
    expect(organizer.getFirstValue()).toBe('mailto:desk@harbour.example')
    expect(organizer.getParameter('cn')).toBe("Harbour 'Front' Desk")
    const attendees = event.attendees.map((a) => ({ value: a.getFirstValue(), cn: a.getParameter('cn'), role: a.getParameter('role'), partstat: a.getParameter('partstat'), rsvp: a.getParameter('rsvp') }))
    expect(attendees).toEqual([
      { value: 'mailto:ada@example.com', cn: 'Ada Lovelace', role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION', rsvp: 'TRUE' },
      { value: 'mailto:bob@example.com', cn: undefined, role: 'OPT-PARTICIPANT', partstat: 'ACCEPTED', rsvp: 'TRUE' },
    ])
    const alarms = vevent.getAllSubcomponents('valarm').map((a) => ({ action: a.getFirstPropertyValue('action'), trigger: String(a.getFirstPropertyValue('trigger')) }))
    expect(alarms).toEqual([
      { action: 'DISPLAY', trigger: '-PT15M' },
      { action: 'EMAIL', trigger: '-PT1440M' },
    ])
  })

  it('a CANCEL keeps the UID, raises the SEQUENCE and carries no alarms', () => {
    const { calendar, vevent, event } = parse(buildIcsInvitation({ ...booking, sequence: 3 }, 'CANCEL'))
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL')
    expect(event.uid).toBe('booking-7-42@outpost.example')
    expect(event.sequence).toBe(3)
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED')
    expect(vevent.getAllSubcomponents('valarm')).toHaveLength(0)
  })

  it('folds long lines without splitting a character, and refuses a booking that ends before it starts', () => {
    const long = `SUMMARY:${'é'.repeat(60)}`
    const folded = foldLine(long)
    expect(folded.split('\r\n ').join('')).toBe(long)
    expect(folded.split('\r\n').every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true)
    const { event } = parse(buildIcsInvitation({ ...booking, title: 'é'.repeat(60) }, 'REQUEST'))
    expect(event.summary).toBe('é'.repeat(60))
    expect(() => buildIcsInvitation({ ...booking, end: booking.start }, 'REQUEST')).toThrow('A booking must end after it starts.')
  })
})

describe('calendar event ids', () => {
  it('Google ids are base32hex, 5 to 1024 characters, stable per booking and connection, different otherwise', () => {
    expect(base32hex(Uint8Array.from([0xff, 0x00]))).toBe('vs00')
    const id = googleEventID({ org: 7, id: 42 }, 3)
    expect(id).toMatch(/^[a-v0-9]{5,1024}$/)
    expect(googleEventID({ org: 7, id: 42 }, 3)).toBe(id)
    expect(googleEventID({ org: 7, id: 43 }, 3)).not.toBe(id)
    expect(googleEventID({ org: 7, id: 42 }, 4)).not.toBe(id)
    expect(graphTransactionID({ org: 7, id: 42 }, 3)).toMatch(/^[0-9a-f]{32}$/)
  })
})

describe('reminders', () => {
  it('Google: explicit overrides, clamped to 0–40,320 minutes, duplicates dropped, at most five, with notes', () => {
    const { reminders, notes } = toGoogleReminders([
      { method: 'email', minutesBefore: 50_000 },
      { method: 'popup', minutesBefore: 10 },
      { method: 'popup', minutesBefore: 10 },
      { method: 'popup', minutesBefore: -5 },
      { method: 'email', minutesBefore: 60 },
      { method: 'popup', minutesBefore: 120 },
      { method: 'email', minutesBefore: 1440 },
      { method: 'popup', minutesBefore: 2880 },
    ])
    expect(reminders.useDefault).toBe(false)
    expect(reminders.overrides).toEqual([
      { method: 'popup', minutes: 0 },
      { method: 'popup', minutes: 10 },
      { method: 'email', minutes: 60 },
      { method: 'popup', minutes: 120 },
      { method: 'email', minutes: 1440 },
    ])
    expect(notes).toEqual([
      'A reminder -5 minutes before was set to 0 (Google allows 0 to 40320).',
      'A reminder 50000 minutes before was set to 40320 (Google allows 0 to 40320).',
      'Google keeps 5 reminders; 2 further ones were left out.',
    ])
    expect(toGoogleReminders([])).toEqual({ reminders: { useDefault: false, overrides: [] }, notes: [] })
  })

  it('Graph: the nearest reminder, the others noted', () => {
    expect(toGraphReminder([{ method: 'email', minutesBefore: 1440 }, { method: 'popup', minutesBefore: 15 }])).toEqual({
      isReminderOn: true,
      reminderMinutesBeforeStart: 15,
      notes: ['Microsoft calendars keep one reminder: 15 minutes before; 1440 minutes (email) not kept there.'],
    })
    expect(toGraphReminder([])).toEqual({ isReminderOn: false, reminderMinutesBeforeStart: 0, notes: [] })
  })
})

describe('calendar errors', () => {
  const base = { attempt: 1, operation: 'update' as const }
  it('are classified: 400 permanent, 401 refresh once, invalid_grant reconnect, rate limits and 5xx back off with Retry-After', () => {
    expect(classifyCalendarError({ ...base, status: 400 })).toEqual({ kind: 'permanent' })
    expect(classifyCalendarError({ ...base, status: 401 })).toEqual({ kind: 'refresh' })
    expect(classifyCalendarError({ ...base, status: 401, refreshedAlready: true })).toEqual({ kind: 'reconnect' })
    expect(classifyCalendarError({ ...base, status: 400, oauthError: 'invalid_grant' })).toEqual({ kind: 'reconnect' })
    expect(classifyCalendarError({ ...base, status: 403, reason: 'rateLimitExceeded', retryAfter: '12' })).toEqual({ kind: 'backoff', delaySeconds: 12 })
    expect(classifyCalendarError({ ...base, status: 403, reason: 'forbiddenForNonOrganizer' })).toEqual({ kind: 'permanent' })
    expect(classifyCalendarError({ ...base, status: 429, attempt: 3 })).toEqual({ kind: 'backoff', delaySeconds: 120 })
    expect(classifyCalendarError({ ...base, status: 503, retryAfter: '7' })).toEqual({ kind: 'backoff', delaySeconds: 7 })
    expect(classifyCalendarError({ ...base, status: null })).toEqual({ kind: 'backoff', delaySeconds: 30 })
    expect(classifyCalendarError({ ...base, operation: 'delete', status: 410 })).toEqual({ kind: 'gone' })
    expect(classifyCalendarError({ ...base, operation: 'delete', status: 404 })).toEqual({ kind: 'gone' })
    expect(classifyCalendarError({ ...base, status: 404 })).toEqual({ kind: 'permanent' })
  })

  it('reads Retry-After as seconds or a date, and backs off up to an hour', () => {
    const now = Date.parse('2026-12-06T12:00:00Z')
    expect(retryAfterSeconds('120', now)).toBe(120)
    expect(retryAfterSeconds('Sun, 06 Dec 2026 12:01:30 GMT', now)).toBe(90)
    expect(retryAfterSeconds('soon', now)).toBeNull()
    expect([1, 2, 3, 10].map(backoffSeconds)).toEqual([30, 60, 120, 3600])
  })
})

describe('overlaps', () => {
  it('finds the bookings that overlap, leaving out touching ones, cancelled ones and the booking itself', () => {
    const at = (h: number, m = 0) => new Date(Date.UTC(2026, 11, 8, h, m))
    const others = [
      { id: 1, start: at(9), end: at(10) },
      { id: 2, start: at(10), end: at(11) },
      { id: 3, start: at(9, 30), end: at(9, 45), status: 'cancelled' },
      { id: 4, start: at(8), end: at(12) },
      { id: 5, start: at(9, 45), end: at(10, 30) },
    ]
    expect(findOverlaps({ id: 5, start: at(9, 45), end: at(10, 30) }, others).map((o) => o.id)).toEqual([1, 2, 4])
    expect(findOverlaps({ start: at(11), end: at(12) }, others).map((o) => o.id)).toEqual([4])
  })
})

describe('planning a booking change', () => {
  const before = { status: 'scheduled', sequence: 2, title: 'Visit', start: '2027-02-01T09:00:00Z', end: '2027-02-01T10:00:00Z', attendees: [{ email: 'a@example.com' }], reminders: [] }
  it('moving reschedules and raises SEQUENCE; visible edits raise it; reminders alone do not', () => {
    expect(planBookingChange(null, { ...before, status: 'rescheduled' })).toEqual({ status: 'scheduled', sequence: 0, changed: true, moved: false })
    expect(planBookingChange(before, { ...before, start: '2027-02-01T11:00:00Z', end: '2027-02-01T12:00:00Z' })).toEqual({ status: 'rescheduled', sequence: 3, changed: true, moved: true })
    expect(planBookingChange(before, { ...before, attendees: [{ email: 'A@example.com', optional: true }] })).toEqual({ status: 'scheduled', sequence: 3, changed: true, moved: false })
    expect(planBookingChange(before, { ...before, reminders: [{ method: 'popup', minutesBefore: 5 }] })).toEqual({ status: 'scheduled', sequence: 2, changed: false, moved: false })
    expect(planBookingChange({ ...before, status: 'rescheduled' }, { ...before, status: 'scheduled', title: 'New' })).toEqual({ status: 'rescheduled', sequence: 3, changed: true, moved: false })
  })
  it('cancelling raises SEQUENCE once; a cancelled booking cannot change', () => {
    expect(planBookingChange(before, { ...before, status: 'cancelled' })).toEqual({ status: 'cancelled', sequence: 3, changed: true, moved: false })
    const cancelled = { ...before, status: 'cancelled', sequence: 3 }
    expect(planBookingChange(cancelled, { ...cancelled, reminders: [{ method: 'email', minutesBefore: 5 }] }).error).toBeUndefined()
    expect(planBookingChange(cancelled, { ...cancelled, title: 'x' }).error).toBe('A cancelled booking cannot be changed or restored: make a new booking.')
    expect(planBookingChange(cancelled, { ...cancelled, status: 'scheduled' }).error).toBe('A cancelled booking cannot be changed or restored: make a new booking.')
  })
})

describe('planBookingInvitations', () => {
  const ada = { email: 'ada@example.com', name: 'Ada' }
  const bob = { email: 'bob@example.com', name: null }
  it('invites every attendee of a new booking once per address', () => {
    expect(planBookingInvitations({ before: null, after: [ada, { email: 'ADA@example.com' }, bob], changed: true, cancelled: false })).toEqual([
      { ...ada, method: 'request' },
      { ...bob, method: 'request' },
    ])
  })
  it('sends nothing when attendees see no change, or the booking was already cancelled', () => {
    expect(planBookingInvitations({ before: [ada], after: [ada], changed: false, cancelled: false })).toEqual([])
    expect(planBookingInvitations({ before: [ada], after: [ada], changed: true, cancelled: true, wasCancelled: true })).toEqual([])
  })
  it('a change re-invites those left and cancels for those removed; a cancellation cancels for everyone', () => {
    expect(planBookingInvitations({ before: [ada, bob], after: [ada], changed: true, cancelled: false })).toEqual([
      { ...ada, method: 'request' },
      { ...bob, method: 'cancel' },
    ])
    expect(planBookingInvitations({ before: [ada, bob], after: [ada], changed: true, cancelled: true }).map((p) => `${p.email}:${p.method}`)).toEqual(['ada@example.com:cancel', 'bob@example.com:cancel'])
  })
})

describe('buildInvitationEmail', () => {
  const booking = { uid: 'booking-1-2@x', sequence: 0, title: 'Visit <b>', start: new Date('2027-03-01T09:00:00Z'), end: new Date('2027-03-02T10:30:00Z'), timeZone: 'America/New_York', organizer: { email: 'sam@x.example', name: 'Sam' }, attendees: [{ email: 'a@x.example' }], videoLink: 'https://meet.example/a' }
  it('says what, when in the booking’s zone (over two days), where and who, with the .ics of the method', () => {
    const mail = buildInvitationEmail(booking, 'REQUEST')
    expect(mail.subject).toBe('Invitation: Visit <b> — Mon, 1 Mar 2027, 04:00 – Tue, 2 Mar 2027, 05:30 (America/New_York)')
    expect(mail.html).toContain('Visit &lt;b&gt;')
    expect(mail.html).not.toContain('<b>')
    expect(mail.text).toContain('Video link: https://meet.example/a')
    expect(mail.contentType).toBe('text/calendar; method=REQUEST; charset=UTF-8')
    expect(mail.ics).toContain('URL:https://meet.example/a')
    const cancel = buildInvitationEmail({ ...booking, sequence: 3 }, 'CANCEL', 'en-US')
    expect(cancel.subject).toMatch(/^Cancelled: Visit <b> — Mon, Mar 1, 2027/)
    expect(cancel.ics).toContain('METHOD:CANCEL')
    expect(cancel.ics).toContain('SEQUENCE:3')
  })
})
