import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

/**
 * Messages are paced 2 % under the configured rate: 1 % covers a group starting up to
 * GROUP_LOOKAHEAD_MS early (10 ms of a one-second window), 1 % a few milliseconds of timing jitter
 * between workers, so neither ever puts one message too many into a one-second or one-minute window.
 */
const JITTER_MARGIN = 1.02
/**
 * Messages due within this many milliseconds start together, so a provider that takes many messages
 * per request (SendGrid) gets them in one request at high rates instead of one request each.
 */
export const GROUP_LOOKAHEAD_MS = 10

/**
 * The spacing between two messages of one provider account: the tighter of its per-second and
 * per-minute rates, spread evenly (0 when neither is set: no pacing).
 */
export const paceIntervalMs = ({ perSecond, perMinute }: { perSecond: null | number; perMinute: null | number }): number =>
  Math.max(perSecond && perSecond > 0 ? 1000 / perSecond : 0, perMinute && perMinute > 0 ? 60_000 / perMinute : 0) * JITTER_MARGIN

/**
 * Reserves start times for `count` messages of one provider account (`key`), spaced `intervalMs`
 * apart, after every time already handed out to any worker: a GCRA schedule kept in one PostgreSQL
 * row, so every worker on every machine shares one even pace and nobody bursts. Returns when the
 * first message may start, in this process's clock; message i starts `i × intervalMs` later. An idle
 * account starts at once; a schedule never runs ahead of now (no credit is saved up for a burst).
 */
export const paceSends = async ({
  payload,
  key,
  intervalMs,
  count,
}: {
  payload: Payload
  key: string
  intervalMs: number
  count: number
}): Promise<{ firstAt: number; intervalMs: number }> => {
  if (intervalMs <= 0 || count <= 0) return { firstAt: Date.now(), intervalMs: 0 }
  const span = (intervalMs * count) / 1000
  const client = await dbPool(payload).connect()
  try {
    const { rows } = await client.query<{ start_in_ms: number }>(
      `INSERT INTO send_pacing AS p (key, next_at) VALUES ($1, now() + make_interval(secs => $2))
       ON CONFLICT (key) DO UPDATE SET next_at = greatest(p.next_at, now()) + make_interval(secs => $2)
       RETURNING (extract(epoch FROM p.next_at - now()) * 1000 - $2 * 1000)::float8 AS start_in_ms`,
      [key, span],
    )
    // The offset is against the database's clock, so workers on machines with skewed clocks agree.
    return { firstAt: Date.now() + Math.max(0, Number(rows[0]!.start_in_ms)), intervalMs }
  } finally {
    client.release()
  }
}
