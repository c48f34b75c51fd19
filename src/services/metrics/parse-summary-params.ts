import { AppError } from '../errors/app-error'
import { isTimeZone } from '../vocabulary/dates'
import { startOfZonedDay } from '../vocabulary/zoned-days'
import { METRIC_BUCKETS, METRIC_CHANNELS, type MetricBucket, type MetricChannel } from './metric-definitions'

export type SummaryParams = { from: Date; to: Date; bucket: MetricBucket; org: number | null; channel: MetricChannel | null; timeZone: string }

const HOUR = 3_600_000
const DAY = 24 * HOUR
export const MAX_RANGE_DAYS = 400
export const MAX_BUCKETS = 744
const DEFAULT_RANGE = 7 * DAY

// ISO 8601 as people and programs write it: a date, or a date and time with an optional offset.
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i

const invalid = (message: string) => new AppError('INVALID_INPUT', message)

/** A date-time without an offset is UTC (never the server's zone). */
const parseDate = (name: string, raw: string): Date => {
  const text = raw.trim()
  if (!ISO.test(text)) {
    // A `+` left unencoded in a query string arrives as a space: say so rather than "not a date".
    const hint = /[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)? \d{2}(?::?\d{2})?$/.test(text) ? ' The `+` of an offset must be URL-encoded as %2B.' : ''
    throw invalid(`\`${name}\` must be an ISO 8601 date or date-time (e.g. 2026-11-01T00:00:00Z), not ${JSON.stringify(raw.slice(0, 40))}.${hint}`)
  }
  // JavaScript's Date reads only the ±hh:mm offset form: ±hh and ±hhmm are written out first.
  const normalised = text.replace(' ', 'T').replace(/([+-])(\d{2}):?(\d{2})?$/, (match, sign: string, hours: string, minutes?: string) =>
    text.includes(':') || text.includes(' ') || text.includes('T') ? `${sign}${hours}:${minutes ?? '00'}` : match,
  )
  const hasOffset = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(normalised) && normalised.includes('T')
  const withZone = normalised.includes('T') && !hasOffset ? `${normalised}Z` : normalised
  const date = new Date(withZone)
  // Date accepts 2026-02-31 (rolling over); the calendar date must come back unchanged.
  const [, y, m, d] = /^(\d{4})-(\d{2})-(\d{2})/.exec(text)!
  const probe = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
  if (Number.isNaN(date.getTime()) || probe.getUTCMonth() !== Number(m) - 1 || probe.getUTCDate() !== Number(d)) {
    throw invalid(`\`${name}\` is not a real date: ${JSON.stringify(raw.slice(0, 40))}.`)
  }
  return date
}

const floorTo = (time: number, unit: number) => Math.floor(time / unit) * unit
const ceilTo = (time: number, unit: number) => Math.ceil(time / unit) * unit

const oneOf = <T extends string>(name: string, raw: string | null, allowed: readonly T[]): T | null => {
  if (raw === null || raw === '') return null
  if (!(allowed as readonly string[]).includes(raw)) throw invalid(`\`${name}\` must be one of ${allowed.join(', ')}, not ${JSON.stringify(raw.slice(0, 40))}.`)
  return raw as T
}

/**
 * The summary's query: `from`, `to` (ISO 8601; default: the 7 days up to now), `bucket` (`hour` | `day`;
 * default `day` for ranges over 2 days), `org` (an id), `channel` (`email` | `sms`), `tz` (an IANA time
 * zone whose calendar days the day buckets are; default UTC). The range is widened to whole buckets:
 * `from` down, `to` up (hours are UTC hours, which are whole hours in every zone but those a half or
 * quarter hour off). Anything else is a 400 with the reason.
 */
export const parseSummaryParams = (query: URLSearchParams, now: Date): SummaryParams => {
  const rawTo = query.get('to')
  const rawFrom = query.get('from')
  const to = rawTo ? parseDate('to', rawTo) : now
  const from = rawFrom ? parseDate('from', rawFrom) : new Date(to.getTime() - DEFAULT_RANGE)
  if (from.getTime() >= to.getTime()) throw invalid('`from` must be before `to`.')
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) throw invalid(`The range may span at most ${MAX_RANGE_DAYS} days.`)
  const bucket = oneOf('bucket', query.get('bucket'), METRIC_BUCKETS) ?? (to.getTime() - from.getTime() > 2 * DAY ? 'day' : 'hour')
  const rawZone = query.get('tz')
  if (rawZone !== null && rawZone !== '' && !isTimeZone(rawZone)) throw invalid(`\`tz\` must be an IANA time zone such as Europe/London or America/New_York, not ${JSON.stringify(String(rawZone).slice(0, 40))}.`)
  const timeZone = rawZone || 'UTC'
  let start: number
  let end: number
  if (bucket === 'day') {
    start = startOfZonedDay(from.getTime(), timeZone)
    end = startOfZonedDay(to.getTime(), timeZone)
    if (end < to.getTime()) end = startOfZonedDay(to.getTime(), timeZone, 1)
  } else {
    start = floorTo(from.getTime(), HOUR)
    end = ceilTo(to.getTime(), HOUR)
  }
  const buckets = bucket === 'hour' ? (end - start) / HOUR : bucketStarts(new Date(start), new Date(end), bucket, timeZone).length
  if (buckets > MAX_BUCKETS) throw invalid(`That is ${buckets} ${bucket} buckets; at most ${MAX_BUCKETS} (use bucket=day, or a shorter range).`)
  const channel = oneOf('channel', query.get('channel'), METRIC_CHANNELS)
  const rawOrg = query.get('org')
  let org: number | null = null
  if (rawOrg !== null && rawOrg !== '') {
    if (!/^[1-9]\d{0,8}$/.test(rawOrg)) throw invalid('`org` must be an organisation id (a positive whole number).')
    org = Number(rawOrg)
  }
  return { from: new Date(start), to: new Date(end), bucket, org, channel, timeZone }
}

/** The start of every bucket in [from, to), in order: UTC hours, or the days of `timeZone`. */
export const bucketStarts = (from: Date, to: Date, bucket: MetricBucket, timeZone = 'UTC'): Date[] => {
  const starts: Date[] = []
  const next = (t: number) => (bucket === 'day' ? startOfZonedDay(t, timeZone, 1) : t + HOUR)
  for (let t = from.getTime(); t < to.getTime(); t = next(t)) starts.push(new Date(t))
  return starts
}
