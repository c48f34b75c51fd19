import type { Payload } from 'payload'
import type { PoolClient } from 'pg'

import { poolWaitFamilies } from '@/db/pool-wait-metrics'

import { requestBoundsFamilies } from './request-bounds-metrics'
import { inTransaction } from '@/db/transaction'
import { RUNNING_JOB_STATUSES } from '@/services/sending/job-transitions'

import { CALLBACK_LATENCY_BUCKETS, type EventTotal, readEventTotals } from './prometheus-event-totals'
import { type RecipientTotal, readRecipientTotals } from './prometheus-recipient-totals'
import { type PrometheusFamily, type PrometheusHistogramSeries, type PrometheusSample, formatPrometheus } from './prometheus-format'

/** A running email job or a Payload job counts as stuck after this long without progress. */
export const STUCK_AFTER_MINUTES = 15
/**
 * The sweeper (every 5 s) settles expired leases (pending or `unknown`); a lease expired for longer than this
 * means no sweeper runs, so its job is stuck.
 */
export const EXPIRED_LEASE_GRACE_SECONDS = 60

/** Statuses of email recipients, always all listed (a missing series reads as "no data", not 0). */
const RECIPIENT_STATUSES = ['pending', 'sending', 'sent', 'delivered', 'failed', 'unknown', 'excluded'] as const

/** Series without an org (unmatched webhook events, rows of a deleted org) carry `org="none"`. */
const NO_ORG = 'none'

const n = (value: null | string | undefined): number => Number(value ?? 0)

const readQueues = async (client: PoolClient) => {
  const jobs = await client.query<{ status: string; n: string }>(
    `SELECT status::text AS status, count(*) AS n FROM email_jobs WHERE status::text = ANY($1::text[]) GROUP BY status`,
    [RUNNING_JOB_STATUSES],
  )
  const payloadJobs = await client.query<{ queue: string; task: string; state: string; n: string }>(
    `SELECT coalesce(queue, 'default') AS queue, coalesce(task_slug::text, 'workflow') AS task,
            CASE WHEN processing THEN 'processing' WHEN has_error THEN 'errored'
                 WHEN wait_until > now() THEN 'waiting' ELSE 'ready' END AS state,
            count(*) AS n
       FROM payload_jobs WHERE completed_at IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  )
  return { jobs: jobs.rows, payloadJobs: payloadJobs.rows }
}

/**
 * Stuck, precisely:
 * - an email job `queued` or `sending` with a recipient whose `sending` lease expired more than
 *   EXPIRED_LEASE_GRACE_SECONDS ago, or whose row has not changed for STUCK_AFTER_MINUTES (every
 *   batch touches it) while it is `queued` or has pending recipients due now (retries waiting for
 *   their backoff are not stuck); a `paused` job is never stuck;
 * - a Payload job `processing` whose row has not changed for STUCK_AFTER_MINUTES.
 */
const readStuck = async (client: PoolClient) => {
  const { rows } = await client.query<{ email_jobs: string; payload_jobs: string }>(
    `SELECT
       (SELECT count(*) FROM email_jobs j
         WHERE j.status IN ('queued', 'sending')
           AND (EXISTS (SELECT 1 FROM email_recipients r
                         WHERE r.job_id = j.id AND r.status = 'sending'
                           AND r.lease_expires_at < now() - make_interval(secs => $2))
                OR (j.updated_at < now() - make_interval(mins => $1)
                    AND (j.status = 'queued'
                         OR EXISTS (SELECT 1 FROM email_recipients r
                                     WHERE r.job_id = j.id AND r.status = 'pending'
                                       AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= now())))))) AS email_jobs,
       (SELECT count(*) FROM payload_jobs
         WHERE processing AND completed_at IS NULL AND updated_at < now() - make_interval(mins => $1)) AS payload_jobs`,
    [STUCK_AFTER_MINUTES, EXPIRED_LEASE_GRACE_SECONDS],
  )
  return rows[0]!
}

/** Adds `value` to the sample with these labels (samples keyed by their label values, in insertion order). */
const add = (samples: Map<string, PrometheusSample>, labels: Record<string, string>, value: number) => {
  const key = JSON.stringify(labels)
  const sample = samples.get(key) ?? { labels, value: 0 }
  sample.value += value
  samples.set(key, sample)
}

const byOrg = (a: PrometheusSample, b: PrometheusSample) =>
  Object.values(a.labels ?? {}).join('\u0000').localeCompare(Object.values(b.labels ?? {}).join('\u0000'), 'en', { numeric: true })

const messageFamilies = (rows: RecipientTotal[], perOrg: boolean): PrometheusFamily[] => {
  const status = new Map<string, PrometheusSample>()
  const samples = () => new Map<string, PrometheusSample>()
  const counters = { queued: samples(), sent: samples(), delivered: samples(), failed: samples(), excluded: samples() }
  const orgs = new Set(rows.map((row) => String(row.org ?? NO_ORG)))
  if (!orgs.size) orgs.add(NO_ORG)
  const scope = (org: string): Record<string, string> => (perOrg ? { channel: 'email', org } : { channel: 'email' })
  // Zero series first, so every org shows every status and counter from its first scrape on.
  for (const org of orgs) {
    for (const s of RECIPIENT_STATUSES) add(status, { ...scope(org), status: s }, 0)
    for (const counter of Object.values(counters)) add(counter, scope(org), 0)
  }
  for (const row of rows) {
    const labels = scope(String(row.org ?? NO_ORG))
    add(status, { ...labels, status: row.status }, row.count)
    add(counters.queued, labels, row.count)
    add(counters.sent, labels, row.sent)
    add(counters.delivered, labels, row.delivered)
    add(counters.failed, labels, row.failed)
    if (row.status === 'excluded') add(counters.excluded, labels, row.count)
  }
  const list = (samples: Map<string, PrometheusSample>) => [...samples.values()].sort(byOrg)
  const counter = (name: string, help: string, samples: Map<string, PrometheusSample>): PrometheusFamily => ({ name, help, type: 'counter', samples: list(samples) })
  return [
    counter('outpost_messages_queued_total', 'Recipient rows written by queueing jobs, excluded addresses included.', counters.queued),
    counter('outpost_messages_sent_total', 'Messages handed to the provider (recipient rows with sent_at set).', counters.sent),
    counter('outpost_messages_delivered_total', 'Messages the provider reported delivered (delivered_at set).', counters.delivered),
    counter(
      'outpost_messages_failed_total',
      'Messages that failed (failed_at set). Retrying an ended job\'s failed recipients clears failed_at, which Prometheus reads as a counter reset.',
      counters.failed,
    ),
    counter('outpost_messages_excluded_total', 'Recipients excluded before sending (suppressed addresses).', counters.excluded),
    {
      name: 'outpost_messages',
      help: 'Recipient rows by current status. Rows move between statuses (pending, sending, sent, delivered, failed), so this is a gauge; use the _total counters for rates.',
      type: 'gauge',
      samples: list(status),
    },
  ]
}

const eventFamilies = (rows: EventTotal[], perOrg: boolean): PrometheusFamily[] => {
  const totals = new Map<string, PrometheusSample>()
  const latency = new Map<string, PrometheusHistogramSeries>()
  for (const row of rows) {
    add(totals, { provider: row.provider, channel: row.channel, type: row.type, ...(perOrg ? { org: String(row.org ?? NO_ORG) } : {}) }, row.count)
    const key = `${row.provider}\u0000${row.channel}`
    const series = latency.get(key) ?? { labels: { provider: row.provider, channel: row.channel }, cumulative: CALLBACK_LATENCY_BUCKETS.map(() => 0), count: 0, sum: 0 }
    row.cumulative.forEach((count, index) => (series.cumulative[index]! += count))
    series.count += row.count
    series.sum += row.sum
    latency.set(key, series)
  }
  return [
    {
      name: 'outpost_webhook_events_total',
      help: 'Provider events received and stored (duplicates excluded), by provider, channel, type and org (none: not matched to a recipient).',
      type: 'counter',
      samples: [...totals.values()].sort(byOrg),
    },
    {
      name: 'outpost_callback_latency_seconds',
      help: 'Seconds from the provider\'s event time to our receipt of the event (received_at - occurred_at; provider times are whole seconds, negatives from clock skew count as 0).',
      type: 'histogram',
      buckets: CALLBACK_LATENCY_BUCKETS,
      series: [...latency.values()].map((series) => ({ ...series, sum: Math.round(series.sum * 1000) / 1000 })),
    },
  ]
}

export type PrometheusScrape = { text: string; durationSeconds: number }

/**
 * Every operator metric in one consistent snapshot (one read-only REPEATABLE READ transaction), across
 * all orgs: no tenant scope here, the endpoint is for operators holding METRICS_TOKEN. Recipients and
 * webhook events are counted incrementally (per-process caches, see readRecipientTotals and
 * readEventTotals), so a scrape costs what changed, not the size of the tables. `perOrg: false` drops
 * the `org` label (fewer series when there are many orgs).
 */
export const collectPrometheusMetrics = async ({ payload, perOrg = true }: { payload: Payload; perOrg?: boolean }): Promise<PrometheusScrape> => {
  const started = performance.now()
  const data = await inTransaction(
    payload,
    async (client) => ({
      recipients: await readRecipientTotals(client, payload.db),
      events: await readEventTotals(client, payload.db),
      queues: await readQueues(client),
      stuck: await readStuck(client),
      rollup: (
        await client.query<{ lag: null | number; since_run: null | number }>(
          `SELECT extract(epoch FROM now() - rolled_until)::float8 AS lag, extract(epoch FROM now() - last_run_at)::float8 AS since_run FROM metric_rollup_state WHERE id = 1`,
        )
      ).rows[0],
    }),
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  )
  const pending = data.recipients.filter((row) => row.status === 'pending').reduce((sum, row) => sum + row.count, 0)
  const families: PrometheusFamily[] = [
    ...messageFamilies(data.recipients, perOrg),
    ...eventFamilies(data.events, perOrg),
    {
      name: 'outpost_job_queue_depth',
      help: 'Email jobs waiting or running, by status (queued, sending, paused).',
      type: 'gauge',
      samples: RUNNING_JOB_STATUSES.map((status) => ({ labels: { status }, value: n(data.queues.jobs.find((row) => row.status === status)?.n) })),
    },
    { name: 'outpost_recipients_pending', help: 'Recipients waiting to be sent (status pending, retries included).', type: 'gauge', samples: [{ labels: { channel: 'email' }, value: pending }] },
    {
      name: 'outpost_payload_jobs',
      help: 'Payload jobs queue rows not completed, by queue, task and state (ready, waiting for wait_until, processing, errored).',
      type: 'gauge',
      samples: data.queues.payloadJobs.map((row) => ({ labels: { queue: row.queue, task: row.task, state: row.state }, value: n(row.n) })),
    },
    {
      name: 'outpost_stuck_jobs',
      help: `Email jobs queued or sending with a lease expired over ${EXPIRED_LEASE_GRACE_SECONDS} s ago or no progress for ${STUCK_AFTER_MINUTES} min while work is due; Payload jobs processing for over ${STUCK_AFTER_MINUTES} min.`,
      type: 'gauge',
      samples: [
        { labels: { kind: 'email_job' }, value: n(data.stuck.email_jobs) },
        { labels: { kind: 'payload_job' }, value: n(data.stuck.payload_jobs) },
      ],
    },
  ]
  // A rollup that stopped (failing task, no worker) leaves the summary computing an ever longer window
  // live: both ages grow. Normally the lag stays under an hour and 5 minutes, the last run under 5 minutes.
  const age = (seconds: null | number | undefined) => (seconds === null || seconds === undefined ? [] : [{ value: Math.round(seconds) }])
  families.push(
    {
      name: 'outpost_metrics_rollup_lag_seconds',
      help: 'Seconds from the end of the last hour rolled up (rolled_until) to now; absent before the first run.',
      type: 'gauge',
      samples: age(data.rollup?.lag),
    },
    {
      name: 'outpost_metrics_rollup_last_run_age_seconds',
      help: 'Seconds since the rollupMetrics task last ran; absent before the first run.',
      type: 'gauge',
      samples: age(data.rollup?.since_run),
    },
  )
  families.push(...requestBoundsFamilies(), ...poolWaitFamilies())
  const durationSeconds = (performance.now() - started) / 1000
  families.push({
    name: 'outpost_metrics_scrape_duration_seconds',
    help: 'Seconds this scrape spent reading the database.',
    type: 'gauge',
    samples: [{ value: Math.round(durationSeconds * 1e6) / 1e6 }],
  })
  return { text: formatPrometheus(families), durationSeconds }
}
