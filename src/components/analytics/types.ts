/** The shape of `GET /api/metrics/summary` (src/endpoints/metrics-summary.ts), as the dashboard reads it. */

export type Bucket = 'day' | 'hour'

export const COUNT_KEYS = ['queued', 'sent', 'delivered', 'failed', 'excluded', 'unsubscribed', 'complaints', 'bounces', 'opens', 'clicks', 'uniqueOpens', 'uniqueClicks'] as const
export type CountKey = (typeof COUNT_KEYS)[number]
export type Counts = Record<CountKey, number>

export type Rates = { delivery: null | number; bounce: null | number; complaint: null | number; open: null | number; click: null | number }

export type SeriesPoint = Counts & { start: string }

export type FailureReason = { code: string; label: string; count: number; share: number }

/** `le` in seconds, null for +Inf; counts per bucket, not cumulative. */
export type LatencyBucket = { le: null | number; count: number }
export type CallbackLatency = { count: number; p50: null | number; p95: null | number; p99: null | number; buckets: LatencyBucket[] }

export type ChannelSummary = {
  channel: string
  totals: Counts
  rates: Rates
  series: SeriesPoint[]
  failureReasons: FailureReason[]
  callbackLatency: CallbackLatency
}

export type TopTemplate = {
  template: number
  name: string
  org: number
  sent: number
  delivered: number
  uniqueOpens: number
  uniqueClicks: number
  complaints: number
  bounces: number
  openRate: null | number
  clickRate: null | number
}

export type MetricAlert = {
  org: number
  orgName: string
  kind: 'bounce_rate' | 'complaint_rate'
  rate: number
  threshold: number
  numerator: number
  denominator: number
  windowStart: string
  windowEnd: string
  raisedAt: string
}

export type Summary = {
  org: null | number
  from: string
  to: string
  bucket: Bucket
  generatedAt: string
  rolledUpUntil: null | string
  channels: ChannelSummary[]
  topTemplates: TopTemplate[]
  alerts: MetricAlert[]
}

export type OrgOption = { id: number; name: string }
