/**
 * Wall-clock dates and days in an IANA time zone, as instants, without a date library: where a day
 * starts in Europe/Berlin or America/New_York, also across daylight-saving changes (a day of 23 or 25
 * hours, or one whose midnight is skipped). Pure; shared by the bookings' week and agenda views, the
 * analytics summary (its day buckets) and the dashboard (its presets and date inputs).
 */

export type ZonedParts = { year: number; month: number; day: number; hour: number; minute: number; weekday: number }

const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 }
const formatters = new Map<string, Intl.DateTimeFormat>()

/** The wall-clock parts of an instant in a zone (weekday 0 = Monday). */
export const zonedParts = (date: Date, timeZone: string): ZonedParts => {
  let format = formatters.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' })
    formatters.set(timeZone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]))
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute), weekday: WEEKDAYS[parts.weekday as string] ?? 0 }
}

/** The instant at a wall-clock time in a zone (the earlier one when clocks go back; the next valid one when they go forward). */
export const zonedTime = (year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date => {
  const wanted = Date.UTC(year, month - 1, day, hour, minute)
  let guess = wanted
  for (let i = 0; i < 3; i++) {
    const p = zonedParts(new Date(guess), timeZone)
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute)
    if (shown === wanted) break
    guess += wanted - shown
  }
  return new Date(guess)
}

/** Midnight (in the zone) of the day `offset` days after the day of `date`. */
export const startOfDay = (date: Date, timeZone: string, offset = 0): Date => {
  const p = zonedParts(date, timeZone)
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day + offset))
  return zonedTime(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), 0, 0, timeZone)
}

/** Monday 00:00 (in the zone) of the week of `date`. */
export const startOfWeek = (date: Date, timeZone: string): Date => startOfDay(date, timeZone, -zonedParts(date, timeZone).weekday)

/** A day's key in the zone, "2027-03-01". */
export const dayKey = (date: Date, timeZone: string): string => {
  const p = zonedParts(date, timeZone)
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`
}

/** How far `timeZone`'s clock is ahead of UTC at `instant`, in ms (Europe/Berlin in winter: 3,600,000). */
export const zoneOffsetMs = (instant: number, timeZone: string): number => {
  const p = zonedParts(new Date(instant), timeZone)
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(instant / 60_000) * 60_000
}

/** `YYYY-MM-DD` of `instant` in `timeZone`. */
export const zonedDate = (instant: number, timeZone: string): string => dayKey(new Date(instant), timeZone)

/** When the day `YYYY-MM-DD` starts in `timeZone`, `days` days later (negative: earlier); null for no such date. */
export const startOfDate = (date: string, timeZone: string, days = 0): null | number => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) return null
  const probe = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
  if (probe.getUTCMonth() !== Number(match[2]) - 1) return null
  probe.setUTCDate(probe.getUTCDate() + days)
  return zonedTime(probe.getUTCFullYear(), probe.getUTCMonth() + 1, probe.getUTCDate(), 0, 0, timeZone).getTime()
}

/** When the day holding `instant` starts in `timeZone`, `days` days later (negative: earlier). */
export const startOfZonedDay = (instant: number, timeZone: string, days = 0): number => startOfDay(new Date(instant), timeZone, days).getTime()
