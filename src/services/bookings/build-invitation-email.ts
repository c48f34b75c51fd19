import { buildIcsInvitation, type IcsBooking } from './build-ics-invitation'

export type InvitationEmail = { subject: string; text: string; html: string; ics: string; contentType: string }

const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** "Tue, 9 Feb 2027, 09:00–10:00 (Europe/London)", in the booking's own zone and the org's date style. */
export const describeBookingTime = (start: Date, end: Date, timeZone: string, locale = 'en-GB'): string => {
  const day = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' })
  const sameDay = day.format(start) === day.format(end)
  return sameDay
    ? `${day.format(start)}, ${time.format(start)}–${time.format(end)} (${timeZone})`
    : `${day.format(start)}, ${time.format(start)} – ${day.format(end)}, ${time.format(end)} (${timeZone})`
}

/**
 * The email that carries a booking's iCalendar invitation: a subject and a short plain and HTML body
 * saying what, when (in the booking's zone), where and who invites, and the .ics (REQUEST or CANCEL) that
 * calendars read (as a `text/calendar; method=…` attachment, which Gmail, Outlook and Apple Calendar
 * offer to add or remove).
 */
export const buildInvitationEmail = (booking: IcsBooking & { videoLink?: null | string }, method: 'REQUEST' | 'CANCEL', locale = 'en-GB'): InvitationEmail => {
  const when = describeBookingTime(booking.start, booking.end, booking.timeZone || 'UTC', locale)
  const prefix = method === 'CANCEL' ? 'Cancelled' : booking.sequence > 0 ? 'Updated invitation' : 'Invitation'
  const subject = `${prefix}: ${booking.title} — ${when}`
  const who = booking.organizer.name ? `${booking.organizer.name} <${booking.organizer.email}>` : booking.organizer.email
  const lines: [string, string][] = [
    ['When', when],
    ...(booking.location ? ([['Where', booking.location]] as [string, string][]) : []),
    ...(booking.videoLink ? ([['Video link', booking.videoLink]] as [string, string][]) : []),
    ['Organiser', who],
  ]
  const intro = method === 'CANCEL' ? `This booking has been cancelled: ${booking.title}.` : booking.sequence > 0 ? `This booking has changed: ${booking.title}.` : `You are invited: ${booking.title}.`
  const outro = method === 'CANCEL' ? 'Your calendar removes it when you open the attached invitation.' : 'Open the attached invitation to add it to your calendar and answer.'
  const text = [intro, '', ...lines.map(([k, v]) => `${k}: ${v}`), ...(booking.description ? ['', booking.description] : []), '', outro, ''].join('\n')
  const html = [
    `<p>${escapeHtml(intro)}</p>`,
    `<table>${lines.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${k === 'Video link' ? `<a href="${escapeHtml(v)}">${escapeHtml(v)}</a>` : escapeHtml(v)}</td></tr>`).join('')}</table>`,
    ...(booking.description ? [`<p>${escapeHtml(booking.description).replace(/\n/g, '<br>')}</p>`] : []),
    `<p>${escapeHtml(outro)}</p>`,
  ].join('\n')
  const ics = buildIcsInvitation({ ...booking, url: booking.url ?? booking.videoLink ?? null }, method)
  return { subject, text, html, ics, contentType: `text/calendar; method=${method}; charset=UTF-8` }
}
