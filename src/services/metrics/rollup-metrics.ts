import type { Payload } from 'payload'
import type { PoolClient } from 'pg'

import { inTransaction } from '@/db/transaction'

import { failureReasonFactsSql, latencyFactsSql, metricFactsSql } from './metric-facts-sql'

const HOUR = 3_600_000
/** Rows written by transactions still open when the last run looked are picked up by the next one. */
export const ROLLUP_OVERLAP_SECONDS = 300
export const ROLLUP_LOCK = 'outpost:rollup-metrics'

export type RollupReport = {
  /** Another run held the lock: this one did nothing. */
  skipped: boolean
  /** Hours recomputed (newly closed plus dirty). */
  hours: number
  rolledUntil: string | null
}

type Window = { s: Date; e: Date }

const floorHour = (date: Date) => new Date(Math.floor(date.getTime() / HOUR) * HOUR)

/** Contiguous windows from a sorted list of hour starts. */
const windowsOf = (hours: Date[]): Window[] => {
  const windows: Window[] = []
  for (const hour of [...hours].sort((a, b) => a.getTime() - b.getTime())) {
    const last = windows[windows.length - 1]
    if (last && last.e.getTime() === hour.getTime()) last.e = new Date(hour.getTime() + HOUR)
    else if (!last || last.e.getTime() < hour.getTime()) windows.push({ s: hour, e: new Date(hour.getTime() + HOUR) })
  }
  return windows
}

/** The first hour any metric has data for (null: no data at all). */
const firstDataHour = async (client: PoolClient): Promise<Date | null> => {
  const { rows } = await client.query<{ first: Date | null }>(
    `SELECT date_trunc('hour', least(
              (SELECT min(created_at) FROM email_recipients), (SELECT min(sent_at) FROM email_recipients),
              (SELECT min(delivered_at) FROM email_recipients), (SELECT min(failed_at) FROM email_recipients),
              (SELECT min(occurred_at) FROM webhook_events WHERE org_id IS NOT NULL),
              (SELECT min(created_at) FROM suppressions WHERE org_id IS NOT NULL AND reason = 'unsubscribe'))) AS first`,
  )
  return rows[0]?.first ?? null
}

/**
 * Hours before `before` whose figures may have changed since `since`: for recipients updated since, the
 * hours of their sent, delivered and failed times, and of their queueing when they are new or excluded
 * (a delivery does not change the queued count of its queueing hour); the hours of webhook events received
 * since, and for an open or click that is earlier than the recipient's first one seen before, that first
 * one's hour (its unique count moves); the hours of suppressions changed since, whatever they are now (an
 * unsubscribe edited into another reason or moved to the global list must leave the count); and every hour
 * of a job whose rolled-up failures no longer match its failed rows of that hour (a retry clears `failed_at`).
 */
const dirtyHours = async (client: PoolClient, since: Date, before: Date): Promise<Date[]> => {
  const { rows } = await client.query<{ hour: Date }>(
    `WITH touched AS (
       SELECT job_id, status, created_at, sent_at, delivered_at, failed_at FROM email_recipients WHERE updated_at >= $1
     ), touched_jobs AS (
       SELECT DISTINCT job_id FROM touched WHERE job_id IS NOT NULL
     ), rolled_failed AS (
       SELECT m.job_id, m.hour, sum(m.failed) AS n FROM metric_rollups m JOIN touched_jobs t ON t.job_id = m.job_id
        WHERE m.hour < $2 AND m.failed > 0 GROUP BY m.job_id, m.hour
     ), actual_failed AS (
       SELECT r.job_id, date_trunc('hour', r.failed_at) AS hour, count(*) AS n FROM email_recipients r JOIN touched_jobs t ON t.job_id = r.job_id
        WHERE r.status = 'failed' AND r.failed_at < $2 GROUP BY r.job_id, date_trunc('hour', r.failed_at)
     ), arrived AS (
       SELECT id, recipient_id, type, occurred_at FROM webhook_events WHERE received_at >= $1 AND org_id IS NOT NULL
     )
     SELECT DISTINCT hour FROM (
       SELECT date_trunc('hour', x) AS hour FROM touched, LATERAL (VALUES (sent_at), (delivered_at), (failed_at)) AS v(x) WHERE x IS NOT NULL
       UNION ALL SELECT date_trunc('hour', created_at) FROM touched WHERE created_at >= $1 OR status = 'excluded'
       UNION ALL SELECT date_trunc('hour', occurred_at) FROM arrived
       UNION ALL SELECT date_trunc('hour', f.first) FROM arrived a
                   CROSS JOIN LATERAL (SELECT min(p.occurred_at) AS first FROM webhook_events p
                                        WHERE p.recipient_id = a.recipient_id AND p.type = a.type AND p.received_at < $1) f
                  WHERE a.type IN ('open', 'click') AND a.recipient_id IS NOT NULL AND f.first >= a.occurred_at
       UNION ALL SELECT date_trunc('hour', created_at) FROM suppressions WHERE updated_at >= $1
       UNION ALL SELECT coalesce(f.hour, a.hour) FROM rolled_failed f FULL JOIN actual_failed a ON a.job_id = f.job_id AND a.hour = f.hour
                  WHERE coalesce(f.n, 0) <> coalesce(a.n, 0)
     ) hours
     WHERE hour < $2`,
    [since, before],
  )
  return rows.map((row) => row.hour)
}

/** Replaces the rollup rows of each window, one window at a time (plain bounds: the planner sees each range). */
const replaceWindows = async (client: PoolClient, windows: Window[]): Promise<void> => {
  const orgs = 'ARRAY(SELECT id FROM organizations)'
  const w = { from: '$1::timestamptz', to: '$2::timestamptz' }
  for (const { s, e } of windows) {
    for (const table of ['metric_rollups', 'metric_rollup_reasons', 'metric_rollup_latency']) {
      await client.query(`DELETE FROM ${table} WHERE hour >= $1 AND hour < $2`, [s, e])
    }
    await client.query(
      `INSERT INTO metric_rollups (org_id, channel, hour, job_id, queued, sent, delivered, failed, excluded, unsubscribed, complaints, bounces, opens, clicks, unique_opens, unique_clicks)
       ${metricFactsSql(orgs, w)}`,
      [s, e],
    )
    await client.query(`INSERT INTO metric_rollup_reasons (org_id, channel, hour, code, count) ${failureReasonFactsSql(orgs, w)}`, [s, e])
    await client.query(`INSERT INTO metric_rollup_latency (org_id, channel, hour, bucket, count) ${latencyFactsSql(orgs, w)}`, [s, e])
  }
}

/**
 * Brings the hourly rollups up to date: recomputes the hours closed since `rolled_until` (the first run:
 * every hour since the first data) and the older "dirty" hours (changes seen since the last run's scan,
 * less a 5-minute overlap for transactions that were still open then), replacing their rows in one
 * transaction. `pg_try_advisory_xact_lock` keeps two runs from overlapping (Payload's queue may start a
 * task twice): the second returns `skipped` at once. Late data for a rolled-up hour shows after the next
 * run; the summary computes hours from `rolled_until` on live, so the current hour is always complete.
 * Deleted recipients or events are not noticed (nothing deletes them today).
 */
export const rollupMetrics = async ({ payload, now = new Date() }: { payload: Payload; now?: Date }): Promise<RollupReport> => {
  const started = performance.now()
  return inTransaction(payload, async (client) => {
    const { rows: lock } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [ROLLUP_LOCK])
    if (!lock[0]?.locked) return { skipped: true, hours: 0, rolledUntil: null }
    await client.query(`SET LOCAL TimeZone = 'UTC'`)
    await client.query('INSERT INTO metric_rollup_state (id) VALUES (1) ON CONFLICT (id) DO NOTHING')
    const { rows: state } = await client.query<{ rolled_until: Date | null; scanned_at: Date | null; now: Date }>(
      'SELECT rolled_until, scanned_at, now() AS now FROM metric_rollup_state WHERE id = 1 FOR UPDATE',
    )
    const { rolled_until: rolledUntil, scanned_at: scannedAt, now: scanStart } = state[0]!
    const closed = floorHour(now)
    // The first run starts at the first data (never after now: data stamped in the future waits for its hour).
    const first = rolledUntil ? null : await firstDataHour(client)
    const start = rolledUntil ?? new Date(Math.min((first ?? closed).getTime(), closed.getTime()))
    const until = new Date(Math.max(start.getTime(), closed.getTime()))

    const hours: Date[] = []
    for (let t = start.getTime(); t < until.getTime(); t += HOUR) hours.push(new Date(t))
    if (scannedAt) hours.push(...(await dirtyHours(client, new Date(scannedAt.getTime() - ROLLUP_OVERLAP_SECONDS * 1000), start)))
    const windows = windowsOf(hours)
    if (windows.length) await replaceWindows(client, windows)
    const hourCount = windows.reduce((sum, w) => sum + (w.e.getTime() - w.s.getTime()) / HOUR, 0)
    await client.query(
      `UPDATE metric_rollup_state SET rolled_until = $1, scanned_at = $2, last_run_at = clock_timestamp(), last_run_hours = $3, last_run_ms = $4 WHERE id = 1`,
      [until, scanStart, hourCount, Math.round(performance.now() - started)],
    )
    return { skipped: false, hours: hourCount, rolledUntil: until.toISOString() }
  })
}
