/**
 * Calendar days in an IANA time zone, as instants: where a day starts in Europe/Berlin or
 * America/New_York, also across daylight-saving changes (a day of 23 or 25 hours). Pure, for the
 * analytics summary (its day buckets) and the dashboard (its presets and date inputs).
 */

const HOUR_MS = 3_600_000
const formatters = new Map<string, Intl.DateTimeFormat>()

const partsFormatter = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** The wall-clock date and time in `timeZone` at `instant` (ms). */
const wallClock = (instant: number, timeZone: string) => {
  const parts = Object.fromEntries(partsFormatter(timeZone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]))
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) }
}

/** How far `timeZone`'s clock is ahead of UTC at `instant`, in ms (Europe/Berlin in winter: 3,600,000). */
export const zoneOffsetMs = (instant: number, timeZone: string): number => {
  const w = wallClock(instant, timeZone)
  const asUTC = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return asUTC - Math.floor(instant / 1000) * 1000
}

/** The instant a calendar date's day starts in `timeZone` (its first existing moment, if midnight is skipped). */
const dayStart = (year: number, month: number, day: number, timeZone: string): number => {
  const wall = Date.UTC(year, month - 1, day)
  let instant = wall - zoneOffsetMs(wall, timeZone)
  // Once more with the offset in force at the first guess: right on either side of a change.
  instant = wall - zoneOffsetMs(instant, timeZone)
  // Where the clock jumps over midnight, the day starts at the jump.
  const w = wallClock(instant, timeZone)
  if (w.day !== new Date(wall).getUTCDate()) instant += HOUR_MS
  return instant
}

/** `YYYY-MM-DD` of `instant` in `timeZone`. */
export const zonedDate = (instant: number, timeZone: string): string => {
  const w = wallClock(instant, timeZone)
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`
}

/** When the day `YYYY-MM-DD` starts in `timeZone`, `days` days later (negative: earlier); null for no such date. */
export const startOfDate = (date: string, timeZone: string, days = 0): null | number => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) return null
  const probe = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
  if (probe.getUTCMonth() !== Number(match[2]) - 1) return null
  probe.setUTCDate(probe.getUTCDate() + days)
  return dayStart(probe.getUTCFullYear(), probe.getUTCMonth() + 1, probe.getUTCDate(), timeZone)
}

/** When the day holding `instant` starts in `timeZone`, `days` days later (negative: earlier). */
export const startOfZonedDay = (instant: number, timeZone: string, days = 0): number => startOfDate(zonedDate(instant, timeZone), timeZone, days)!
