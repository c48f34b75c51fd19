export type BookingReminder = { method: 'email' | 'popup'; minutesBefore: number }

/** Google's limits: minutes 0 to 40,320 (four weeks), at most five overrides. */
export const GOOGLE_MAX_REMINDER_MINUTES = 40_320
export const GOOGLE_MAX_REMINDERS = 5

const clamp = (minutes: number, max: number) => Math.min(max, Math.max(0, Math.round(Number.isFinite(minutes) ? minutes : 0)))

/**
 * A booking's reminders as Google Calendar wants them: always `useDefault: false` with explicit
 * overrides (none: no reminder at all), minutes clamped to Google's range, duplicates dropped, at most
 * five, nearest first kept. `notes` says what could not be kept, for the booking to show.
 */
export const toGoogleReminders = (reminders: BookingReminder[]): { reminders: { useDefault: false; overrides: { method: 'email' | 'popup'; minutes: number }[] }; notes: string[] } => {
  const notes: string[] = []
  const seen = new Set<string>()
  const overrides: { method: 'email' | 'popup'; minutes: number }[] = []
  for (const r of [...reminders].sort((a, b) => a.minutesBefore - b.minutesBefore)) {
    const minutes = clamp(r.minutesBefore, GOOGLE_MAX_REMINDER_MINUTES)
    if (minutes !== r.minutesBefore) notes.push(`A reminder ${r.minutesBefore} minutes before was set to ${minutes} (Google allows 0 to ${GOOGLE_MAX_REMINDER_MINUTES}).`)
    const key = `${r.method}:${minutes}`
    if (seen.has(key)) continue
    seen.add(key)
    overrides.push({ method: r.method, minutes })
  }
  if (overrides.length > GOOGLE_MAX_REMINDERS) {
    notes.push(`Google keeps ${GOOGLE_MAX_REMINDERS} reminders; ${overrides.length - GOOGLE_MAX_REMINDERS} further ones were left out.`)
    overrides.length = GOOGLE_MAX_REMINDERS
  }
  return { reminders: { useDefault: false, overrides }, notes }
}

/**
 * A booking's reminders as Microsoft Graph wants them: one reminder per event (`isReminderOn`,
 * `reminderMinutesBeforeStart`), the first (nearest) one; the others are noted on the booking.
 */
export const toGraphReminder = (reminders: BookingReminder[]): { isReminderOn: boolean; reminderMinutesBeforeStart: number; notes: string[] } => {
  const sorted = [...reminders].sort((a, b) => a.minutesBefore - b.minutesBefore)
  const first = sorted[0]
  if (!first) return { isReminderOn: false, reminderMinutesBeforeStart: 0, notes: [] }
  const rest = sorted.slice(1)
  return {
    isReminderOn: true,
    reminderMinutesBeforeStart: clamp(first.minutesBefore, Number.MAX_SAFE_INTEGER),
    notes: rest.length > 0 ? [`Microsoft calendars keep one reminder: ${first.minutesBefore} minutes before; ${rest.map((r) => `${r.minutesBefore} minutes (${r.method})`).join(', ')} not kept there.`] : [],
  }
}
