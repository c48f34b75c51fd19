import type { PoolClient } from 'pg'

/** Email recipient rows of one org and status, with how many have each timestamp set. */
export type RecipientTotal = { org: null | number; status: string; count: number; sent: number; delivered: number; failed: number }

type JobRow = RecipientTotal & { job: number }

/**
 * Every write to a recipient sets updated_at = now() (its transaction's start). A scrape re-reads the
 * jobs with rows updated since the previous scrape's start minus this overlap, which covers
 * transactions that were still open then (the send pipeline's and the webhook's last seconds).
 */
export const RECIPIENT_OVERLAP_SECONDS = 60
/** A full recount this often heals what the overlap cannot see: a longer transaction, a deleted row or org. */
export const RECIPIENT_REBUILD_MINUTES = 60

type Cache = { scannedFrom: Date; builtAt: Date; jobs: Map<number, JobRow[]> }

const caches = new WeakMap<object, Cache>()

const SELECT_BY_JOB = `SELECT job_id AS job, org_id AS org, status::text AS status, count(*) AS count,
                              count(sent_at) AS sent, count(delivered_at) AS delivered, count(failed_at) AS failed
                         FROM email_recipients`

type Raw = { job: number; org: null | number; status: string; count: string; sent: string; delivered: string; failed: string }

const groupByJob = (rows: Raw[], into = new Map<number, JobRow[]>()) => {
  for (const row of rows) {
    const list = into.get(row.job) ?? []
    list.push({ job: row.job, org: row.org, status: row.status, count: Number(row.count), sent: Number(row.sent), delivered: Number(row.delivered), failed: Number(row.failed) })
    into.set(row.job, list)
  }
  return into
}

/**
 * Recipient rows by org and status. Counting a million rows on every scrape is too slow, so each
 * process keeps the counts per job and each scrape recounts only the jobs whose rows changed since the
 * previous one (found through the updated_at index); the first scrape, and one an hour, count all.
 * `client` must be inside the scrape's snapshot; `cacheKey` identifies the database.
 */
export const readRecipientTotals = async (client: PoolClient, cacheKey: object): Promise<RecipientTotal[]> => {
  const { rows: clock } = await client.query<{ now: Date }>('SELECT now() AS now')
  const now = clock[0]!.now
  const cached = caches.get(cacheKey)
  let next: Cache
  if (!cached || now.getTime() - cached.builtAt.getTime() > RECIPIENT_REBUILD_MINUTES * 60_000) {
    const { rows } = await client.query<Raw>(`${SELECT_BY_JOB} GROUP BY job_id, org_id, status`)
    next = { scannedFrom: now, builtAt: now, jobs: groupByJob(rows) }
  } else {
    const since = new Date(cached.scannedFrom.getTime() - RECIPIENT_OVERLAP_SECONDS * 1000)
    const { rows: dirty } = await client.query<{ job: number }>('SELECT DISTINCT job_id AS job FROM email_recipients WHERE updated_at >= $1', [since])
    const jobs = new Map(cached.jobs)
    const ids = dirty.map((row) => row.job)
    for (const id of ids) jobs.delete(id)
    if (ids.length) groupByJob((await client.query<Raw>(`${SELECT_BY_JOB} WHERE job_id = ANY($1::int[]) GROUP BY job_id, org_id, status`, [ids])).rows, jobs)
    next = { scannedFrom: now, builtAt: cached.builtAt, jobs }
  }
  // Keep the newer state only if no concurrent scrape of this process replaced the cache meanwhile.
  if (caches.get(cacheKey) === cached) caches.set(cacheKey, next)
  const totals = new Map<string, RecipientTotal>()
  for (const rows of next.jobs.values()) {
    for (const row of rows) {
      const key = `${row.org ?? ''}\u0000${row.status}`
      const total = totals.get(key) ?? { org: row.org, status: row.status, count: 0, sent: 0, delivered: 0, failed: 0 }
      total.count += row.count
      total.sent += row.sent
      total.delivered += row.delivered
      total.failed += row.failed
      totals.set(key, total)
    }
  }
  return [...totals.values()]
}
