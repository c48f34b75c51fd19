import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { AppError } from '../errors/app-error'

export const DEFAULT_PER_MINUTE = 20
export const DEFAULT_MONTHLY_TOKENS = 1_000_000

type Limits = { perMinuteLimit?: null | number; monthlyTokenLimit?: null | number }

/**
 * Counts one question against the org's limits, atomically in PostgreSQL (every web process shares
 * them): at most `perMinuteLimit` in any sliding minute, and no question once this month's tokens reach
 * `monthlyTokenLimit`. Over either: a 429 whose Retry-After says when asking works again.
 */
export const takeAssistantRequest = async (payload: Payload, org: number, limits: Limits): Promise<void> => {
  const pool = dbPool(payload)
  const perMinute = limits.perMinuteLimit || DEFAULT_PER_MINUTE
  const monthly = limits.monthlyTokenLimit || DEFAULT_MONTHLY_TOKENS
  const { rows: usage } = await pool.query<{ used: string; seconds_left: number }>(
    `SELECT coalesce((SELECT prompt_tokens + completion_tokens FROM assistant_usage WHERE org_id = $1 AND month = date_trunc('month', now() AT TIME ZONE 'UTC')::date), 0)::text AS used,
            ceil(extract(epoch FROM (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month') - (now() AT TIME ZONE 'UTC')))::int AS seconds_left`,
    [org],
  )
  const used = Number(usage[0]?.used ?? 0)
  if (used >= monthly) {
    throw new AppError('RATE_LIMITED', `This organisation has used its ${monthly.toLocaleString('en-GB')} assistant tokens for this month; asking works again on the 1st (UTC), or an admin can raise the limit.`, {
      retryAfterSeconds: usage[0]!.seconds_left,
      limit: 'monthlyTokens',
    })
  }
  // A sliding minute, estimated from this calendar minute's count and the previous one's weighted by
  // how much of it still lies within the last 60 s: a burst straddling a minute boundary is still one
  // burst (a plain per-calendar-minute counter would let twice the limit through at the boundary).
  const { rows } = await pool.query<{ count: number; previous: number; elapsed: string; minute: Date }>(
    `WITH bumped AS (
       INSERT INTO assistant_rate (org_id, minute) VALUES ($1, date_trunc('minute', now()))
       ON CONFLICT (org_id, minute) DO UPDATE SET count = assistant_rate.count + 1
       RETURNING count, minute)
     SELECT bumped.count, bumped.minute,
            coalesce((SELECT count FROM assistant_rate WHERE org_id = $1 AND minute = bumped.minute - interval '1 minute'), 0) AS previous,
            extract(epoch FROM now() - bumped.minute)::text AS elapsed
       FROM bumped`,
    [org],
  )
  const count = Number(rows[0]!.count)
  const previous = Number(rows[0]!.previous)
  const wait = waitForSlidingMinute({ count, previous, elapsed: Number(rows[0]!.elapsed), limit: perMinute })
  if (wait > 0) {
    // A refused question does not count: retrying after Retry-After works.
    await pool.query(`UPDATE assistant_rate SET count = count - 1 WHERE org_id = $1 AND minute = $2 AND count > 0`, [org, rows[0]!.minute])
    throw new AppError('RATE_LIMITED', `At most ${perMinute} assistant questions per minute for this organisation: try again in ${wait} s.`, {
      retryAfterSeconds: wait,
      limit: 'perMinute',
    })
  }
}

/**
 * Seconds until one more question fits a sliding minute (0: it fits now). `count` is this calendar
 * minute's questions including the one asked, `previous` the last minute's, `elapsed` the seconds into
 * this minute. The estimate `previous × (60 − elapsed) / 60 + count` must stay within `limit`.
 */
export const waitForSlidingMinute = ({ count, previous, elapsed, limit }: { count: number; previous: number; elapsed: number; limit: number }): number => {
  const estimate = (previous * (60 - elapsed)) / 60 + count
  if (estimate <= limit) return 0
  // Within this minute: once enough of the previous minute has slid out of the window.
  if (count <= limit && previous > 0) return Math.max(1, Math.ceil(60 - (60 * (limit - count)) / previous - elapsed))
  // This minute alone is full: next minute, this one (less the refused question) weighs in as `previous`.
  const next = count - 1 > 0 ? Math.max(0, 60 - (60 * (limit - 1)) / (count - 1)) : 0
  return Math.max(1, Math.ceil(60 - elapsed + next))
}

/** Adds a model call's tokens and estimated cost to the org's usage of this month (UTC). */
export const recordAssistantUsage = async (payload: Payload, org: number, usage: { promptTokens: number; completionTokens: number; costUSD: number }): Promise<void> => {
  await dbPool(payload).query(
    `INSERT INTO assistant_usage (org_id, month, requests, prompt_tokens, completion_tokens, cost_usd)
     VALUES ($1, date_trunc('month', now() AT TIME ZONE 'UTC')::date, 1, $2, $3, $4)
     ON CONFLICT (org_id, month) DO UPDATE SET requests = assistant_usage.requests + 1,
       prompt_tokens = assistant_usage.prompt_tokens + $2, completion_tokens = assistant_usage.completion_tokens + $3, cost_usd = assistant_usage.cost_usd + $4`,
    [org, usage.promptTokens, usage.completionTokens, usage.costUSD],
  )
}

/** Estimated cost in USD from ASSISTANT_PRICE_PROMPT_PER_1K and ASSISTANT_PRICE_COMPLETION_PER_1K (defaults: gpt-4o-mini's list price). */
export const estimateCostUSD = (promptTokens: number, completionTokens: number, env: Record<string, string | undefined> = process.env): number => {
  const price = (name: string, fallback: number) => {
    const value = Number(env[name])
    return Number.isFinite(value) && value >= 0 && env[name] !== undefined && env[name] !== '' ? value : fallback
  }
  return (promptTokens / 1000) * price('ASSISTANT_PRICE_PROMPT_PER_1K', 0.00015) + (completionTokens / 1000) * price('ASSISTANT_PRICE_COMPLETION_PER_1K', 0.0006)
}
