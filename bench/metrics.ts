/**
 * npm run bench:metrics — GET /api/metrics/summary over N recipient rows (default 1,000,000; BENCH_SIZE)
 * and 3N webhook events spread over the last 60 days, for 3 orgs with 10 jobs each (2 templates per
 * org), seeded with generate_series SQL: ~5 % failed (four provider codes), 2 % excluded, opens,
 * clicks, complaints, callback latencies mostly under 30 s with a tail to 16 minutes. The rollup runs
 * once (timed), then the summary of the whole range by day (all orgs, as the super admin) is timed over
 * real HTTP (bench/lib/payload-http.ts), warm, median of BENCH_RUNS (default 7). Baseline in the same
 * run: the same aggregates (per-day figures, failure reasons, exact latency percentiles) straight from
 * the base tables in one SQL statement, median of BENCH_RAW_RUNS (default 3). The totals of both must
 * agree. Database: a fresh one on BENCH_DATABASE_URL's (or TEST_DATABASE_URL's) server, else embedded.
 * Last line: `bench:metrics: <ms> ms (<ratio>x raw SQL <ms> ms)`, ratio = raw / ours.
 */
import type { Payload } from 'payload'
import type { PoolClient } from 'pg'

import { METRIC_COLUMNS, METRIC_KEYS } from '../src/services/metrics/metric-definitions'
import { failureReasonFactsSql, metricFactsSql } from '../src/services/metrics/metric-facts-sql'
import { createTestDatabase } from '../tests/helpers/test-database'
import { TEST_ENV } from '../tests/helpers/test-env'
import { formatMs, keepAliveClient, verdict } from './lib/http-load'
import { startPayloadHttpServer } from './lib/payload-http'
import { releasePayloadPool, runMain } from './lib/run-main'

const N = Number(process.env.BENCH_SIZE || 1_000_000)
const RUNS = Number(process.env.BENCH_RUNS || 7)
const RAW_RUNS = Number(process.env.BENCH_RAW_RUNS || 3)
const DAYS = 60
const ORGS = 3
const JOBS_PER_ORG = 10
const TARGET_MS = 300

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** 3 orgs × 2 templates × 10 jobs; returns the org ids. */
const seedOrgsAndJobs = async (payload: Payload, db: PoolClient): Promise<number[]> => {
  const orgs: number[] = []
  await db.query('CREATE TEMP TABLE bench_jobs (idx int PRIMARY KEY, id int, org_id int)')
  for (let o = 0; o < ORGS; o++) {
    const org = await payload.create({ collection: 'organizations', data: { name: `Bench org ${o + 1}`, slug: `bench-org-${o + 1}`, postalAddress: '1 Bench Road' } })
    orgs.push(org.id)
    const templates: number[] = []
    for (let t = 0; t < 2; t++) {
      const template = await payload.create({
        collection: 'email-templates',
        data: { org: org.id, name: `Bench ${o + 1}.${t + 1}`, subject: 'Hi', html: '<p>Hi</p><p><a href="{{unsubscribe_link}}">Unsubscribe</a></p>', status: 'approved' },
      })
      templates.push(template.id)
    }
    for (let j = 0; j < JOBS_PER_ORG; j++) {
      await db.query(
        `WITH job AS (INSERT INTO email_jobs (org_id, name, template_id, status) VALUES ($1, $2, $3, 'completed') RETURNING id)
         INSERT INTO bench_jobs (idx, id, org_id) SELECT $4, id, $1 FROM job`,
        [org.id, `Bench job ${o + 1}.${j + 1}`, templates[j % 2], o * JOBS_PER_ORG + j],
      )
    }
  }
  return orgs
}

/**
 * N recipients, created evenly over 59 days up to a day ago (each org sends at once; each job is a
 * 6-day block), then 3N events: one delivery outcome each (delivered, bounce, processed), an open (or
 * a deferral), and an open, click or complaint within a day after delivery.
 */
const seedRows = async (db: PoolClient, start: Date, end: Date): Promise<void> => {
  const span = (end.getTime() - start.getTime()) / 1000
  await db.query(
    `INSERT INTO email_recipients (org_id, job_id, email, status, created_at, sent_at, delivered_at, failed_at, provider_code, attempts, updated_at)
     SELECT j.org_id, j.id, 'r' || g || '@bench.example',
            (CASE WHEN g % 100 < 2 THEN 'excluded' WHEN g % 100 < 7 THEN 'failed' WHEN g % 100 < 9 THEN 'sent' ELSE 'delivered' END)::enum_email_recipients_status,
            t.created,
            CASE WHEN g % 100 < 2 OR g % 100 = 6 THEN NULL ELSE t.created + interval '1 minute' END,
            CASE WHEN g % 100 >= 9 THEN t.created + interval '1 minute' + (g % 50) * interval '1 second' END,
            CASE WHEN g % 100 BETWEEN 2 AND 6 THEN t.created + interval '3 minutes' END,
            CASE g % 100 WHEN 2 THEN '5.1.1' WHEN 3 THEN '5.1.1' WHEN 4 THEN 'sendgrid:bounce' WHEN 5 THEN '5.7.1' WHEN 6 THEN '550' END,
            1, t.created + CASE WHEN g % 100 < 2 THEN interval '0' WHEN g % 100 < 9 THEN interval '3 minutes' ELSE interval '1 minute' + (g % 50) * interval '1 second' END
       FROM generate_series(0, $1::int - 1) g
      CROSS JOIN LATERAL (SELECT date_trunc('second', $2::timestamptz + (g::float8 / $1) * $3 * interval '1 second') AS created) t
       JOIN bench_jobs j ON j.idx = (g % ${ORGS}) * ${JOBS_PER_ORG} + (g::bigint * ${JOBS_PER_ORG} / $1)`,
    [N, start, span],
  )
  const { rows } = await db.query<{ first: number }>('SELECT min(id) AS first FROM email_recipients')
  await db.query(
    `INSERT INTO webhook_events (provider, channel, event_i_d, type, address, org_id, job_id, recipient_id, occurred_at, received_at, payload, outcome)
     SELECT 'sendgrid', 'email', 'bench-' || e, x.type::enum_webhook_events_type, r.email, r.org_id, r.job_id, r.id, x.at,
            x.at + CASE WHEN e % 97 = 0 THEN 60 + 900 * u ELSE 0.2 + 30 * u * u * u END * interval '1 second', '{}', 'recorded'
       FROM generate_series(0, 3 * $1::bigint - 1) e
       JOIN email_recipients r ON r.id = $2 + (e % $1)
      CROSS JOIN LATERAL (SELECT ((e * 7919) % 1000) / 1000.0 AS u, e / $1 AS seg, r.status = 'delivered' AS ok) v
      CROSS JOIN LATERAL (SELECT
              CASE WHEN v.seg = 0 THEN (CASE r.status WHEN 'delivered' THEN 'delivered' WHEN 'failed' THEN 'bounce' ELSE 'processed' END)
                   WHEN NOT v.ok THEN 'deferred'
                   WHEN v.seg = 1 THEN 'open'
                   WHEN e % 1000 = 999 THEN 'spamreport'
                   WHEN e % 1000 < 300 THEN 'click'
                   ELSE 'open' END AS type,
              date_trunc('second', least(now(), CASE
                   WHEN v.seg = 0 THEN coalesce(r.delivered_at, r.failed_at, r.sent_at, r.created_at)
                   WHEN NOT v.ok THEN r.created_at + interval '10 minutes'
                   WHEN v.seg = 1 THEN r.delivered_at + (e % 3600) * interval '1 second'
                   ELSE r.delivered_at + (e % 86400) * interval '1 second' END)) AS at) x`,
    [N, rows[0]!.first],
  )
  await db.query(
    `INSERT INTO suppressions (org_id, address, channel, reason, status, source, created_at, updated_at)
     SELECT r.org_id, r.email, 'email', 'unsubscribe', 'active', 'bench', r.delivered_at + interval '2 hours', r.delivered_at + interval '2 hours'
       FROM email_recipients r WHERE r.status = 'delivered' AND r.id % 500 = 0 AND r.delivered_at < now() - interval '2 hours'`,
  )
  await db.query('VACUUM ANALYZE email_recipients')
  await db.query('VACUUM ANALYZE webhook_events')
  await db.query('VACUUM ANALYZE suppressions')
}

/** The baseline: the summary's aggregates straight from the base tables, by day, in one statement. */
const RANGE = { from: '$1::timestamptz', to: '$2::timestamptz' }
const RAW_SQL = `WITH facts AS (${metricFactsSql('$3::int[]', RANGE)}),
days AS (SELECT channel, date_trunc('day', hour) AS day, ${Object.values(METRIC_COLUMNS).map((c) => `sum(${c})::bigint AS ${c}`).join(', ')} FROM facts GROUP BY 1, 2),
reasons AS (SELECT code, sum(count)::bigint AS count FROM (${failureReasonFactsSql('$3::int[]', RANGE)}) x GROUP BY 1),
latency AS (
  SELECT count(*) AS count,
         percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY greatest(0, extract(epoch FROM e.received_at - e.occurred_at))) AS p
    FROM webhook_events e WHERE e.org_id = ANY($3::int[]) AND e.occurred_at >= $1 AND e.occurred_at < $2
)
SELECT (SELECT json_agg(days) FROM days) AS days, (SELECT json_agg(reasons) FROM reasons) AS reasons, (SELECT row_to_json(latency) FROM latency) AS latency`

type Summary = {
  channels: { channel: string; totals: Record<string, number>; failureReasons: { code: string; count: number }[]; callbackLatency: { count: number; p50: number; p95: number; p99: number } }[]
  rolledUpUntil: string
}

const main = async () => {
  if (!process.env.TEST_DATABASE_URL && process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL
  const database = await createTestDatabase()
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url, LOG_LEVEL: 'error' })
  const [{ getPayload }, { default: config }, { dbPool }, { rollupMetrics }] = await Promise.all([
    import('payload'),
    import('../payload.config'),
    import('../src/db/pool'),
    import('../src/services/metrics/rollup-metrics'),
  ])
  const payload = await getPayload({ config })
  const server = await startPayloadHttpServer(config)
  const client = keepAliveClient(server.url, 1)
  const db = await dbPool(payload).connect()
  const failures: string[] = []
  const check = (ok: boolean, problem: string) => {
    if (!ok) failures.push(problem)
  }
  try {
    console.log(`metrics: ${N} recipients, ${3 * N} webhook events over ${DAYS} days, ${ORGS} orgs × ${JOBS_PER_ORG} jobs; ${database.kind} PostgreSQL; ${server.url}`)
    const now = new Date()
    const start = new Date(now.getTime() - DAYS * 86_400_000)
    const orgs = await seedOrgsAndJobs(payload, db)
    let t0 = performance.now()
    // Sends stop a day before now, so their events (up to a day after delivery) are all in the past.
    await seedRows(db, start, new Date(now.getTime() - 86_400_000))
    console.log(`seeded in ${seconds(performance.now() - t0)}`)

    t0 = performance.now()
    const rollup = await rollupMetrics({ payload, now })
    const rollupMs = performance.now() - t0
    const { rows: sizes } = await db.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM metric_rollups)::int AS rollups, (SELECT count(*) FROM metric_rollup_reasons)::int AS reasons, (SELECT count(*) FROM metric_rollup_latency)::int AS latency`,
    )
    console.log(`first rollup: ${rollup.hours} hours in ${seconds(rollupMs)}; rows: ${sizes[0]!.rollups} rollups, ${sizes[0]!.reasons} reasons, ${sizes[0]!.latency} latency buckets`)
    await db.query('VACUUM ANALYZE metric_rollups, metric_rollup_reasons, metric_rollup_latency')
    t0 = performance.now()
    const again = await rollupMetrics({ payload, now })
    console.log(`the next run (what changed within the 5-minute overlap): ${again.hours} hours in ${formatMs(performance.now() - t0)}`)

    await payload.create({ collection: 'users', data: { email: 'bench-super@bench.example', password: 'bench-password', name: 'Bench', isSuperAdmin: true } as never })
    const login = await client.request('POST', '/api/users/login', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench-super@bench.example', password: 'bench-password' }),
    })
    const token = (JSON.parse(login.body.toString('utf8')) as { token: string }).token
    const from = new Date(Math.floor(start.getTime() / 86_400_000) * 86_400_000)
    const to = new Date(Math.ceil(now.getTime() / 86_400_000) * 86_400_000)
    const path = `/api/metrics/summary?from=${from.toISOString()}&to=${to.toISOString()}&bucket=day`
    const get = async (query = path) => {
      const reply = await client.request('GET', query, { headers: { authorization: `JWT ${token}` } })
      if (reply.status !== 200) throw new Error(`summary answered ${reply.status}: ${reply.body.toString('utf8').slice(0, 300)}`)
      return { ms: reply.ms, body: JSON.parse(reply.body.toString('utf8')) as Summary }
    }
    await get()
    await get()
    const timings: number[] = []
    let ours: Summary | null = null
    for (let i = 0; i < RUNS; i++) {
      const run = await get()
      timings.push(run.ms)
      ours = run.body
    }
    const oursMs = median(timings)
    console.log(`summary over HTTP, ${DAYS} days by day, all orgs: median ${formatMs(oursMs)} (runs: ${timings.map((ms) => Math.round(ms)).join(', ')} ms); rolled up until ${ours!.rolledUpUntil}`)
    const oneOrg = []
    for (let i = 0; i < RUNS; i++) oneOrg.push((await get(`${path}&org=${orgs[0]}`)).ms)
    console.log(`summary over HTTP, one org: median ${formatMs(median(oneOrg))}`)
    const hourly = []
    const lastWeek = new Date(to.getTime() - 7 * 86_400_000)
    for (let i = 0; i < 3; i++) hourly.push((await get(`/api/metrics/summary?from=${lastWeek.toISOString()}&to=${to.toISOString()}&bucket=hour`)).ms)
    console.log(`summary over HTTP, last 7 days by hour (168 buckets): median ${formatMs(median(hourly))}`)

    // Baseline: the same aggregates over the base tables.
    const rawTimings: number[] = []
    let raw: { days: Record<string, number | string>[]; reasons: { code: string; count: number }[]; latency: { count: number; p: number[] } } | null = null
    for (let i = 0; i < RAW_RUNS; i++) {
      const t = performance.now()
      await db.query('BEGIN READ ONLY')
      await db.query(`SET LOCAL TimeZone = 'UTC'`)
      const { rows } = await db.query(RAW_SQL, [from, to, orgs])
      await db.query('COMMIT')
      rawTimings.push(performance.now() - t)
      raw = rows[0]
    }
    const rawMs = median(rawTimings)
    console.log(`raw SQL over the base tables: median ${formatMs(rawMs)} (runs: ${rawTimings.map((ms) => Math.round(ms)).join(', ')} ms)`)

    // Both must agree: every total, every failure reason, the latency count (percentiles: ours within a bucket below the exact ones).
    const email = ours!.channels.find((c) => c.channel === 'email')!
    for (const key of METRIC_KEYS) {
      const column = METRIC_COLUMNS[key]
      const expected = raw!.days.filter((d) => d.channel === 'email').reduce((sum, d) => sum + Number(d[column]), 0)
      check(email.totals[key] === expected, `total ${key}: summary ${email.totals[key]}, raw ${expected}`)
    }
    const rawReasons = new Map(raw!.reasons.map((r) => [r.code, Number(r.count)]))
    for (const reason of email.failureReasons) check(rawReasons.get(reason.code) === reason.count, `reason ${reason.code}: summary ${reason.count}, raw ${rawReasons.get(reason.code)}`)
    check(email.failureReasons.length === rawReasons.size, `${email.failureReasons.length} reasons, raw ${rawReasons.size}`)
    check(email.callbackLatency.count === Number(raw!.latency.count), `latency count: summary ${email.callbackLatency.count}, raw ${raw!.latency.count}`)
    const exact = raw!.latency.p
    const within = (ours: number, truth: number) => ours <= truth && truth - ours < Math.max(1, truth * 0.1)
    check(
      within(email.callbackLatency.p50, exact[0]!) && within(email.callbackLatency.p95, exact[1]!) && within(email.callbackLatency.p99, exact[2]!),
      `latency percentiles ${email.callbackLatency.p50}/${email.callbackLatency.p95}/${email.callbackLatency.p99} vs exact ${exact.map((p) => p.toFixed(2)).join('/')}`,
    )
    if (!failures.length) {
      console.log(
        `verified: the summary's totals equal the raw aggregates (sent ${email.totals.sent}, delivered ${email.totals.delivered}, failed ${email.totals.failed}, ` +
          `opens ${email.totals.opens}, unique opens ${email.totals.uniqueOpens}, complaints ${email.totals.complaints}); ${rawReasons.size} failure reasons; ` +
          `latency p50/p95/p99 ${email.callbackLatency.p50}/${email.callbackLatency.p95}/${email.callbackLatency.p99} s (exact ${exact.map((p) => p.toFixed(1)).join('/')} s)`,
      )
    }
    console.log(`target summary < ${TARGET_MS} ms at ${N} recipients: ${verdict(oursMs < TARGET_MS)} (${formatMs(oursMs)})`)
    for (const failure of failures) console.error(`CHECK FAILED: ${failure}`)
    console.log(`bench:metrics: ${Math.round(oursMs)} ms (${(rawMs / oursMs).toFixed(1)}x raw SQL ${Math.round(rawMs)} ms)`)
    return failures.length
  } finally {
    db.release()
    client.close()
    await server.close()
    releasePayloadPool(payload)
    // BENCH_KEEP_DB=1 leaves the database for EXPLAIN (drop it afterwards).
    if (process.env.BENCH_KEEP_DB === '1') console.log(`database kept: ${database.url}`)
    else await database.drop()
  }
}

void runMain(main)
