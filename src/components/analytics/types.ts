/**
 * The shape of `GET /api/metrics/summary` as the dashboard reads it: the server's own types
 * (src/services/metrics), so the two cannot drift apart. Type-only imports, except the metric keys.
 */
import type { ActiveMetricAlert } from '@/services/metrics/list-active-metric-alerts'
import type { MetricBucket, MetricCounts } from '@/services/metrics/metric-definitions'
import type { ChannelSummary as ServerChannelSummary, MetricsSummary, TemplateEngagement } from '@/services/metrics/read-metrics-summary'

export { METRIC_KEYS as COUNT_KEYS } from '@/services/metrics/metric-definitions'

export type Bucket = MetricBucket
export type SeriesPoint = MetricCounts & { start: string }
export type ChannelSummary = ServerChannelSummary
export type TopTemplate = TemplateEngagement
export type MetricAlert = ActiveMetricAlert
export type Summary = MetricsSummary

export type OrgOption = { id: number; name: string }
