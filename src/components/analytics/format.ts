/**
 * Number, rate, duration and time formats of the analytics dashboard. Figures in one fixed style; days
 * and times in the viewer's date style and zone (their own, else their organisation's), which are also
 * the days the summary's day buckets are.
 */
import { type DateSettings, formatDateTime } from '@/services/vocabulary/dates'

import type { Bucket } from './types'

const COUNT = new Intl.NumberFormat('en-US')

export const formatCount = (value: number): string => COUNT.format(value)

/** A percentage value (already ×100): two decimals under 1 %, where Gmail's thresholds live, else one. */
export const formatPercentValue = (percent: number): string => {
  if (percent === 0) return '0%'
  const digits = Math.abs(percent) < 1 ? 2 : 1
  return `${Number(percent.toFixed(digits))}%`
}

/** A fraction 0..1 as a percentage; null (no denominator) as a dash. Also used by the engagement panels. */
export const formatRate = (fraction: null | number | undefined): string =>
  fraction === null || fraction === undefined || !Number.isFinite(fraction) ? '—' : formatPercentValue(fraction * 100)

export const formatSeconds = (seconds: null | number | undefined): string => {
  if (seconds === null || seconds === undefined) return '—'
  if (seconds < 120) return `${Number(seconds.toFixed(1))} s`
  if (seconds < 7200) return `${Number((seconds / 60).toFixed(1))} min`
  return `${Number((seconds / 3600).toFixed(1))} h`
}

/** A latency bound in seconds, short: 30 → [30, 's'], 120 → [2, 'm'], 3600 → [1, 'h']. */
const bound = (seconds: number): [number, string] => (seconds < 60 ? [seconds, 's'] : seconds < 3600 ? [seconds / 60, 'm'] : [seconds / 3600, 'h'])

/**
 * Label of a latency bucket, which holds the latencies in [previous bound, le): "< 1s", "1–2s",
 * "30s–1m"; the open-ended last one "≥ 1h".
 */
export const latencyBucketLabel = (le: null | number, previous: null | number): string => {
  if (le === null) return previous === null ? 'all' : `≥ ${bound(previous).join('')}`
  const [high, highUnit] = bound(le)
  if (previous === null) return `< ${high}${highUnit}`
  const [low, lowUnit] = bound(previous)
  return `${low}${lowUnit === highUnit ? '' : lowUnit}–${high}${highUnit}`
}

/** A bucket's start: "6 Dec" for a day, "6 Dec, 14:00" for an hour (en-GB), in the viewer's zone. */
export const formatBucketStart = (iso: number | string, bucket: Bucket, dates: DateSettings): string => {
  // One formatter per style, zone and bucket kind, not one per chart point and render.
  const key = `${dates.locale}|${dates.timeZone}|${bucket}`
  let format = bucketFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(dates.locale, { timeZone: dates.timeZone, month: 'short', day: 'numeric', ...(bucket === 'hour' ? { hour: '2-digit', minute: '2-digit' } : {}) })
    bucketFormats.set(key, format)
  }
  return format.format(new Date(iso))
}
const bucketFormats = new Map<string, Intl.DateTimeFormat>()

/** A moment (an alert's window end, when it was raised), as every date in the admin. */
export const formatMoment = (iso: string, dates: DateSettings): string => formatDateTime(iso, dates)
