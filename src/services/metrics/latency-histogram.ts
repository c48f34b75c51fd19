/**
 * Callback latency (a webhook event's `received_at` − the provider's `occurred_at`, in seconds; negative
 * values from clock skew count as 0) is kept as a log-linear histogram: each value goes into a bucket
 * named by its lower bound, whose width is 1 % of the top of its decade, and at least 1 s:
 * 1 s steps below 100 s, 10 s below 1,000 s, 100 s below 10,000 s, 1,000 s above. A bucket is
 * [lower bound, lower bound + width). Percentiles are by nearest rank (the ⌈p·n⌉-th smallest value)
 * and reported as the lower bound of the bucket holding that value: never more than the true value,
 * and less by under one bucket width (under 1 s below 100 s, under 10 % of the value above).
 */

/** SQL for the bucket of a latency in seconds (`seconds` is a numeric SQL expression). */
export const latencyBucketSql = (seconds: string): string => `(CASE
    WHEN ${seconds} < 100 THEN floor(greatest(${seconds}, 0))
    WHEN ${seconds} < 1000 THEN floor(${seconds} / 10) * 10
    WHEN ${seconds} < 10000 THEN floor(${seconds} / 100) * 100
    ELSE floor(${seconds} / 1000) * 1000 END)::int`

/** The bucket (its lower bound) of a latency in seconds; the same rule as latencyBucketSql. */
export const latencyBucketOf = (seconds: number): number => {
  const s = Math.max(0, seconds)
  const width = s < 100 ? 1 : s < 1000 ? 10 : s < 10_000 ? 100 : 1000
  return Math.floor(s / width) * width
}

/** Upper bounds (seconds) of the coarse buckets the summary reports; `null` is +Inf. */
export const LATENCY_REPORT_BOUNDS: readonly (number | null)[] = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, null]

export type LatencyHistogram = { bucket: number; count: number }[]

export type LatencySummary = {
  count: number
  p50: number | null
  p95: number | null
  p99: number | null
  /** Not cumulative: each counts the latencies in [previous bound, le). */
  buckets: { le: number | null; count: number }[]
}

/** The nearest-rank percentile `p` (0 < p ≤ 1) of a histogram, as its bucket's lower bound; null when empty. */
export const latencyPercentile = (histogram: LatencyHistogram, p: number): number | null => {
  const sorted = [...histogram].filter((b) => b.count > 0).sort((a, b) => a.bucket - b.bucket)
  const count = sorted.reduce((sum, b) => sum + b.count, 0)
  if (count === 0) return null
  const rank = Math.max(1, Math.ceil(p * count))
  let seen = 0
  for (const b of sorted) {
    seen += b.count
    if (seen >= rank) return b.bucket
  }
  return sorted[sorted.length - 1]!.bucket
}

/**
 * The summary of a histogram. The report bounds are multiples of the bucket widths of their range, so
 * each fine bucket falls wholly into one coarse bucket: the coarse counts are exact.
 */
export const summarizeLatency = (histogram: LatencyHistogram): LatencySummary => {
  const buckets = LATENCY_REPORT_BOUNDS.map((le) => ({ le, count: 0 }))
  let count = 0
  for (const b of histogram) {
    count += b.count
    const index = LATENCY_REPORT_BOUNDS.findIndex((le) => le === null || b.bucket < le)
    buckets[index]!.count += b.count
  }
  return {
    count,
    p50: latencyPercentile(histogram, 0.5),
    p95: latencyPercentile(histogram, 0.95),
    p99: latencyPercentile(histogram, 0.99),
    buckets,
  }
}
