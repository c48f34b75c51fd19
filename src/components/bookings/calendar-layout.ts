/** Date arithmetic of the week and agenda views, in an IANA zone, without a date library. */

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

export type Placed<T> = { item: T; top: number; height: number; lane: number; lanes: number }

/**
 * Where each booking sits in one day's column: its top and height as fractions of the day (clipped to
 * the day) and its lane among the ones it overlaps, so overlapping bookings stand side by side.
 */
export const placeInDay = <T extends { start: string; end: string }>(items: T[], dayStart: Date, dayEnd: Date): Placed<T>[] => {
  const span = dayEnd.getTime() - dayStart.getTime()
  const visible = items
    .map((item) => ({ item, from: Math.max(new Date(item.start).getTime(), dayStart.getTime()), to: Math.min(new Date(item.end).getTime(), dayEnd.getTime()) }))
    .filter((x) => x.to > x.from)
    .sort((a, b) => a.from - b.from || b.to - a.to)
  const placed: Placed<T>[] = []
  let group: { from: number; to: number; lane: number; placed: Placed<T> }[] = []
  const close = () => {
    const lanes = Math.max(1, ...group.map((g) => g.lane + 1))
    for (const g of group) g.placed.lanes = lanes
    group = []
  }
  for (const x of visible) {
    if (group.length && x.from >= Math.max(...group.map((g) => g.to))) close()
    const busy = new Set(group.filter((g) => g.to > x.from).map((g) => g.lane))
    let lane = 0
    while (busy.has(lane)) lane++
    const entry: Placed<T> = { item: x.item, top: (x.from - dayStart.getTime()) / span, height: Math.max((x.to - x.from) / span, 1 / 96), lane, lanes: 1 }
    group.push({ from: x.from, to: x.to, lane, placed: entry })
    placed.push(entry)
  }
  close()
  return placed
}
