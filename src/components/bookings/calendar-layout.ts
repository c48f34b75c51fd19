/** Date arithmetic of the week and agenda views, in an IANA zone, without a date library. */

import { dayKey, startOfDay, startOfWeek, zonedParts, zonedTime } from '@/services/vocabulary/zoned-days'

export { dayKey, startOfDay, startOfWeek, zonedParts, zonedTime }
export type { ZonedParts } from '@/services/vocabulary/zoned-days'

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
