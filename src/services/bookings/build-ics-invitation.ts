/** One person invited to a booking. */
export type IcsAttendee = { email: string; name?: null | string; optional?: boolean; status?: 'needs-action' | 'accepted' | 'declined' | 'tentative' }

export type IcsReminder = { method: 'email' | 'popup'; minutesBefore: number }

export type IcsBooking = {
  /** Stable for the booking's whole life: every update and the cancel carry the same UID. */
  uid: string
  /** Grows with every change the attendees are sent (0 first), so calendars apply them in order. */
  sequence: number
  title: string
  description?: null | string
  location?: null | string
  url?: null | string
  start: Date
  end: Date
  /** The IANA zone the booking was made in, shown to calendars as X-WR-TIMEZONE (times are written in UTC). */
  timeZone?: null | string
  organizer: { email: string; name?: null | string }
  attendees: IcsAttendee[]
  reminders?: IcsReminder[]
  /** When this version was written (DTSTAMP). */
  stamp?: Date
}

const PARTSTAT = { 'needs-action': 'NEEDS-ACTION', accepted: 'ACCEPTED', declined: 'DECLINED', tentative: 'TENTATIVE' } as const

/** An RFC 5545 TEXT value: backslash, semicolon, comma and newline escaped. */
export const escapeText = (value: string): string => value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n')

/** A quoted parameter value (CN="…"): double quotes are not allowed inside, so they become single ones. */
const quoteParam = (value: string) => `"${value.replace(/"/g, "'").replace(/[\r\n]+/g, ' ')}"`

/** UTC date-time, 20261206T093000Z. */
export const icsDateTime = (date: Date): string => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')

/** Lines longer than 75 octets are folded (CRLF then a space), never inside a UTF-8 character. */
export const foldLine = (line: string): string => {
  const bytes = Buffer.from(line, 'utf8')
  if (bytes.length <= 75) return line
  const parts: string[] = []
  let current = ''
  let size = 0
  for (const char of line) {
    const length = Buffer.byteLength(char, 'utf8')
    if (size + length > (parts.length === 0 ? 75 : 74)) {
      parts.push(current)
      current = ''
      size = 0
    }
    current += char
    size += length
  }
  parts.push(current)
  return parts.join('\r\n ')
}

const mailto = (email: string) => `mailto:${email.trim()}`

/**
 * A booking as an iCalendar invitation (RFC 5545 with iTIP's METHOD): REQUEST for a new or changed
 * booking, CANCEL to withdraw it, with the same UID and a SEQUENCE that grows, so a calendar that
 * received the first updates or removes the same event. Reminders become VALARMs (DISPLAY or EMAIL).
 */
export const buildIcsInvitation = (booking: IcsBooking, method: 'REQUEST' | 'CANCEL'): string => {
  if (!(booking.end.getTime() > booking.start.getTime())) throw new Error('A booking must end after it starts.')
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Outpost//Bookings//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    ...(booking.timeZone ? [`X-WR-TIMEZONE:${booking.timeZone}`] : []),
    'BEGIN:VEVENT',
    `UID:${booking.uid}`,
    `SEQUENCE:${booking.sequence}`,
    `DTSTAMP:${icsDateTime(booking.stamp ?? new Date())}`,
    `DTSTART:${icsDateTime(booking.start)}`,
    `DTEND:${icsDateTime(booking.end)}`,
    `SUMMARY:${escapeText(booking.title)}`,
    ...(booking.description ? [`DESCRIPTION:${escapeText(booking.description)}`] : []),
    ...(booking.location ? [`LOCATION:${escapeText(booking.location)}`] : []),
    ...(booking.url ? [`URL:${booking.url}`] : []),
    `STATUS:${method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    `ORGANIZER${booking.organizer.name ? `;CN=${quoteParam(booking.organizer.name)}` : ''}:${mailto(booking.organizer.email)}`,
    ...booking.attendees.map(
      (a) =>
        `ATTENDEE${a.name ? `;CN=${quoteParam(a.name)}` : ''};ROLE=${a.optional ? 'OPT-PARTICIPANT' : 'REQ-PARTICIPANT'};PARTSTAT=${PARTSTAT[a.status ?? 'needs-action']};RSVP=TRUE:${mailto(a.email)}`,
    ),
    ...(method === 'REQUEST'
      ? (booking.reminders ?? []).flatMap((r) => [
          'BEGIN:VALARM',
          `ACTION:${r.method === 'email' ? 'EMAIL' : 'DISPLAY'}`,
          `TRIGGER:-PT${Math.max(0, Math.round(r.minutesBefore))}M`,
          `DESCRIPTION:${escapeText(`Reminder: ${booking.title}`)}`,
          ...(r.method === 'email' ? [`SUMMARY:${escapeText(`Reminder: ${booking.title}`)}`, `ATTENDEE:${mailto(booking.organizer.email)}`] : []),
          'END:VALARM',
        ])
      : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ]
  return `${lines.map(foldLine).join('\r\n')}\r\n`
}
