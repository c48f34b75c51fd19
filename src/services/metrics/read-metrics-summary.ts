import type { Payload } from 'payload'

import { requestStatementTimeoutMs } from '@/db/db-limits'
import { withStatementTimeout } from '@/db/request-context'
import { inTransaction } from '@/db/transaction'
import { envNumber } from '@/services/config/server-env'

import type { ActiveMetricAlert } from './list-active-metric-alerts'
import { failureReasonLabel } from './failure-reason-label'
import { type LatencySummary, summarizeLatency } from './latency-histogram'
import {
  METRIC_CHANNELS,
  METRIC_COLUMNS,
  METRIC_KEYS,
  type MetricBucket,
  type MetricChannel,
  type MetricCounts,
  type MetricRates,
  metricRates,
  zeroCounts,
} from './metric-definitions'
import { failureReasonFactsSql, latencyFactsSql, metricFactsSql } from './metric-facts-sql'
import { bucketStarts } from './parse-summary-params'
import { singleFlightCache } from './single-flight-cache'

export type FailureReason = { code: string; label: string; count: number; share: number }

export type ChannelSummary = {
  channel: MetricChannel
  totals: MetricCounts
  rates: MetricRates
  series: ({ start: string } & MetricCounts)[]
  failureReasons: FailureReason[]
  callbackLatency: LatencySummary
}

export type TemplateEngagement = {
  template: number
  name: string
  org: number
  sent: number
  delivered: number
  uniqueOpens: number
  uniqueClicks: number
  complaints: number
  bounces: number
  openRate: number | null
  clickRate: number | null
}

export type MetricsSummary = {
  org: number | null
  from: string
  to: string
  bucket: MetricBucket
  /** The zone whose calendar days the day buckets are (hour buckets are UTC hours). */
  timeZone: string
  generatedAt: string
  rolledUpUntil: string | null
  channels: ChannelSummary[]
  topTemplates: TemplateEngagement[]
  /** Empty here: the endpoint adds the orgs' alerts of the last 24 hours (listActiveMetricAlerts). */
  alerts: ActiveMetricAlert[]
}

const HOUR_MS = 3_600_000
const TOP_REASONS = 10
const TOP_TEMPLATES = 10
const COLUMNS = Object.values(METRIC_COLUMNS)
const sums = COLUMNS.map((c) => `sum(${c})::bigint AS ${c}`).join(', ')

type Row = Record<string, number | string | null>
type Result = { series: Row[]; templates: Row[]; reasons: Row[]; latency: Row[] }

/**
 * One statement, one snapshot: the rollup rows of [from, split) and the live aggregates of [split, to)
 * (split = rolled_until, clamped to the range), per channel, as series by bucket, engagement by
 * template, failure reasons and the latency histogram.
 */
const LIVE = { from: '$1::timestamptz', to: '$2::timestamptz' }
const SUMMARY_SQL = `WITH facts AS MATERIALIZED (
  SELECT channel, hour, job_id, ${COLUMNS.join(', ')} FROM metric_rollups
   WHERE org_id = ANY($3::int[]) AND hour >= $4 AND hour < $5 AND channel = ANY($6::text[])
  UNION ALL
  SELECT channel, hour, job_id, ${COLUMNS.join(', ')} FROM (${metricFactsSql('$3::int[]', LIVE)}) live WHERE channel = ANY($6::text[])
), series AS (
  SELECT channel, date_trunc($7, hour, $8) AS start, ${sums} FROM facts GROUP BY 1, 2
), templates AS (
  SELECT t.id AS template, t.name, t.org_id AS org, sum(f.sent)::bigint AS sent, sum(f.delivered)::bigint AS delivered,
         sum(f.unique_opens)::bigint AS unique_opens, sum(f.unique_clicks)::bigint AS unique_clicks,
         sum(f.complaints)::bigint AS complaints, sum(f.bounces)::bigint AS bounces
    FROM facts f JOIN email_jobs j ON j.id = f.job_id JOIN email_templates t ON t.id = j.template_id
   WHERE f.channel = 'email'
   GROUP BY t.id
  HAVING sum(f.delivered) > 0
   ORDER BY sum(f.unique_opens)::float8 / sum(f.delivered) DESC, sum(f.delivered) DESC, t.id
   LIMIT ${TOP_TEMPLATES}
), reasons AS (
  SELECT channel, code, sum(count)::bigint AS count FROM (
    SELECT channel, code, count FROM metric_rollup_reasons WHERE org_id = ANY($3::int[]) AND hour >= $4 AND hour < $5
    UNION ALL
    SELECT channel, code, count FROM (${failureReasonFactsSql('$3::int[]', LIVE)}) live
  ) x WHERE channel = ANY($6::text[]) GROUP BY 1, 2
), latency AS (
  SELECT channel, bucket, sum(count)::bigint AS count FROM (
    SELECT channel, bucket, count FROM metric_rollup_latency WHERE org_id = ANY($3::int[]) AND hour >= $4 AND hour < $5
    UNION ALL
    SELECT channel, bucket, count FROM (${latencyFactsSql('$3::int[]', LIVE)}) live
  ) x WHERE channel = ANY($6::text[]) GROUP BY 1, 2
)
SELECT (SELECT coalesce(json_agg(series), '[]'::json) FROM series) AS series,
       (SELECT coalesce(json_agg(templates), '[]'::json) FROM templates) AS templates,
       (SELECT coalesce(json_agg(reasons), '[]'::json) FROM reasons) AS reasons,
       (SELECT coalesce(json_agg(latency), '[]'::json) FROM latency) AS latency`

const countsOf = (row: Row): MetricCounts => {
  const counts = zeroCounts()
  for (const key of METRIC_KEYS) counts[key] = Number(row[METRIC_COLUMNS[key]] ?? 0)
  return counts
}

const summarizeChannel = (channel: MetricChannel, result: Result, starts: Date[]): ChannelSummary => {
  const byStart = new Map(result.series.filter((r) => r.channel === channel).map((r) => [new Date(String(r.start)).getTime(), countsOf(r)]))
  const series = starts.map((start) => ({ start: start.toISOString(), ...(byStart.get(start.getTime()) ?? zeroCounts()) }))
  const totals = zeroCounts()
  for (const bucket of series) for (const key of METRIC_KEYS) totals[key] += bucket[key]
  const failureReasons = result.reasons
    .filter((r) => r.channel === channel)
    .map((r) => ({ code: String(r.code), count: Number(r.count) }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
    .slice(0, TOP_REASONS)
    .map((r) => ({ code: r.code, label: failureReasonLabel(r.code), count: r.count, share: totals.failed ? r.count / totals.failed : 0 }))
  const histogram = result.latency.filter((r) => r.channel === channel).map((r) => ({ bucket: Number(r.bucket), count: Number(r.count) }))
  return { channel, totals, rates: metricRates(totals), series, failureReasons, callbackLatency: summarizeLatency(histogram) }
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole)

/** Summaries already computed, for METRICS_SUMMARY_CACHE_SECONDS (default 15; 0: none). */
const summaries = singleFlightCache<MetricsSummary>({ ttlMs: () => envNumber('METRICS_SUMMARY_CACHE_SECONDS', 15, { min: 0 }) * 1000 })

/**
 * The summary of GET /api/metrics/summary over `orgs` (already authorised by the caller) for
 * [from, to), bucket-aligned. Hours before the rollup's `rolled_until` come from the rollups, later ones
 * from the base tables, in one read-only snapshot. Many people looking at the same dashboard share one
 * computation, at most METRICS_SUMMARY_CACHE_SECONDS old (`generatedAt` says when).
 */
export const readMetricsSummary = (args: Parameters<typeof computeMetricsSummary>[0]): Promise<MetricsSummary> =>
  summaries(JSON.stringify([[...args.orgs].sort((a, b) => a - b), args.org, args.from.toISOString(), args.to.toISOString(), args.bucket, args.channel, args.timeZone]), () =>
    // Shared by every viewer: not cancelled when the first one's client goes away.
    withStatementTimeout(requestStatementTimeoutMs(), () => computeMetricsSummary(args)),
  )

const computeMetricsSummary = async ({
  payload,
  orgs,
  org,
  from,
  to,
  bucket,
  channel,
  timeZone,
}: {
  payload: Payload
  orgs: number[]
  org: number | null
  from: Date
  to: Date
  bucket: MetricBucket
  channel: MetricChannel | null
  timeZone: string
}): Promise<MetricsSummary> =>
  inTransaction(
    payload,
    async (client) => {
      await client.query(`SET LOCAL TimeZone = 'UTC'`)
      const { rows: state } = await client.query<{ rolled_until: Date | null }>('SELECT rolled_until FROM metric_rollup_state WHERE id = 1')
      const rolledUntil = state[0]?.rolled_until ?? null
      // Facts are kept per UTC hour, each in the day its hour starts in: a zone a half or quarter hour off
      // UTC reads the hours that start within its days (both ends rounded up to a whole hour).
      const lo = new Date(Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS)
      const hi = new Date(Math.ceil(to.getTime() / HOUR_MS) * HOUR_MS)
      const split = new Date(Math.min(Math.max((rolledUntil ?? lo).getTime(), lo.getTime()), hi.getTime()))
      const channels = channel ? [channel] : [...METRIC_CHANNELS]
      // Day buckets are the zone's calendar days; hours are UTC hours (the rollups' own).
      const { rows } = await client.query<Result>(SUMMARY_SQL, [split, hi, orgs, lo, split, channels, bucket, bucket === 'day' ? timeZone : 'UTC'])
      const result = rows[0]!
      const withData = new Set([...result.series, ...result.reasons, ...result.latency].map((r) => String(r.channel)))
      const shown = channel ? [channel] : METRIC_CHANNELS.filter((c) => c === 'email' || withData.has(c))
      const starts = bucketStarts(from, to, bucket, timeZone)
      return {
        org,
        from: from.toISOString(),
        to: to.toISOString(),
        bucket,
        timeZone,
        generatedAt: new Date().toISOString(),
        rolledUpUntil: rolledUntil ? rolledUntil.toISOString() : null,
        channels: shown.map((c) => summarizeChannel(c, result, starts)),
        topTemplates: result.templates.map((t) => {
          const delivered = Number(t.delivered)
          const uniqueOpens = Number(t.unique_opens)
          const uniqueClicks = Number(t.unique_clicks)
          return {
            template: Number(t.template),
            name: String(t.name),
            org: Number(t.org),
            sent: Number(t.sent),
            delivered,
            uniqueOpens,
            uniqueClicks,
            complaints: Number(t.complaints),
            bounces: Number(t.bounces),
            openRate: ratio(uniqueOpens, delivered),
            clickRate: ratio(uniqueClicks, delivered),
          }
        }),
        alerts: [],
      }
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  )
