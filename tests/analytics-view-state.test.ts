import { describe, expect, it } from 'vitest'

import { trailingComplaintRates } from '@/components/analytics/complaint-rate'
import type { SeriesPoint } from '@/components/analytics/types'
import { formatPercentValue, formatRate, formatSeconds, latencyBucketLabel } from '@/components/analytics/format'
import {
  customRangeFromDates,
  dateInputValue,
  effectiveBucket,
  isDailyAllowed,
  isHourlyAllowed,
  readViewState,
  summaryPath,
  writeViewState,
} from '@/components/analytics/view-state'

const now = new Date('2026-11-26T10:37:12.345Z')
const read = (query: string) => readViewState(new URLSearchParams(query))
const summaryParams = (query: string) => Object.fromEntries(new URLSearchParams(summaryPath(read(query), now).split('?')[1]))

describe('analytics view state in the URL', () => {
  it('defaults to the last 7 days of every org, by day', () => {
    expect(read('')).toEqual({ range: '7d', from: null, to: null, bucket: null, org: null, channel: null })
    expect(summaryParams('')).toEqual({ from: '2026-11-20T00:00:00.000Z', to: '2026-11-26T10:37:12.345Z', bucket: 'day' })
  })

  it('opens the link of an alert email on that org', () => {
    expect(summaryParams('org=12')).toMatchObject({ org: '12', bucket: 'day' })
  })

  it('aligns presets to whole buckets', () => {
    expect(summaryParams('range=24h')).toEqual({ from: '2026-11-25T11:00:00.000Z', to: now.toISOString(), bucket: 'hour' })
    // Day buckets are whole days, so the 24 hours by day would cover up to 48: that preset stays hourly.
    expect(summaryParams('range=24h&bucket=day')).toEqual({ from: '2026-11-25T11:00:00.000Z', to: now.toISOString(), bucket: 'hour' })
    expect(summaryParams('range=7d&bucket=hour')).toMatchObject({ from: '2026-11-19T11:00:00.000Z', bucket: 'hour' })
    expect(summaryParams('range=90d').from).toBe('2026-08-29T00:00:00.000Z')
  })

  it('passes a custom range as typed, so the endpoint can say what is wrong with it', () => {
    expect(read('from=yesterday&range=30d')).toMatchObject({ range: 'custom', from: 'yesterday', to: null })
    expect(summaryParams('from=yesterday')).toEqual({ from: 'yesterday' })
    expect(summaryParams('from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z')).toEqual({ from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', bucket: 'hour' })
  })

  it('ignores unknown values and writes back only what differs from the defaults', () => {
    expect(read('range=1y&bucket=week&org=&channel=sms')).toEqual({ range: '7d', from: null, to: null, bucket: null, org: null, channel: 'sms' })
    expect(writeViewState(read('range=7d'))).toBe('')
    expect(writeViewState(read('range=30d&bucket=day&org=3&channel=email'))).toBe('org=3&range=30d&bucket=day&channel=email')
    expect(writeViewState(read('from=2026-11-01T00:00:00.000Z&to=2026-11-09T00:00:00.000Z&range=30d'))).toBe('from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-09T00%3A00%3A00.000Z')
  })

  it('offers hourly buckets up to 744 hours', () => {
    expect(isHourlyAllowed(read('range=30d'), now)).toBe(true)
    expect(isHourlyAllowed(read('range=90d'), now)).toBe(false)
    expect(isHourlyAllowed(read('from=2026-01-01&to=2026-03-01'), now)).toBe(false)
    expect(effectiveBucket(read('range=24h'), now)).toBe('hour')
    expect(effectiveBucket(read('range=24h&bucket=day'), now)).toBe('hour')
    expect(isDailyAllowed(read('range=24h'))).toBe(false)
    expect(isDailyAllowed(read('range=7d'))).toBe(true)
    expect(isDailyAllowed(read('from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z'))).toBe(true)
    expect(effectiveBucket(read('from=nonsense'), now)).toBeNull()
  })

  it('turns date inputs into a UTC range that includes the end day, and back', () => {
    const range = customRangeFromDates('2026-11-01', '2026-11-08')
    expect(range).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-09T00:00:00.000Z' })
    expect(dateInputValue(range.from)).toBe('2026-11-01')
    expect(dateInputValue(range.to, { endExclusive: true })).toBe('2026-11-08')
    expect(dateInputValue('not a date')).toBe('')
  })

  it("takes days in the viewer's zone: presets from its midnight, date inputs as its days", () => {
    const ny = Object.fromEntries(new URLSearchParams(summaryPath(read(''), now, 'America/New_York').split('?')[1]))
    // 10:37 UTC on 26 November is 05:37 in New York: the 7 days start at New York's midnight of the 20th.
    expect(ny).toEqual({ from: '2026-11-20T05:00:00.000Z', to: now.toISOString(), bucket: 'day', tz: 'America/New_York' })
    // Across the end of summer time on 25 October, the 90 days still start at a local midnight (then 04:00 UTC).
    expect(Object.fromEntries(new URLSearchParams(summaryPath(read('range=90d'), now, 'America/New_York').split('?')[1])).from).toBe('2026-08-29T04:00:00.000Z')
    const range = customRangeFromDates('2026-11-01', '2026-11-08', 'Europe/Berlin')
    // Berlin: summer time until 25 October, so 1 November starts at 23:00 UTC the day before.
    expect(range).toEqual({ from: '2026-10-31T23:00:00.000Z', to: '2026-11-08T23:00:00.000Z' })
    expect(dateInputValue(range.from, {}, 'Europe/Berlin')).toBe('2026-11-01')
    expect(dateInputValue(range.to, { endExclusive: true }, 'Europe/Berlin')).toBe('2026-11-08')
    // Not a midnight there: the end day is the day it falls in.
    expect(dateInputValue('2026-11-09T12:00:00.000Z', { endExclusive: true }, 'Europe/Berlin')).toBe('2026-11-09')
  })
})

const point = (start: string, delivered: number, complaints: number) => ({ start, delivered, complaints }) as SeriesPoint
const hour = (h: number) => new Date(Date.UTC(2026, 10, 24) + h * 3_600_000).toISOString()

describe('the complaint-rate chart', () => {
  it('plots the trailing 24 hours at each hour, so a complaint in an hour with nothing delivered stays visible', () => {
    // 100 delivered at hour 0, a complaint at hour 5 with nothing delivered then, 50 delivered at hour 30.
    const series = Array.from({ length: 36 }, (_, h) => point(hour(h), h === 0 ? 100 : h === 30 ? 50 : 0, h === 5 ? 1 : 0))
    const rates = trailingComplaintRates(series)
    expect(rates[4]).toMatchObject({ complaints: 0, delivered: 100, rate: 0 })
    expect(rates[5]).toMatchObject({ complaints: 1, delivered: 100, rate: 1 })
    // Hour 23's window is hours 0–23; hour 24's is 1–24, so the deliveries of hour 0 leave it.
    expect(rates[23]).toMatchObject({ complaints: 1, delivered: 100, rate: 1 })
    expect(rates[24]).toMatchObject({ complaints: 1, delivered: 0, rate: null })
    expect(rates[29]).toMatchObject({ complaints: 0, delivered: 0, rate: null })
    expect(rates[30]).toMatchObject({ complaints: 0, delivered: 50, rate: 0 })
  })

  it('by day, is each day on its own', () => {
    const day = (d: number) => new Date(Date.UTC(2026, 10, 20 + d)).toISOString()
    const rates = trailingComplaintRates([point(day(0), 200, 1), point(day(1), 0, 1), point(day(2), 100, 0)])
    expect(rates.map((r) => r.rate)).toEqual([0.5, null, 0])
     // London's 29 March 2026 has 23 hours: the 30th starts 23 hours after it, and is still on its own.
    const london = ['2026-03-28T00:00:00.000Z', '2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z']
    const dst = trailingComplaintRates([point(london[0]!, 100, 0), point(london[1]!, 100, 1), point(london[2]!, 100, 0)], 'day')
    expect(dst.map((r) => [r.complaints, r.delivered])).toEqual([[0, 100], [1, 100], [0, 100]])
  })
})

describe('analytics formats', () => {
  it('shows rates with two decimals under 1 %, where the Gmail thresholds are', () => {
    expect(formatRate(null)).toBe('—')
    expect(formatRate(0)).toBe('0%')
    expect(formatRate(0.001)).toBe('0.1%')
    expect(formatRate(0.00125)).toBe('0.13%')
    expect(formatRate(2 / 3)).toBe('66.7%')
    expect(formatPercentValue(0.3)).toBe('0.3%')
  })

  it('labels latency buckets and percentiles in seconds, minutes and hours', () => {
    // Each bucket holds [previous bound, le).
    expect(latencyBucketLabel(1, null)).toBe('< 1s')
    expect(latencyBucketLabel(2, 1)).toBe('1–2s')
    expect(latencyBucketLabel(60, 30)).toBe('30s–1m')
    expect(latencyBucketLabel(120, 60)).toBe('1–2m')
    expect(latencyBucketLabel(3600, 1800)).toBe('30m–1h')
    expect(latencyBucketLabel(null, 3600)).toBe('≥ 1h')
    expect(formatSeconds(null)).toBe('—')
    expect(formatSeconds(4)).toBe('4 s')
    expect(formatSeconds(150)).toBe('2.5 min')
    expect(formatSeconds(7200)).toBe('2 h')
  })
})
