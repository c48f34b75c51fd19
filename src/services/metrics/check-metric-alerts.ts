import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'
import { inTransaction } from '@/db/transaction'

import { ALERT_ROW_SQL, alertOfRow, type MetricAlertRow } from './list-active-metric-alerts'
import { ALERT_WINDOW_HOURS, type MetricAlertKind, type MetricAlertSettings, metricAlertSettings } from './metric-alert-settings'
import { sendMetricAlertEmail } from './send-metric-alert-email'

type Env = Record<string, string | undefined>

/** One org's email figures over the window. */
export type OrgAlertFigures = { org: number; orgName: string; complaints: number; bounces: number; sent: number; delivered: number }

export type MetricAlertBreach = { org: number; kind: MetricAlertKind; rate: number; threshold: number; numerator: number; denominator: number }

export type MetricAlertRun = { orgs: number; breaches: number; raised: number; emailed: number; emailFailures: number }

/**
 * Per org over [windowStart, windowEnd): spam reports and bounces by the provider's event time
 * (webhook_events' (org_id, occurred_at) index, one range per org), messages sent and delivered by
 * sent_at / delivered_at. Recipients are narrowed by updated_at: every write of sent_at or
 * delivered_at also sets updated_at = now(), which is never earlier than the time written except by
 * the provider's clock skew (delivered_at is the event time), for which an hour of margin is kept.
 */
const readOrgFigures = async (payload: Payload, windowStart: Date, windowEnd: Date): Promise<OrgAlertFigures[]> => {
  const client = await dbPool(payload).connect()
  try {
    const { rows } = await client.query<{ org: number; org_name: string; complaints: string; bounces: string; sent: null | string; delivered: null | string }>(
      `WITH recipients AS (
         SELECT org_id,
                count(*) FILTER (WHERE sent_at >= $1 AND sent_at < $2) AS sent,
                count(*) FILTER (WHERE delivered_at >= $1 AND delivered_at < $2) AS delivered
           FROM email_recipients
          WHERE updated_at >= $1::timestamptz - interval '1 hour' AND org_id IS NOT NULL
          GROUP BY org_id
       )
       SELECT o.id AS org, o.name AS org_name, e.complaints, e.bounces, r.sent, r.delivered
         FROM organizations o
        CROSS JOIN LATERAL (
          SELECT count(*) FILTER (WHERE w.type = 'spamreport') AS complaints, count(*) FILTER (WHERE w.type = 'bounce') AS bounces
            FROM webhook_events w
           WHERE w.org_id = o.id AND w.occurred_at >= $1 AND w.occurred_at < $2 AND w.channel = 'email'
        ) e
         LEFT JOIN recipients r ON r.org_id = o.id
        ORDER BY o.id`,
      [windowStart, windowEnd],
    )
    return rows.map((row) => ({
      org: row.org,
      orgName: row.org_name,
      complaints: Number(row.complaints),
      bounces: Number(row.bounces),
      sent: Number(row.sent ?? 0),
      delivered: Number(row.delivered ?? 0),
    }))
  } finally {
    client.release()
  }
}

/**
 * Complaint rate = spam reports / delivered; bounce rate = bounces / sent. An alert needs the rate
 * strictly above its threshold and at least `minVolume` messages in its denominator.
 */
export const findMetricAlertBreaches = (figures: OrgAlertFigures[], settings: Pick<MetricAlertSettings, 'bounceRate' | 'complaintRate' | 'minVolume'>): MetricAlertBreach[] =>
  figures.flatMap((f) => {
    const candidates = [
      { kind: 'complaint_rate' as const, numerator: f.complaints, denominator: f.delivered, threshold: settings.complaintRate },
      { kind: 'bounce_rate' as const, numerator: f.bounces, denominator: f.sent, threshold: settings.bounceRate },
    ]
    return candidates
      .filter((c) => c.denominator > 0 && c.denominator >= settings.minVolume && c.numerator / c.denominator > c.threshold)
      .map((c) => ({ org: f.org, ...c, rate: c.numerator / c.denominator }))
  })

/**
 * The claim: one row per org, channel and kind in any 24 hours (and at most one per UTC day, which the
 * unique index holds against concurrent runs), so a breach that lasts past midnight is not mailed twice
 * within minutes. A second or concurrent run inserts nothing. Returns the ids it inserted.
 */
const claimAlerts = async (payload: Payload, breaches: MetricAlertBreach[], window: { start: Date; end: Date }): Promise<number[]> => {
  if (!breaches.length) return []
  const client = await dbPool(payload).connect()
  try {
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO metric_alerts (org_id, channel, kind, day, rate, threshold, numerator, denominator, window_start, window_end, raised_at)
       SELECT b.org, 'email', b.kind, ($7::timestamptz AT TIME ZONE 'UTC')::date, b.rate, b.threshold, b.numerator, b.denominator, $6, $7, $7
         FROM unnest($1::int[], $2::text[], $3::float8[], $4::float8[], $5::int[], $8::int[]) AS b(org, kind, rate, threshold, numerator, denominator)
        WHERE NOT EXISTS (SELECT 1 FROM metric_alerts m
                           WHERE m.org_id = b.org AND m.channel = 'email' AND m.kind = b.kind AND m.raised_at > $7::timestamptz - interval '24 hours')
       ON CONFLICT (org_id, channel, kind, day) DO NOTHING
       RETURNING id`,
      [
        breaches.map((b) => b.org),
        breaches.map((b) => b.kind),
        breaches.map((b) => b.rate),
        breaches.map((b) => b.threshold),
        breaches.map((b) => b.numerator),
        window.start,
        window.end,
        breaches.map((b) => b.denominator),
      ],
    )
    return rows.map((row) => row.id)
  } finally {
    client.release()
  }
}

/**
 * Emails every alert raised since `since` that has not gone out yet (new ones, and ones whose email
 * failed before), one at a time: the row stays locked (SKIP LOCKED) while its email is sent, so two
 * concurrent runs never send the same alert twice.
 */
const emailPendingAlerts = async ({ payload, since, to, env }: { payload: Payload; since: Date; to: string[]; env: Env }) => {
  let emailed = 0
  let emailFailures = 0
  let after = 0
  for (;;) {
    const done = await inTransaction(payload, async (client) => {
      const { rows } = await client.query<MetricAlertRow>(
        `SELECT ${ALERT_ROW_SQL}
          WHERE a.emailed_at IS NULL AND a.raised_at >= $1 AND a.id > $2
          ORDER BY a.id LIMIT 1
          FOR UPDATE OF a SKIP LOCKED`,
        [since, after],
      )
      const row = rows[0]
      if (!row) return null
      try {
        await sendMetricAlertEmail({ payload, alert: alertOfRow(row), to, env })
        await client.query('UPDATE metric_alerts SET emailed_at = now(), email_error = NULL WHERE id = $1', [row.id])
        emailed += 1
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        await client.query('UPDATE metric_alerts SET email_error = $2 WHERE id = $1', [row.id, message.slice(0, 1000)])
        payload.logger.error({ alert: row.id, org: row.org_id, kind: row.kind, err: message }, 'Metric alert email failed; it is retried on the next run.')
        emailFailures += 1
      }
      return row.id
    })
    if (done === null) break
    after = done
  }
  return { emailed, emailFailures }
}

/**
 * The scheduled check (every 10 minutes): for each org, the complaint and bounce rates of its email
 * over the last 24 hours; a rate over its threshold records an alert (at most one per org and kind in
 * any 24 hours, whatever runs concurrently) and emails ALERTS_EMAIL_TO once. A failed email stays pending
 * and is retried on the next run, never as a second alert. Without ALERTS_EMAIL_TO the alert is
 * recorded (the dashboard shows it) and logged once.
 */
export const checkMetricAlerts = async ({ payload, now = new Date(), env = process.env }: { payload: Payload; now?: Date; env?: Env }): Promise<MetricAlertRun> => {
  const settings = metricAlertSettings(env)
  for (const problem of settings.problems) payload.logger.warn(problem)
  const window = { start: new Date(now.getTime() - ALERT_WINDOW_HOURS * 3_600_000), end: now }
  const figures = await readOrgFigures(payload, window.start, window.end)
  const breaches = findMetricAlertBreaches(figures, settings)
  const raised = await claimAlerts(payload, breaches, window)
  if (!settings.recipients.length) {
    if (raised.length) {
      const client = await dbPool(payload).connect()
      try {
        await client.query(`UPDATE metric_alerts SET email_error = 'not emailed: ALERTS_EMAIL_TO is not set' WHERE id = ANY($1::int[])`, [raised])
      } finally {
        client.release()
      }
      payload.logger.warn({ alerts: raised }, 'Metric alert recorded but not emailed: ALERTS_EMAIL_TO is not set.')
    }
    return { orgs: figures.length, breaches: breaches.length, raised: raised.length, emailed: 0, emailFailures: 0 }
  }
  const sent = await emailPendingAlerts({ payload, since: window.start, to: settings.recipients, env })
  return { orgs: figures.length, breaches: breaches.length, raised: raised.length, ...sent }
}
