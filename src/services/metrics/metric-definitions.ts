/**
 * The figures of GET /api/metrics/summary, per channel and time bucket (UTC). Each one counts rows of
 * the org's own data by one timestamp, so a bucket's figure never changes meaning with the range:
 * - queued: recipient rows not excluded, by `created_at` (when the job was queued);
 * - excluded: excluded recipient rows (suppressed, invalid), by `created_at`;
 * - sent / delivered: recipient rows by `sent_at` / `delivered_at`;
 * - failed: rows that are failed now, by `failed_at` (a retried row stops counting);
 * - unsubscribed: the org's own `unsubscribe` and `keyword` (a STOP reply) suppressions (any status), by `created_at`, per channel;
 * - complaints / bounces / opens / clicks: `spamreport` / `bounce` / `open` / `click` webhook events,
 *   by the provider's `occurred_at`;
 * - uniqueOpens / uniqueClicks: recipients whose first open / click ever falls in the bucket, so they
 *   add up across buckets (a recipient counts once in any range that holds its first one).
 * Webhook events that matched no recipient belong to no org and count nowhere.
 * Rates (fractions, null when the denominator is 0): delivery = delivered / sent, bounce = bounces / sent,
 * complaint = complaints / delivered, open = uniqueOpens / delivered, click = uniqueClicks / delivered.
 */
export const METRIC_CHANNELS = ['email', 'sms'] as const
export type MetricChannel = (typeof METRIC_CHANNELS)[number]

export const METRIC_BUCKETS = ['hour', 'day'] as const
export type MetricBucket = (typeof METRIC_BUCKETS)[number]

/** Response key → column of the rollup tables and the live aggregates. */
export const METRIC_COLUMNS = {
  queued: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  failed: 'failed',
  excluded: 'excluded',
  unsubscribed: 'unsubscribed',
  complaints: 'complaints',
  bounces: 'bounces',
  opens: 'opens',
  clicks: 'clicks',
  uniqueOpens: 'unique_opens',
  uniqueClicks: 'unique_clicks',
} as const

export type MetricKey = keyof typeof METRIC_COLUMNS
export const METRIC_KEYS = Object.keys(METRIC_COLUMNS) as MetricKey[]
export type MetricCounts = Record<MetricKey, number>

export const zeroCounts = (): MetricCounts => Object.fromEntries(METRIC_KEYS.map((key) => [key, 0])) as MetricCounts

export type MetricRates = { delivery: number | null; bounce: number | null; complaint: number | null; open: number | null; click: number | null }

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole)

export const metricRates = (totals: MetricCounts): MetricRates => ({
  delivery: ratio(totals.delivered, totals.sent),
  bounce: ratio(totals.bounces, totals.sent),
  complaint: ratio(totals.complaints, totals.delivered),
  open: ratio(totals.uniqueOpens, totals.delivered),
  click: ratio(totals.uniqueClicks, totals.delivered),
})
