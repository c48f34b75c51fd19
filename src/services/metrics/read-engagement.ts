import type { PoolClient } from 'pg'

/**
 * Engagement of a set of email recipients (one job, a template's jobs, one contact), computed live from
 * `email_recipients`, `webhook_events` (by recipient id) and `suppressions`. The sets are small, and each
 * read starts from an indexed column (job_id, contact_id), so no rollup is needed.
 *
 * Definitions, per recipient row (a row is one message to one address):
 * - `total`: rows not excluded; `excluded`: rows excluded at queueing (suppressed, invalid).
 * - `sent`: the provider accepted the message — `sent_at` is set (SMTP accepted it, SendGrid took the
 *   request, or a later provider event proved it went out), or the status is `sent`/`delivered`. A row
 *   that failed before any provider accepted it (SMTP 5xx, retries exhausted) is not sent.
 * - `delivered`: the provider confirmed delivery — `delivered_at` is set or a `delivered` event is stored
 *   for it (a complaint arriving with the delivery in one post fails the row without setting delivered_at).
 * - `bounced` / `dropped` / `complained`: a `bounce` / `dropped` / `spamreport` event for the row, or the
 *   row failed with provider code `sendgrid:bounce` / `sendgrid:dropped` / `sendgrid:spamreport` (what
 *   the webhook stores when SendGrid gives no status of its own).
 * - `unsubscribed`: an `unsubscribe` or `group_unsubscribe` event for the row, or an `unsubscribe`
 *   suppression (active or lifted, not one waiting for review) of its address in its org or on the global
 *   list, created at or after the row's `sent_at` when no later message to that address in that org was
 *   sent before the suppression: the unsubscribe is credited to the last message the person received.
 * - `deliveredThenFailed`: delivered rows that failed afterwards (a later bounce or spam report): the job's
 *   progress counts them as failed, so its "Delivered" is lower by exactly this many.
 * - `opened` / `clicked`: rows with at least one `open` / `click` event; `opens` / `clicks`: all of those
 *   events (repeat opens included; SendGrid event ids make each event count once).
 * Rates are fractions (0..1), `null` when their denominator is 0: delivery = delivered / sent,
 * bounce = bounced / sent, complaint = complained / delivered, unsubscribe = unsubscribed / delivered,
 * open = opened / delivered, click = clicked / delivered.
 */

export type EngagementChannel = 'email'

export type EngagementCounts = {
  total: number
  excluded: number
  sent: number
  delivered: number
  bounced: number
  dropped: number
  complained: number
  unsubscribed: number
  opened: number
  clicked: number
  opens: number
  clicks: number
  deliveredThenFailed: number
}

export type EngagementRates = {
  delivery: null | number
  bounce: null | number
  complaint: null | number
  unsubscribe: null | number
  open: null | number
  click: null | number
}

export type EngagementTimes = { firstOpenAt: null | string; lastOpenAt: null | string; firstClickAt: null | string; lastClickAt: null | string }

export type Engagement = { channel: EngagementChannel; counts: EngagementCounts; rates: EngagementRates; times: EngagementTimes }

/** Which recipient rows to measure: a job's, the jobs' of a template (in its org), or a contact's (in its org). */
export type EngagementScope = { job: number } | { template: number; org: number } | { contact: number; org: number }

const COUNT_KEYS = ['total', 'excluded', 'sent', 'delivered', 'bounced', 'dropped', 'complained', 'unsubscribed', 'opened', 'clicked', 'opens', 'clicks', 'deliveredThenFailed'] as const

/**
 * The scope as two filters: on the recipients (`r`) and on their events (`e`). A job's or template's events
 * are found by their job (an event's job is its recipient's, set together by the webhook), read in one
 * bitmap scan instead of one index probe per recipient; a contact's few by recipient.
 */
const scopeFilter = (scope: EngagementScope): { recipients: string; events: string; params: number[] } => {
  if ('job' in scope) return { recipients: 'r.job_id = $1', events: 'e.job_id = $1', params: [scope.job] }
  if ('template' in scope) {
    const jobs = '(SELECT j.id FROM email_jobs j WHERE j.template_id = $1 AND j.org_id = $2)'
    return { recipients: `r.job_id IN ${jobs}`, events: `e.job_id IN ${jobs}`, params: [scope.template, scope.org] }
  }
  return {
    recipients: 'r.contact_id = $1 AND r.org_id = $2',
    events: 'e.recipient_id IN (SELECT c.id FROM email_recipients c WHERE c.contact_id = $1 AND c.org_id = $2)',
    params: [scope.contact, scope.org],
  }
}

const engagementSQL = ({ recipients, events }: { recipients: string; events: string }) => `
  WITH ev AS (
    SELECT e.recipient_id,
           count(*) FILTER (WHERE e.type = 'open') AS opens,
           count(*) FILTER (WHERE e.type = 'click') AS clicks,
           min(e.occurred_at) FILTER (WHERE e.type = 'open') AS first_open,
           max(e.occurred_at) FILTER (WHERE e.type = 'open') AS last_open,
           min(e.occurred_at) FILTER (WHERE e.type = 'click') AS first_click,
           max(e.occurred_at) FILTER (WHERE e.type = 'click') AS last_click,
           bool_or(e.type = 'delivered') AS delivered,
           bool_or(e.type = 'bounce') AS bounce,
           bool_or(e.type = 'dropped') AS dropped,
           bool_or(e.type = 'spamreport') AS spamreport,
           bool_or(e.type IN ('unsubscribe', 'group_unsubscribe')) AS unsubscribe
      FROM webhook_events e
     WHERE ${events} AND e.channel = 'email' AND e.recipient_id IS NOT NULL
     GROUP BY e.recipient_id
  ), unsubscribed AS (
    -- Messages credited with an unsubscribe suppression: sent before it, and the last one to the address before it.
    SELECT DISTINCT r.id AS recipient_id
      FROM email_recipients r
      JOIN suppressions s ON s.address = r.email AND (s.org_id = r.org_id OR s.org_id IS NULL) AND s.created_at >= r.sent_at
     WHERE ${recipients} AND s.channel = 'email' AND s.reason = 'unsubscribe' AND s.status IN ('active', 'lifted')
       AND NOT EXISTS (
         SELECT 1 FROM email_recipients n
          WHERE n.email = r.email AND n.org_id = r.org_id AND n.id <> r.id AND n.sent_at > r.sent_at AND n.sent_at <= s.created_at)
  ), f AS (
    SELECT r.job_id,
           r.status = 'excluded' AS excluded,
           r.status <> 'excluded' AND (r.sent_at IS NOT NULL OR r.status IN ('sent', 'delivered')) AS sent,
           r.status <> 'excluded' AND (r.delivered_at IS NOT NULL OR ev.delivered IS TRUE) AS delivered,
           r.status = 'failed' AND (r.delivered_at IS NOT NULL OR ev.delivered IS TRUE) AS delivered_then_failed,
           ev.bounce IS TRUE OR r.provider_code IS NOT DISTINCT FROM 'sendgrid:bounce' AS bounced,
           ev.dropped IS TRUE OR r.provider_code IS NOT DISTINCT FROM 'sendgrid:dropped' AS dropped,
           ev.spamreport IS TRUE OR r.provider_code IS NOT DISTINCT FROM 'sendgrid:spamreport' AS complained,
           ev.unsubscribe IS TRUE OR u.recipient_id IS NOT NULL AS unsubscribed,
           coalesce(ev.opens, 0) AS opens, coalesce(ev.clicks, 0) AS clicks,
           ev.first_open, ev.last_open, ev.first_click, ev.last_click
      FROM email_recipients r
      LEFT JOIN ev ON ev.recipient_id = r.id
      LEFT JOIN unsubscribed u ON u.recipient_id = r.id
     WHERE ${recipients}
  )
  SELECT GROUPING(job_id) = 1 AS is_total, job_id,
         count(*) FILTER (WHERE NOT excluded)::int AS total,
         count(*) FILTER (WHERE excluded)::int AS excluded,
         count(*) FILTER (WHERE sent)::int AS sent,
         count(*) FILTER (WHERE delivered)::int AS delivered,
         count(*) FILTER (WHERE bounced)::int AS bounced,
         count(*) FILTER (WHERE dropped)::int AS dropped,
         count(*) FILTER (WHERE complained)::int AS complained,
         count(*) FILTER (WHERE unsubscribed)::int AS unsubscribed,
         count(*) FILTER (WHERE opens > 0)::int AS opened,
         count(*) FILTER (WHERE clicks > 0)::int AS clicked,
         coalesce(sum(opens), 0)::int AS opens,
         coalesce(sum(clicks), 0)::int AS clicks,
         count(*) FILTER (WHERE delivered_then_failed)::int AS "deliveredThenFailed",
         min(first_open) AS first_open, max(last_open) AS last_open,
         min(first_click) AS first_click, max(last_click) AS last_click
    FROM f
   GROUP BY GROUPING SETS ((), (job_id))`

type Row = Record<(typeof COUNT_KEYS)[number], number> & {
  is_total: boolean
  job_id: null | number
  first_open: Date | null | string
  last_open: Date | null | string
  first_click: Date | null | string
  last_click: Date | null | string
}

const ratio = (numerator: number, denominator: number): null | number => (denominator > 0 ? numerator / denominator : null)

/** The rates of a set of counts (fractions, `null` when the denominator is 0). */
export const engagementRates = (c: Pick<EngagementCounts, 'bounced' | 'clicked' | 'complained' | 'delivered' | 'opened' | 'sent' | 'unsubscribed'>): EngagementRates => ({
  delivery: ratio(c.delivered, c.sent),
  bounce: ratio(c.bounced, c.sent),
  complaint: ratio(c.complained, c.delivered),
  unsubscribe: ratio(c.unsubscribed, c.delivered),
  open: ratio(c.opened, c.delivered),
  click: ratio(c.clicked, c.delivered),
})

const iso = (value: Date | null | string): null | string => (value === null ? null : new Date(value).toISOString())

const toEngagement = (row: Row | undefined): Engagement => {
  const counts = Object.fromEntries(COUNT_KEYS.map((key) => [key, Number(row?.[key] ?? 0)])) as EngagementCounts
  return {
    channel: 'email',
    counts,
    rates: engagementRates(counts),
    times: {
      firstOpenAt: iso(row?.first_open ?? null),
      lastOpenAt: iso(row?.last_open ?? null),
      firstClickAt: iso(row?.first_click ?? null),
      lastClickAt: iso(row?.last_click ?? null),
    },
  }
}

/**
 * Reads the engagement of the scope's recipients: the whole set, and the same per job. The caller has
 * already checked that the user may see the job, template or contact behind the scope. Runs in the caller's
 * transaction (it sets `jit` for it).
 */
export const readEngagement = async ({ client, scope }: { client: PoolClient; scope: EngagementScope }): Promise<{ total: Engagement; byJob: Map<number, Engagement> }> => {
  const { params, ...filters } = scopeFilter(scope)
  // For this transaction only: large jobs make the estimates high enough for JIT, which costs more than it
  // saves here, and the per-recipient event aggregate of a 100k-recipient job spills to disk at the default work_mem.
  await client.query("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
  const { rows } = await client.query<Row>(engagementSQL(filters), params)
  const byJob = new Map<number, Engagement>()
  for (const row of rows) if (!row.is_total && row.job_id !== null) byJob.set(Number(row.job_id), toEngagement(row))
  return { total: toEngagement(rows.find((row) => row.is_total)), byJob }
}
