import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { ALERT_WINDOW_HOURS, type MetricAlertKind } from './metric-alert-settings'

/** One alert as the summary endpoint and the dashboard banner show it (times as ISO strings). */
export type ActiveMetricAlert = {
  org: number
  orgName: string
  kind: MetricAlertKind
  rate: number
  threshold: number
  numerator: number
  denominator: number
  windowStart: string
  windowEnd: string
  raisedAt: string
}

/** A `metric_alerts` row as read with its org's name (`ALERT_ROW_SQL`), and the alert it describes. */
export type MetricAlertRow = {
  id: number
  org_id: number
  org_name: string
  kind: MetricAlertKind
  rate: number
  threshold: number
  numerator: number
  denominator: number
  window_start: Date
  window_end: Date
  raised_at: Date
}

/** Select list and join for `MetricAlertRow` (alias `a` for metric_alerts). */
export const ALERT_ROW_SQL = `a.id, a.org_id, o.name AS org_name, a.kind, a.rate, a.threshold, a.numerator, a.denominator, a.window_start, a.window_end, a.raised_at
  FROM metric_alerts a JOIN organizations o ON o.id = a.org_id`

export const alertOfRow = (row: MetricAlertRow) => ({
  org: row.org_id,
  orgName: row.org_name,
  kind: row.kind,
  rate: row.rate,
  threshold: row.threshold,
  numerator: row.numerator,
  denominator: row.denominator,
  windowStart: row.window_start,
  windowEnd: row.window_end,
})

/**
 * Alerts raised since `since` (default: the last 24 hours), newest first, for the given orgs. No access
 * check here: the caller passes the orgs the user may read (`'all'` only for a super admin).
 */
export const listActiveMetricAlerts = async ({ payload, orgIDs, since }: { payload: Payload; orgIDs: number[] | 'all'; since?: Date }): Promise<ActiveMetricAlert[]> => {
  if (Array.isArray(orgIDs) && !orgIDs.length) return []
  const from = since ?? new Date(Date.now() - ALERT_WINDOW_HOURS * 3_600_000)
  const client = await dbPool(payload).connect()
  try {
    const { rows } = await client.query<MetricAlertRow>(
      `SELECT ${ALERT_ROW_SQL}
        WHERE a.raised_at >= $1 AND ($2::int[] IS NULL OR a.org_id = ANY($2::int[]))
        ORDER BY a.raised_at DESC, a.id DESC`,
      [from, orgIDs === 'all' ? null : orgIDs],
    )
    return rows.map((row) => ({
      ...alertOfRow(row),
      windowStart: row.window_start.toISOString(),
      windowEnd: row.window_end.toISOString(),
      raisedAt: row.raised_at.toISOString(),
    }))
  } finally {
    client.release()
  }
}
