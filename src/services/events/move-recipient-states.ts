import type { PoolClient } from 'pg'

import { FINISHED_JOB_STATUSES_SQL, finishedJobStatusSQL, JOB_COUNTER_STATUSES, type JobCounter } from '../sending/job-counters'

/** The counters an event can move (an event never creates or excludes a row). */
const MOVED_COUNTERS = ['pending', 'sent', 'delivered', 'failed', 'unknown'] as const satisfies readonly JobCounter[]

/** What one provider event says of one recipient. */
export type MoveTarget = {
  recipient: number
  status: 'delivered' | 'failed' | 'sent'
  error: null | string
  code: null | string
  at: Date
  /** When it was delivered, if the event says so (a complaint implies a delivery). */
  deliveredAt: Date | null
}

export type Move = { id: number; job_id: number; old: string; new: string }

/**
 * Moves recipients to what a provider event says of them, forwards only (sent < delivered < failed; a
 * pending, sending or unknown row is behind all three), locking them in id order. A late delivery of a
 * failed message only fills in its delivery time. Returns the rows whose status changed.
 */
export const moveRecipients = async (client: PoolClient, targets: MoveTarget[]): Promise<Move[]> => {
  if (!targets.length) return []
  const { rows } = await client.query<Move>(
    `WITH b AS (
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[]) AS t(rid, target, error, code, at, delivered_at)
     ), cur AS (
       SELECT r.id, r.status::text AS old, r.delivered_at IS NULL AS undelivered FROM email_recipients r JOIN b ON b.rid = r.id ORDER BY r.id FOR NO KEY UPDATE OF r
     ), step AS (
       SELECT b.*, c.old, c.undelivered,
              (CASE b.target WHEN 'failed' THEN 3 WHEN 'delivered' THEN 2 ELSE 1 END) > (CASE c.old WHEN 'failed' THEN 3 WHEN 'delivered' THEN 2 WHEN 'sent' THEN 1 ELSE 0 END) AS moves
         FROM b JOIN cur c ON c.id = b.rid
        WHERE c.old <> 'excluded'
     )
     UPDATE email_recipients r
        SET status = CASE WHEN s.moves THEN s.target::enum_email_recipients_status ELSE r.status END,
            sent_at = coalesce(r.sent_at, s.delivered_at, s.at),
            delivered_at = coalesce(r.delivered_at, s.delivered_at),
            failed_at = CASE WHEN s.moves AND s.target = 'failed' THEN s.at ELSE r.failed_at END,
            last_error = CASE WHEN s.moves AND s.target = 'failed' THEN s.error ELSE r.last_error END,
            provider_code = CASE WHEN s.moves AND s.target = 'failed' THEN s.code ELSE r.provider_code END,
            lease_expires_at = CASE WHEN s.moves THEN NULL ELSE r.lease_expires_at END,
            next_attempt_at = CASE WHEN s.moves THEN NULL ELSE r.next_attempt_at END,
            updated_at = now()
       FROM step s
      WHERE r.id = s.rid AND (s.moves OR (s.undelivered AND s.delivered_at IS NOT NULL))
      RETURNING r.id, r.job_id, s.old, r.status::text AS new`,
    [
      targets.map((t) => t.recipient),
      targets.map((t) => t.status),
      targets.map((t) => t.error),
      targets.map((t) => t.code),
      targets.map((t) => t.at),
      targets.map((t) => t.deliveredAt),
    ],
  )
  // A late delivery of a failed message only fills in its delivery time: not a move.
  return rows.filter((row) => row.old !== row.new)
}

/** Moves each job's counters by exactly the recipients' transitions; a finished job's status follows its counts. */
export const moveJobCounters = async (client: PoolClient, moves: Move[]): Promise<void> => {
  const deltas = new Map<number, Record<(typeof MOVED_COUNTERS)[number], number>>()
  for (const move of moves) {
    const delta = deltas.get(move.job_id) ?? { pending: 0, sent: 0, delivered: 0, failed: 0, unknown: 0 }
    for (const counter of MOVED_COUNTERS) {
      const statuses: readonly string[] = JOB_COUNTER_STATUSES[counter]
      delta[counter] += Number(statuses.includes(move.new)) - Number(statuses.includes(move.old))
    }
    deltas.set(move.job_id, delta)
  }
  if (!deltas.size) return
  const jobs = [...deltas.keys()].sort((a, b) => a - b)
  // Locked in id order, after the recipients (the send pipeline's order too): concurrent posts cannot deadlock.
  await client.query('SELECT 1 FROM email_jobs WHERE id = ANY($1::int[]) ORDER BY id FOR NO KEY UPDATE', [jobs])
  const column = (counter: (typeof MOVED_COUNTERS)[number]) => jobs.map((job) => deltas.get(job)![counter])
  await client.query(
    `UPDATE email_jobs j
        SET pending = j.pending + d.pending, sent = j.sent + d.sent, delivered = j.delivered + d.delivered,
            failed = j.failed + d.failed, unknown = j.unknown + d.unknown,
            status = CASE WHEN j.status IN (${FINISHED_JOB_STATUSES_SQL})
                          THEN ${finishedJobStatusSQL({ sent: 'j.sent + d.sent', failed: 'j.failed + d.failed', unknown: 'j.unknown + d.unknown' })}
                          ELSE j.status END,
            updated_at = now()
       FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[]) AS d(id, pending, sent, delivered, failed, unknown)
      WHERE j.id = d.id`,
    [jobs, column('pending'), column('sent'), column('delivered'), column('failed'), column('unknown')],
  )
}

