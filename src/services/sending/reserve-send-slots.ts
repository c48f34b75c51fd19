import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

export const RATE_WINDOW_SECONDS = 60

/**
 * Reserves up to `wanted` sends for `key` (e.g. `org:12:email`) under `limit` per rolling 60 seconds,
 * shared by every worker through PostgreSQL. An advisory transaction lock per key serialises the
 * count-and-insert, so no 60-second window ever holds more than `limit` reservations. Returns how many
 * were granted (0 when the window is full) and, if fewer than wanted, when the next slot frees up.
 * Channel-neutral: SMS and other outbound work use their own keys.
 */
export const reserveSendSlots = async ({
  payload,
  key,
  limit,
  wanted,
}: {
  payload: Payload
  key: string
  limit: number
  wanted: number
}): Promise<{ granted: number; retryAfterMs: number }> => {
  if (wanted <= 0) return { granted: 0, retryAfterMs: 0 }
  const client = await dbPool(payload).connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`send-rate:${key}`])
    const { rows } = await client.query<{ used: number; oldest: Date | null }>(
      `SELECT coalesce(sum(slots), 0)::int AS used, min(taken_at) AS oldest FROM send_rate_slots
        WHERE key = $1 AND taken_at > now() - make_interval(secs => $2)`,
      [key, RATE_WINDOW_SECONDS],
    )
    const { used, oldest } = rows[0]!
    const granted = Math.max(0, Math.min(wanted, limit - used))
    if (granted > 0) {
      await client.query('INSERT INTO send_rate_slots (key, taken_at, slots) VALUES ($1, now(), $2)', [key, granted])
    }
    // Old entries are no longer needed by any window.
    await client.query('DELETE FROM send_rate_slots WHERE key = $1 AND taken_at < now() - make_interval(secs => $2)', [key, RATE_WINDOW_SECONDS * 2])
    await client.query('COMMIT')
    const retryAfterMs =
      granted < wanted && oldest ? Math.max(0, oldest.getTime() + RATE_WINDOW_SECONDS * 1000 - Date.now()) : 0
    return { granted, retryAfterMs }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
