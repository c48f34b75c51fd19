import { describe, expect, it } from 'vitest'

import { startOfDate, startOfZonedDay, zonedDate, zoneOffsetMs } from '@/services/vocabulary/zoned-days'

const iso = (instant: number) => new Date(instant).toISOString()

describe('days in a time zone', () => {
  it('knows a zone’s offset, in winter and in summer', () => {
    expect(zoneOffsetMs(Date.parse('2026-12-06T12:00:00Z'), 'Europe/Berlin')).toBe(3_600_000)
    expect(zoneOffsetMs(Date.parse('2026-07-06T12:00:00Z'), 'Europe/Berlin')).toBe(7_200_000)
    expect(zoneOffsetMs(Date.parse('2026-12-06T12:00:00Z'), 'America/New_York')).toBe(-5 * 3_600_000)
    expect(zoneOffsetMs(Date.parse('2026-12-06T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3_600_000)
    expect(zoneOffsetMs(Date.parse('2026-12-06T12:00:00Z'), 'UTC')).toBe(0)
  })

  it('finds where a day starts, and the date of an instant, in the zone', () => {
    // 23:30 UTC on 6 December is already the 7th in Berlin, still the 6th in New York.
    const late = Date.parse('2026-12-06T23:30:00Z')
    expect(zonedDate(late, 'Europe/Berlin')).toBe('2026-12-07')
    expect(zonedDate(late, 'America/New_York')).toBe('2026-12-06')
    expect(iso(startOfZonedDay(late, 'Europe/Berlin'))).toBe('2026-12-06T23:00:00.000Z')
    expect(iso(startOfZonedDay(late, 'America/New_York'))).toBe('2026-12-06T05:00:00.000Z')
    expect(iso(startOfZonedDay(late, 'UTC'))).toBe('2026-12-06T00:00:00.000Z')
    expect(iso(startOfZonedDay(late, 'Asia/Kolkata'))).toBe('2026-12-06T18:30:00.000Z')
    expect(iso(startOfZonedDay(late, 'Europe/Berlin', -6))).toBe('2026-11-30T23:00:00.000Z')
  })

  it('counts days across daylight-saving changes: 23 and 25 hours', () => {
    // Europe/London goes to summer time on 29 March 2026 and back on 25 October 2026.
    const march28 = startOfDate('2026-03-28', 'Europe/London')!
    const march29 = startOfDate('2026-03-29', 'Europe/London')!
    const march30 = startOfDate('2026-03-29', 'Europe/London', 1)!
    expect(iso(march29)).toBe('2026-03-29T00:00:00.000Z')
    expect(iso(march30)).toBe('2026-03-29T23:00:00.000Z')
    expect((march29 - march28) / 3_600_000).toBe(24)
    expect((march30 - march29) / 3_600_000).toBe(23)
    const october25 = startOfDate('2026-10-25', 'Europe/London')!
    expect((startOfDate('2026-10-25', 'Europe/London', 1)! - october25) / 3_600_000).toBe(25)
    // A zone whose clock skips midnight (Santiago, 6 September 2026: 00:00 → 01:00) starts that day at 01:00.
    expect(iso(startOfDate('2026-09-06', 'America/Santiago')!)).toBe('2026-09-06T04:00:00.000Z')
  })

  it('refuses what is not a date', () => {
    expect(startOfDate('2026-02-30', 'UTC')).toBeNull()
    expect(startOfDate('6 Dec 2026', 'UTC')).toBeNull()
  })
})
