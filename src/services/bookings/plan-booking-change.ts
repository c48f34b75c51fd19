export const BOOKING_STATUSES = ['scheduled', 'rescheduled', 'cancelled'] as const
export type BookingStatus = (typeof BOOKING_STATUSES)[number]

export const ATTENDEE_RESPONSES = ['needs-action', 'accepted', 'tentative', 'declined'] as const

type BookingLike = {
  status?: null | string
  start?: null | string | Date
  end?: null | string | Date
  title?: null | string
  location?: null | string
  videoLink?: null | string
  description?: null | string
  timeZone?: null | string
  attendees?: null | { contact?: unknown; email?: null | string; optional?: boolean | null }[]
  reminders?: null | { method?: null | string; minutesBefore?: null | number }[]
  sequence?: null | number
}

const time = (value: BookingLike['start']) => (value ? new Date(value).getTime() : null)

const idOf = (value: unknown) => (value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value)

/** What attendees would see change (who, and whether optional). */
const attendeeKey = (b: BookingLike) => JSON.stringify((b.attendees ?? []).map((a) => [idOf(a.contact) ?? null, a.email?.toLowerCase() ?? null, Boolean(a.optional)]))

/**
 * What a save of a booking means: the status it gets (a moved booking is `rescheduled`; a cancelled
 * one stays cancelled) and its iCalendar SEQUENCE (one more whenever what attendees see changes: time,
 * title, place, description, attendees or cancellation). `error` when the change is not allowed.
 */
export const planBookingChange = (before: BookingLike | null, after: BookingLike): { status: BookingStatus; sequence: number; changed: boolean; moved: boolean; error?: string } => {
  const sequence = before?.sequence ?? 0
  if (!before) return { status: after.status === 'cancelled' ? 'cancelled' : 'scheduled', sequence: 0, changed: true, moved: false }
  const moved = time(before.start) !== time(after.start) || time(before.end) !== time(after.end) || (before.timeZone ?? null) !== (after.timeZone ?? null)
  const visible =
    moved ||
    (before.title ?? '') !== (after.title ?? '') ||
    (before.location ?? '') !== (after.location ?? '') ||
    (before.videoLink ?? '') !== (after.videoLink ?? '') ||
    (before.description ?? '') !== (after.description ?? '') ||
    attendeeKey(before) !== attendeeKey(after)
  if (before.status === 'cancelled') {
    const untouched = after.status === 'cancelled' && !visible
    return { status: 'cancelled', sequence, changed: false, moved: false, error: untouched ? undefined : 'A cancelled booking cannot be changed or restored: make a new booking.' }
  }
  if (after.status === 'cancelled') return { status: 'cancelled', sequence: sequence + 1, changed: true, moved: false }
  const status: BookingStatus = moved ? 'rescheduled' : before.status === 'rescheduled' ? 'rescheduled' : 'scheduled'
  return { status, sequence: visible ? sequence + 1 : sequence, changed: visible, moved }
}
