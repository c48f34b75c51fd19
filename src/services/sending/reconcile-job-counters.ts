import type { Payload } from 'payload'
import { dbPool } from '@/db/pool'

/**
 * Sets every active job's counters to exactly what its recipient rows say, in one statement. The send
 * pipeline keeps them current as it goes; this repairs any drift (a crashed worker, a manual fix).
 * Returns how many jobs were corrected.
 */
export const reconcileJobCounters = async (payload: Payload): Promise<number> => {
  const client = await dbPool(payload).connect()
  try {
    const result = await client.query(
      `UPDATE email_jobs j
          SET total = c.total, pending = c.pending, sent = c.sent, delivered = c.delivered,
              failed = c.failed, excluded = c.excluded, unknown = c.unknown
         FROM (SELECT job_id,
                      count(*)::int AS total,
                      count(*) FILTER (WHERE status IN ('pending', 'sending'))::int AS pending,
                      count(*) FILTER (WHERE status IN ('sent', 'delivered'))::int AS sent,
                      count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
                      count(*) FILTER (WHERE status = 'failed')::int AS failed,
                      count(*) FILTER (WHERE status = 'excluded')::int AS excluded,
                      count(*) FILTER (WHERE status = 'unknown')::int AS unknown
                 FROM email_recipients GROUP BY job_id) c
        WHERE j.id = c.job_id AND j.status IN ('queued', 'sending', 'paused')
          AND (j.total, j.pending, j.sent, j.delivered, j.failed, j.excluded, j.unknown)
              IS DISTINCT FROM (c.total, c.pending, c.sent, c.delivered, c.failed, c.excluded, c.unknown)`,
    )
    return result.rowCount ?? 0
  } finally {
    client.release()
  }
}
