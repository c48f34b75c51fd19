/** The complaint-rate chart's figures (pure, unit-tested). */
import type { SeriesPoint } from './types'

export type TrailingRate = { start: string; complaints: number; delivered: number; rate: null | number }

const WINDOW_MS = 24 * 3_600_000

/**
 * Gmail measures the complaint rate over a day, so each point is the trailing 24-hour rate up to the end of
 * its bucket: complaints over delivered in the 24 hourly buckets ending with it, or in its own daily bucket
 * (the series is in time order; missing buckets count as nothing).
 * A complaint in an hour with nothing delivered stays in the next 23 points instead of vanishing. The
 * window is cut at the start of the range, and is a gap when nothing was delivered in it.
 */
export const trailingComplaintRates = (series: SeriesPoint[], bucket: 'day' | 'hour' = 'hour'): TrailingRate[] => {
  const starts = series.map((point) => Date.parse(point.start))
  let first = 0
  let complaints = 0
  let delivered = 0
  return series.map((point, i) => {
    complaints += point.complaints
    delivered += point.delivered
    // Keep the buckets that start less than 24 hours before this one: this one and the 23 hours before
    // it (by hour), or this day alone (by day).
    // (A day is its own window: after a 23-hour day the day before would still start within 24 hours.)
    while (first < i && (bucket === 'day' || starts[first]! <= starts[i]! - WINDOW_MS)) {
      complaints -= series[first]!.complaints
      delivered -= series[first]!.delivered
      first++
    }
    return { start: point.start, complaints, delivered, rate: delivered > 0 ? (complaints / delivered) * 100 : null }
  })
}
