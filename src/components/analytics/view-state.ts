/**
 * The dashboard's state lives in the URL (`?range=&from=&to=&bucket=&org=&channel=`), so a link (from an
 * alert email: `/admin/analytics?org=<id>`) opens the same view. Pure functions, unit-tested.
 */
import { startOfDate, startOfZonedDay, zonedDate } from '@/services/vocabulary/zoned-days'

import type { Bucket } from './types'

export const RANGE_PRESETS = [
  { key: '24h', label: '24 hours', hours: 24 },
  { key: '7d', label: '7 days', hours: 24 * 7 },
  { key: '30d', label: '30 days', hours: 24 * 30 },
  { key: '90d', label: '90 days', hours: 24 * 90 },
] as const
export type RangePreset = (typeof RANGE_PRESETS)[number]['key']
export type RangeKey = 'custom' | RangePreset

export const DEFAULT_RANGE: RangePreset = '7d'
/** The summary refuses more than 744 buckets; an hourly view is offered up to that. */
export const MAX_HOURLY_HOURS = 744

export type ViewState = {
  range: RangeKey
  /** Custom range only, as given in the URL (the endpoint validates them and says what is wrong). */
  from: null | string
  to: null | string
  /** Null: the default for the range. */
  bucket: Bucket | null
  /** Null: every org the user may see. */
  org: null | string
  /** Null: the first channel of the response. */
  channel: null | string
}

const HOUR_MS = 3_600_000

const presetHours = (range: RangePreset): number => RANGE_PRESETS.find((p) => p.key === range)?.hours ?? 24 * 7
const isPreset = (value: null | string): value is RangePreset => RANGE_PRESETS.some((p) => p.key === value)
const nonEmpty = (value: null | string): null | string => (value && value.trim() ? value.trim() : null)

export const readViewState = (params: URLSearchParams): ViewState => {
  const from = nonEmpty(params.get('from'))
  const to = nonEmpty(params.get('to'))
  const range = params.get('range')
  const bucket = params.get('bucket')
  return {
    range: from || to ? 'custom' : isPreset(range) ? range : DEFAULT_RANGE,
    from,
    to,
    bucket: bucket === 'hour' || bucket === 'day' ? bucket : null,
    org: nonEmpty(params.get('org')),
    channel: nonEmpty(params.get('channel')),
  }
}

/** The query string (without `?`) for a state; defaults are left out so links stay short. */
export const writeViewState = (state: ViewState): string => {
  const params = new URLSearchParams()
  if (state.org) params.set('org', state.org)
  if (state.range === 'custom') {
    if (state.from) params.set('from', state.from)
    if (state.to) params.set('to', state.to)
  } else if (state.range !== DEFAULT_RANGE) params.set('range', state.range)
  if (state.bucket) params.set('bucket', state.bucket)
  if (state.channel) params.set('channel', state.channel)
  return params.toString()
}

const floorTo = (date: Date, unit: number): Date => new Date(Math.floor(date.getTime() / unit) * unit)
const parseTime = (value: null | string): Date | null => {
  if (!value) return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

/** Hours a state's range covers, when known (an unparseable custom range: null). */
export const rangeHours = (state: ViewState, now: Date): null | number => {
  if (state.range !== 'custom') return presetHours(state.range)
  const from = parseTime(state.from)
  const to = parseTime(state.to) ?? now
  return from ? (to.getTime() - from.getTime()) / HOUR_MS : null
}

/** The endpoint's own default: hourly up to two days, daily beyond. */
export const defaultBucket = (hours: null | number): Bucket | null => (hours === null ? null : hours <= 48 ? 'hour' : 'day')

/**
 * Day buckets are whole days (the endpoint widens the range to them), so "the last 24 hours" by day
 * would cover up to 48 hours: that preset is always hourly, whatever the URL says.
 */
export const isDailyAllowed = (state: ViewState): boolean => state.range !== '24h'

export const effectiveBucket = (state: ViewState, now: Date): Bucket | null =>
  !isDailyAllowed(state) ? 'hour' : (state.bucket ?? defaultBucket(rangeHours(state, now)))

export const isHourlyAllowed = (state: ViewState, now: Date): boolean => {
  const hours = rangeHours(state, now)
  return hours === null || hours <= MAX_HOURLY_HOURS
}

/**
 * The `/metrics/summary` query for a state at `now`, with days in `timeZone` (the viewer's). A preset
 * starts on a bucket boundary so its buckets are whole (the last 7 days by day: today and the 6 days
 * before; the last 24 hours by hour: this hour and the 23 before). A custom range goes as typed, so a
 * mistake gets the endpoint's reason.
 */
export const summaryPath = (state: ViewState, now: Date, timeZone = 'UTC'): string => {
  const params = new URLSearchParams()
  const bucket = effectiveBucket(state, now)
  if (state.range === 'custom') {
    if (state.from) params.set('from', state.from)
    if (state.to) params.set('to', state.to)
  } else {
    const hours = presetHours(state.range)
    // Every preset by day is at least 7 days (the 24 hours are always hourly), so whole days are right.
    const from =
      bucket === 'hour'
        ? new Date(floorTo(now, HOUR_MS).getTime() - (hours - 1) * HOUR_MS)
        : new Date(startOfZonedDay(now.getTime(), timeZone, -(hours / 24 - 1)))
    params.set('from', from.toISOString())
    params.set('to', now.toISOString())
  }
  if (bucket) params.set('bucket', bucket)
  if (state.org) params.set('org', state.org)
  if (timeZone !== 'UTC') params.set('tz', timeZone)
  return `/metrics/summary?${params.toString()}`
}

/** `YYYY-MM-DD` in `timeZone` of an ISO time, for a date input; '' when unparseable. */
export const dateInputValue = (iso: null | string, { endExclusive = false } = {}, timeZone = 'UTC'): string => {
  const date = parseTime(iso)
  if (!date) return ''
  // A range's end is exclusive: midnight of the 9th ends the day of the 8th.
  const time = date.getTime()
  const shown = endExclusive && startOfZonedDay(time, timeZone) === time ? time - 1 : time
  return zonedDate(shown, timeZone)
}

/** A custom range from two date inputs (days in `timeZone`, end day included). */
export const customRangeFromDates = (fromDay: string, toDay: string, timeZone = 'UTC'): { from: string; to: string } => {
  const from = startOfDate(fromDay, timeZone)
  const to = startOfDate(toDay, timeZone, 1)
  // Not a date: sent as typed, so the endpoint says what is wrong.
  return { from: from === null ? `${fromDay}T00:00:00.000Z` : new Date(from).toISOString(), to: to === null ? `${toDay}T00:00:00.000Z` : new Date(to).toISOString() }
}
