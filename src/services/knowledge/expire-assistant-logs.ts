import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { envNumber } from '../config/server-env'

/** How long assistant log entries are kept (ASSISTANT_LOG_RETENTION_DAYS, default 90). */
export const assistantLogRetentionDays = (env: Record<string, string | undefined> = process.env): number =>
  envNumber('ASSISTANT_LOG_RETENTION_DAYS', 90, { min: 1, env })

/**
 * Removes assistant log entries older than the retention period, a batch at a time (the log is
 * append-only for everyone else: this is its only delete), and minute counters no longer needed.
 */
export const expireAssistantLogs = async ({ payload, days = assistantLogRetentionDays(), batch = 5000 }: { payload: Payload; days?: number; batch?: number }): Promise<number> => {
  const pool = dbPool(payload)
  let removed = 0
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM assistant_logs WHERE id IN (SELECT id FROM assistant_logs WHERE created_at < now() - make_interval(days => $1) ORDER BY id LIMIT $2)`,
      [days, batch],
    )
    removed += rowCount ?? 0
    if ((rowCount ?? 0) < batch) break
  }
  await pool.query(`DELETE FROM assistant_rate WHERE minute < now() - interval '10 minutes'`)
  return removed
}
