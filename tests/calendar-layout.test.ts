import { describe, expect, it } from 'vitest'

import { dayKey, placeInDay, startOfDay, startOfWeek, zonedTime } from '@/components/bookings/calendar-layout'

describe('calendar layout', () => {
  it('finds midnight and Monday in the viewer’s zone, across daylight-saving changes', () => {
    // London moved to BST on Sunday 28 March 2027: midnight that day is still GMT, the next is BST.
    expect(startOfDay(new Date('2027-03-28T12:00:00Z'), 'Europe/London').toISOString()).toBe('2027-03-28T00:00:00.000Z')
    expect(startOfDay(new Date('2027-03-28T12:00:00Z'), 'Europe/London', 1).toISOString()).toBe('2027-03-28T23:00:00.000Z')
    // Wednesday 3 March 2027 in New York → Monday 1 March 00:00 EST.
    expect(startOfWeek(new Date('2027-03-03T15:00:00Z'), 'America/New_York').toISOString()).toBe('2027-03-01T05:00:00.000Z')
    // Sunday evening in New York is already Monday in UTC: the week is still New York's.
    expect(startOfWeek(new Date('2027-03-08T02:00:00Z'), 'America/New_York').toISOString()).toBe('2027-03-01T05:00:00.000Z')
    expect(dayKey(new Date('2027-03-08T02:00:00Z'), 'America/New_York')).toBe('2027-03-07')
    // 02:30 does not exist in New York on 14 March 2027: the next valid time.
    expect(zonedTime(2027, 3, 14, 2, 30, 'America/New_York').toISOString()).toBe('2027-03-14T07:30:00.000Z')
    expect(zonedTime(2027, 7, 1, 9, 0, 'Asia/Kolkata').toISOString()).toBe('2027-07-01T03:30:00.000Z')
  })

  it('places bookings in a day: clipped to it, overlapping ones in lanes side by side', () => {
    const day = new Date('2027-03-01T00:00:00Z')
    const next = new Date('2027-03-02T00:00:00Z')
    const b = (id: number, start: string, end: string) => ({ id, start: `2027-03-01T${start}:00Z`, end: `2027-03-01T${end}:00Z` })
    const placed = placeInDay([b(1, '09:00', '10:00'), b(2, '09:30', '11:00'), b(3, '10:00', '10:30'), b(4, '12:00', '13:00'), { id: 5, start: '2027-02-28T22:00:00Z', end: '2027-03-01T06:00:00Z' }], day, next)
    const by = Object.fromEntries(placed.map((p) => [p.item.id, p]))
    expect(by[5]).toEqual(expect.objectContaining({ top: 0, height: 0.25, lane: 0, lanes: 1 }))
    expect([by[1]!.lane, by[2]!.lane, by[3]!.lane]).toEqual([0, 1, 0])
    expect([by[1]!.lanes, by[2]!.lanes, by[3]!.lanes]).toEqual([2, 2, 2])
    expect(by[4]).toEqual(expect.objectContaining({ top: 0.5, lane: 0, lanes: 1 }))
    expect(by[1]!.top).toBeCloseTo(9 / 24)
    expect(placeInDay([{ start: '2027-03-02T09:00:00Z', end: '2027-03-02T10:00:00Z' }], day, next)).toEqual([])
  })
})
