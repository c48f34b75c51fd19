import { latencyBucketSql } from './latency-histogram'
import { METRIC_COLUMNS } from './metric-definitions'

/**
 * The SQL that computes the metrics from the base tables (email_recipients, webhook_events,
 * suppressions), per org, channel, UTC hour and job, for the rows whose timestamp falls in one time
 * window [from, to) (hour-aligned SQL expressions, usually parameters) and whose org is in `orgs` (an
 * int[] SQL expression). The rollup stores its result for closed hours; the summary runs it live for
 * the hours the rollup has not reached. Both need the session time zone at UTC (`SET LOCAL TimeZone =
 * 'UTC'`). The bounds are plain comparisons (not a join) so the planner sees the range and each part
 * starts from an index on its timestamp (org_occurredAt for events): one hour reads one hour of rows.
 */
export type Window = { from: string; to: string }

const COLUMNS = Object.values(METRIC_COLUMNS)
type Column = (typeof COLUMNS)[number]

const part = (spec: { from: string; at: string; channel: string; job: string; org: string; where?: string; counts: Partial<Record<Column, string>> }, orgs: string, w: Window) =>
  `SELECT ${spec.org} AS org_id, ${spec.channel} AS channel, date_trunc('hour', ${spec.at}) AS hour, ${spec.job} AS job_id,
          ${COLUMNS.map((c) => `${spec.counts[c] ?? '0::bigint'} AS ${c}`).join(', ')}
     FROM ${spec.from}
    WHERE ${spec.at} >= ${w.from} AND ${spec.at} < ${w.to} AND ${spec.org} = ANY(${orgs})${spec.where ? ` AND ${spec.where}` : ''}
    GROUP BY 1, 2, 3, 4`

/** Rows (org_id, channel, hour, job_id, …METRIC_COLUMNS), one per org, channel, hour and job. */
export const metricFactsSql = (orgs: string, w: Window): string => {
  const recipients = { from: 'email_recipients r', channel: `coalesce(r.channel::varchar, 'email')`, job: 'r.job_id', org: 'r.org_id' }
  const events = { from: 'webhook_events e', at: 'e.occurred_at', channel: 'e.channel::varchar', job: 'e.job_id', org: 'e.org_id' }
  const parts = [
    part({ ...recipients, at: 'r.created_at', counts: { queued: `count(*) FILTER (WHERE r.status <> 'excluded')`, excluded: `count(*) FILTER (WHERE r.status = 'excluded')` } }, orgs, w),
    part({ ...recipients, at: 'r.sent_at', counts: { sent: 'count(*)' } }, orgs, w),
    part({ ...recipients, at: 'r.delivered_at', counts: { delivered: 'count(*)' } }, orgs, w),
    part({ ...recipients, at: 'r.failed_at', where: `r.status = 'failed'`, counts: { failed: 'count(*)' } }, orgs, w),
    part(
      { from: 'suppressions s', at: 's.created_at', channel: 's.channel::varchar', job: 'NULL::int', org: 's.org_id', where: `s.reason IN ('unsubscribe', 'keyword')`, counts: { unsubscribed: 'count(*)' } },
      orgs,
      w,
    ),
    part(
      {
        ...events,
        where: `e.type IN ('spamreport', 'bounce', 'open', 'click')`,
        counts: {
          complaints: `count(*) FILTER (WHERE e.type = 'spamreport')`,
          bounces: `count(*) FILTER (WHERE e.type = 'bounce')`,
          opens: `count(*) FILTER (WHERE e.type = 'open')`,
          clicks: `count(*) FILTER (WHERE e.type = 'click')`,
        },
      },
      orgs,
      w,
    ),
    // A recipient's first open (click): no event of its type before it (ties on the provider's whole
    // seconds go to the lower id).
    part(
      {
        ...events,
        where: `e.type IN ('open', 'click') AND e.recipient_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM webhook_events p
                           WHERE p.recipient_id = e.recipient_id AND p.type = e.type
                             AND (p.occurred_at < e.occurred_at OR (p.occurred_at = e.occurred_at AND p.id < e.id)))`,
        counts: { unique_opens: `count(*) FILTER (WHERE e.type = 'open')`, unique_clicks: `count(*) FILTER (WHERE e.type = 'click')` },
      },
      orgs,
      w,
    ),
  ]
  return `SELECT org_id, channel, hour, job_id, ${COLUMNS.map((c) => `sum(${c})::int AS ${c}`).join(', ')}
    FROM (${parts.join('\n UNION ALL ')}) parts
   GROUP BY org_id, channel, hour, job_id`
}

/** Rows (org_id, channel, hour, code, count): failed recipients by provider code (`unknown` when none). */
export const failureReasonFactsSql = (orgs: string, w: Window): string =>
  `SELECT r.org_id, coalesce(r.channel::varchar, 'email') AS channel, date_trunc('hour', r.failed_at) AS hour, coalesce(nullif(r.provider_code, ''), 'unknown') AS code, count(*)::int AS count
     FROM email_recipients r
    WHERE r.failed_at >= ${w.from} AND r.failed_at < ${w.to} AND r.org_id = ANY(${orgs}) AND r.status = 'failed'
    GROUP BY 1, 2, 3, 4`

/** Rows (org_id, channel, hour, bucket, count): the callback latency histogram of the events, by the hour they occurred. */
export const latencyFactsSql = (orgs: string, w: Window): string =>
  `SELECT e.org_id, e.channel::varchar AS channel, date_trunc('hour', e.occurred_at) AS hour,
          ${latencyBucketSql('extract(epoch FROM e.received_at - e.occurred_at)')} AS bucket, count(*)::int AS count
     FROM webhook_events e
    WHERE e.occurred_at >= ${w.from} AND e.occurred_at < ${w.to} AND e.org_id = ANY(${orgs})
    GROUP BY 1, 2, 3, 4`
