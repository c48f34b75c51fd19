import type { PoolClient } from 'pg'

/** Upper bounds (seconds) of the callback latency histogram; +Inf is added by the format. */
export const CALLBACK_LATENCY_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] as const

/**
 * Events received this long ago are settled: their rows were committed long since (a webhook post
 * stores its events in one short transaction right after receiving them), and no row with a lower id
 * can still appear, because ids are handed out in order at insert time.
 */
export const SETTLED_AFTER_MINUTES = 10

/** Webhook events of one provider, channel, type and org (null: not matched to a recipient). */
export type EventTotal = { provider: string; channel: string; type: string; org: null | number; count: number; sum: number; cumulative: number[] }

type Totals = Map<string, EventTotal>
type Cache = { upTo: number; totals: Totals }

/** Per database pool: totals of every event with id ≤ upTo. Events are never updated, so they only grow. */
const caches = new WeakMap<object, Cache>()

const keyOf = (t: Pick<EventTotal, 'channel' | 'org' | 'provider' | 'type'>) => `${t.provider}\u0000${t.channel}\u0000${t.type}\u0000${t.org ?? ''}`

const addInto = (totals: Totals, row: EventTotal) => {
  const key = keyOf(row)
  const current = totals.get(key)
  if (!current) {
    totals.set(key, { ...row, cumulative: [...row.cumulative] })
    return
  }
  current.count += row.count
  current.sum += row.sum
  row.cumulative.forEach((count, index) => (current.cumulative[index]! += count))
}

type TailRow = { provider: string; channel: string; type: string; org: null | number; settled: boolean; n: string; sum: number; le: string[] }

/**
 * Totals of all webhook events by provider, channel, type and org, with the callback latency
 * (received_at − occurred_at, negatives from clock skew as 0) folded into the histogram buckets.
 * Scanning millions of events on every scrape is too slow, so each process keeps the totals of the
 * settled events (by id) and each scrape reads only the events after them, through the primary key;
 * the first scrape of a process reads the whole table once. `client` must be inside the scrape's
 * snapshot; `cacheKey` identifies the database (the pool).
 */
export const readEventTotals = async (client: PoolClient, cacheKey: object): Promise<EventTotal[]> => {
  const cache = caches.get(cacheKey) ?? { upTo: 0, totals: new Map() }
  const startedFrom = cache.upTo
  // This scrape's answer: the cache as it is now plus every event after it (a concurrent scrape may move the cache meanwhile).
  const result: Totals = new Map()
  for (const total of cache.totals.values()) addInto(result, total)
  const settled = await client.query<{ id: null | number }>(
    `SELECT max(id) AS id FROM webhook_events WHERE id > $1 AND received_at < now() - make_interval(mins => $2)`,
    [startedFrom, SETTLED_AFTER_MINUTES],
  )
  const settledUpTo = settled.rows[0]?.id ?? startedFrom
  const filters = CALLBACK_LATENCY_BUCKETS.map((le) => `count(*) FILTER (WHERE s <= ${le})`).join(', ')
  const { rows } = await client.query<TailRow>(
    `SELECT provider::text AS provider, channel::text AS channel, type::text AS type, org_id AS org, settled,
            count(*) AS n, coalesce(sum(s), 0)::float8 AS sum, ARRAY[${filters}]::text[] AS le
       FROM (SELECT provider, channel, type, org_id, id <= $2 AS settled,
                    greatest(0, date_part('epoch', received_at - occurred_at)) AS s
               FROM webhook_events WHERE id > $1) e
      GROUP BY provider, channel, type, org_id, settled`,
    [startedFrom, settledUpTo],
  )
  const tail = rows.map((row) => ({
    settled: row.settled,
    total: { provider: row.provider, channel: row.channel, type: row.type, org: row.org, count: Number(row.n), sum: row.sum, cumulative: row.le.map(Number) },
  }))
  for (const { total } of tail) addInto(result, total)
  // Fold the settled ones into the cache, unless a concurrent scrape of this process already moved it on.
  if (cache.upTo === startedFrom && settledUpTo > startedFrom) {
    for (const { settled: isSettled, total } of tail) if (isSettled) addInto(cache.totals, total)
    cache.upTo = settledUpTo
    caches.set(cacheKey, cache)
  }
  return [...result.values()]
}
