import { describe, expect, it } from 'vitest'

import { isAppError } from '@/services/errors/app-error'
import { bucketStarts, parseSummaryParams } from '@/services/metrics/parse-summary-params'

const NOW = new Date('2026-03-10T15:42:10Z')
const parse = (query: string) => parseSummaryParams(new URLSearchParams(query), NOW)
const reason = (query: string): string => {
  try {
    parse(query)
  } catch (error) {
    if (isAppError(error) && error.status === 400) return error.message
    throw error
  }
  throw new Error(`${query} was accepted`)
}

describe('parseSummaryParams', () => {
  it('defaults to the 7 days up to now, by day, widened to whole UTC days', () => {
    expect(parse('')).toEqual({ from: new Date('2026-03-03T00:00:00Z'), to: new Date('2026-03-11T00:00:00Z'), bucket: 'day', org: null, channel: null, timeZone: 'UTC' })
  })

  it('with a time zone, day buckets are that zone’s calendar days, also across a daylight-saving change', () => {
    // New York: the 7 days up to 10:42 local on 10 March, from local midnight; summer time began on 8 March (a 23-hour day).
    const ny = parse('tz=America/New_York')
    expect(ny).toMatchObject({ from: new Date('2026-03-03T05:00:00Z'), to: new Date('2026-03-11T04:00:00Z'), bucket: 'day', timeZone: 'America/New_York' })
    const starts = bucketStarts(ny.from, ny.to, 'day', 'America/New_York').map((d) => d.toISOString())
    expect(starts).toHaveLength(8)
    expect(starts.slice(4, 7)).toEqual(['2026-03-07T05:00:00.000Z', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'])
    // Hours stay whole UTC hours whatever the zone.
    expect(parse('from=2026-03-09T10:30:00Z&to=2026-03-10T10:00:01Z&tz=Asia/Tokyo')).toMatchObject({ from: new Date('2026-03-09T10:00:00Z'), bucket: 'hour' })
    expect(reason('tz=Mars/Olympus_Mons')).toMatch(/`tz` must be an IANA time zone such as Europe\/London/)
  })

  it('uses hours for ranges up to 2 days, widened to whole UTC hours', () => {
    expect(parse('from=2026-03-09T10:30:00Z&to=2026-03-10T10:00:01Z')).toMatchObject({
      from: new Date('2026-03-09T10:00:00Z'),
      to: new Date('2026-03-10T11:00:00Z'),
      bucket: 'hour',
    })
    expect(parse('from=2026-03-08T15:00:00Z&to=2026-03-10T15:00:00Z').bucket).toBe('hour')
    expect(parse('from=2026-03-08T14:59:59Z&to=2026-03-10T15:00:00Z').bucket).toBe('day')
  })

  it('reads offsets, dates without a time, and date-times without an offset as UTC', () => {
    expect(parse('from=2026-03-09T12:00:00%2B02:00&to=2026-03-09T13:00&bucket=hour')).toMatchObject({
      from: new Date('2026-03-09T10:00:00Z'),
      to: new Date('2026-03-09T13:00:00Z'),
    })
    expect(parse('from=2026-03-01&to=2026-03-02')).toMatchObject({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z'), bucket: 'hour' })
    expect(parse('from=2026-03-01T00:00:00.123456Z&to=2026-03-01T01:00:00-0100').to).toEqual(new Date('2026-03-01T02:00:00Z'))
    // An offset of hours only, which JavaScript's Date alone would not read.
    expect(parse('from=2026-03-09T12:00%2B05&to=2026-03-09T13:00:00-03&bucket=hour')).toMatchObject({
      from: new Date('2026-03-09T07:00:00Z'),
      to: new Date('2026-03-09T16:00:00Z'),
    })
  })

  it('says when the + of an offset was not URL-encoded (it arrives as a space)', () => {
    expect(reason('from=2026-03-09T12:00:00+05:30&to=2026-03-10')).toMatch(/`from` must be an ISO 8601 date .* URL-encoded as %2B/)
  })

  it('takes the bucket, org and channel as given', () => {
    expect(parse('from=2026-03-01&to=2026-03-03&bucket=day&org=12&channel=sms')).toMatchObject({ bucket: 'day', org: 12, channel: 'sms' })
    expect(parse('org=&channel=&bucket=')).toMatchObject({ org: null, channel: null, bucket: 'day' })
  })

  it('refuses bad input with the reason', () => {
    expect(reason('from=yesterday')).toMatch(/`from` must be an ISO 8601 date/)
    expect(reason('to=2026-13-01')).toMatch(/`to` is not a real date/)
    expect(reason('to=2026-02-30T00:00:00Z')).toMatch(/`to` is not a real date/)
    expect(reason('from=2026-03-02&to=2026-03-02')).toBe('`from` must be before `to`.')
    expect(reason('from=2026-03-03&to=2026-03-02')).toBe('`from` must be before `to`.')
    expect(reason('from=2025-01-01&to=2026-03-01')).toBe('The range may span at most 400 days.')
    expect(reason('from=2026-01-01&to=2026-03-01&bucket=hour')).toMatch(/^That is 1416 hour buckets; at most 744/)
    expect(reason('bucket=week')).toBe('`bucket` must be one of hour, day, not "week".')
    expect(reason('channel=fax')).toBe('`channel` must be one of email, sms, not "fax".')
    for (const org of ['0', '-1', '1.5', 'abc', '1e3', '0012', '1234567890']) expect(reason(`org=${org}`)).toMatch(/`org` must be an organisation id/)
  })

  it('accepts exactly 744 hour buckets and 400 days', () => {
    expect(parse('from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&bucket=hour').bucket).toBe('hour')
    expect(reason('from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:01Z&bucket=hour')).toMatch(/745 hour buckets/)
    expect(parse('from=2025-01-01T00:00:00Z&to=2026-02-05T00:00:00Z').bucket).toBe('day')
  })
})

describe('bucketStarts', () => {
  it('lists every bucket of the range in order', () => {
    expect(bucketStarts(new Date('2026-03-01T22:00:00Z'), new Date('2026-03-02T01:00:00Z'), 'hour').map((d) => d.toISOString())).toEqual([
      '2026-03-01T22:00:00.000Z',
      '2026-03-01T23:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
    ])
    expect(bucketStarts(new Date('2026-03-01T00:00:00Z'), new Date('2026-03-03T00:00:00Z'), 'day')).toHaveLength(2)
  })
})
