import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { jobCountersSelectSQL } from './job-counters'

/**
 * Sets every active job's counters to exactly what its recipient rows say. The send pipeline keeps
 * them current as it goes; this repairs any drift (a manual fix in the database). Each job is locked
 * before its rows are counted: an outcome write committed meanwhile is then either counted or waits
 * for the lock and adds its change on top, never overwritten by a stale count. Returns how many jobs
 * were corrected.
 */
export const reconcileJobCounters = async (payload: Payload): Promise<number> => {
  const client = await dbPool(payload).connect()
  let corrected = 0
  try {
    const { rows: jobs } = await client.query<{ id: number }>(`SELECT id FROM email_jobs WHERE status IN ('queued', 'sending', 'paused')`)
    for (const { id } of jobs) {
      await client.query('BEGIN')
      try {
        await client.query('SELECT 1 FROM email_jobs WHERE id = $1 FOR NO KEY UPDATE', [id])
        const result = await client.query(
          `UPDATE email_jobs j
              SET total = c.total, pending = c.pending, sent = c.sent, delivered = c.delivered,
                  failed = c.failed, excluded = c.excluded, unknown = c.unknown
             FROM (SELECT ${jobCountersSelectSQL()} FROM email_recipients WHERE job_id = $1) c
            WHERE j.id = $1
              AND (j.total, j.pending, j.sent, j.delivered, j.failed, j.excluded, j.unknown)
                  IS DISTINCT FROM (c.total, c.pending, c.sent, c.delivered, c.failed, c.excluded, c.unknown)`,
          [id],
        )
        await client.query('COMMIT')
        corrected += result.rowCount ?? 0
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      }
    }
    return corrected
  } finally {
    client.release()
  }
}
