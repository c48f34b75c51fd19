/**
 * npm run soak — the whole system under sustained mixed load, on loopback only, bounded in time and
 * size. Against the production build (`npm run build` first) started with `next start`, two real worker
 * processes and an SMTP sink in a child process, on a fresh database, for SOAK_MINUTES (10), at once:
 * - SOAK_USERS (30) admin users browsing: contact lists (sorts, pages, the tag filter, searches), the
 *   job's recipients, the job itself, its engagement and the analytics summary, 1–3 s apart;
 * - the SendGrid webhook: a post of 1,000 events every SOAK_WEBHOOK_SECONDS (5) (delivered and opens of
 *   messages already sent, a few unmatched);
 * - a SOAK_RECIPIENTS (100,000) recipient job sending through the sink, paced by the org's per-minute
 *   limit to last most of the run;
 * - SOAK_UNSUBSCRIBES_PER_MINUTE (60) one-click unsubscribes of the job's recipients.
 * Prints latency per route class (p50/p95/p99), answers by status, the web process's pool waits, the RSS
 * of each process after warming up and at the end, and as its last line whether every invariant held:
 * no 5xx except deliberate 503s, every webhook post answered 200 under 2 s, no duplicate send, counters
 * equal to rows, RSS growth under 20 %. Exits 1 when one did not.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

import { keepAliveClient, latencyOf } from '../../bench/lib/http-load'
import { freePort, startFakeServer } from '../../bench/lib/children'
import { releasePayloadPool, runMain } from '../../bench/lib/run-main'
import { endReservedPool } from '../../src/db/reserved-pool'
import { JOB_COUNTER_STATUSES, jobCountersSelectSQL } from '../../src/services/sending/job-counters'
import { prepareBulkSendJob } from '../helpers/bulk-send-job'
import { createTestDatabase } from '../helpers/test-database'
import { TEST_ENV } from '../helpers/test-env'

const MINUTES = Number(process.env.SOAK_MINUTES || 10)
const USERS = Number(process.env.SOAK_USERS || 30)
const RECIPIENTS = Number(process.env.SOAK_RECIPIENTS || 100_000)
const WEBHOOK_MS = Number(process.env.SOAK_WEBHOOK_SECONDS || 5) * 1000
const UNSUBSCRIBES_PER_MINUTE = Number(process.env.SOAK_UNSUBSCRIBES_PER_MINUTE || 60)
const DURATION_MS = MINUTES * 60_000
/** Before the measured run (SOAK_WARMUP_SECONDS, 60): every route is loaded, caches fill, the heaps reach their working size (not counted). */
const WARMUP_MS = Number(process.env.SOAK_WARMUP_SECONDS || 60) * 1000
const METRICS_TOKEN = 'soak-metrics-token'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`

const rssOf = (pid: number): number => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024

/** Latencies and answers per route class. */
class Tally {
  readonly ms = new Map<string, number[]>()
  readonly statuses = new Map<string, number>()
  readonly failures: string[] = []
  counting = false
  add(route: string, status: number, ms: number) {
    if (!this.counting) return
    if (!this.ms.has(route)) this.ms.set(route, [])
    this.ms.get(route)!.push(ms)
    const key = `${route} ${status}`
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1)
  }
}

const main = async () => {
  if (!existsSync(`${process.env.NEXT_DIST_DIR || '.next'}/BUILD_ID`)) throw new Error('No production build: run `npm run build` before `npm run soak`.')
  if (!process.env.TEST_DATABASE_URL && process.env.SOAK_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.SOAK_DATABASE_URL
  const database = await createTestDatabase()
  if (database.kind !== 'postgres') throw new Error('The soak needs a PostgreSQL server: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).')
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url, LOG_LEVEL: 'error' })
  const sink = await startFakeServer('smtp', { SMTP_FAKE_TRACK: '1' })
  const children: ChildProcess[] = []
  process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')))
  const tally = new Tally()
  let stopping = false
  let releasePool = async () => {}
  try {
    const [{ getPayload, createLocalReq }, { default: config }, { queueEmailJob }, { createUnsubscribeToken }, { dbPool }, { seedDemo }] = await Promise.all([
      import('payload'),
      import('../../payload.config'),
      import('../../src/services/sending/queue-email-job'),
      import('../../src/services/unsubscribe/unsubscribe-token'),
      import('../../src/db/pool'),
      import('../../src/seed/seed-demo'),
    ])
    // Booting applies the migrations; the demo data comes on top.
    const payload = await getPayload({ config })
    releasePool = async () => {
      releasePayloadPool(payload)
      await endReservedPool()
    }
    await seedDemo(payload)
    const pool = dbPool(payload)
    // The job: the org's per-minute limit spreads it over the whole run (a minute's share goes out, then
    // the next when the minute rolls over).
    const perMinute = Math.max(60, Math.ceil(RECIPIENTS / ((WARMUP_MS + DURATION_MS) / 60_000)))
    const { org, jobID, user } = await prepareBulkSendJob({
      payload,
      count: RECIPIENTS,
      slug: 'soak',
      sending: { provider: 'smtp', smtpHost: '127.0.0.1', smtpPort: sink.port, batchSize: 100, batchDelaySeconds: 0, perMinuteLimit: perMinute },
    })
    await pool.query(
      `INSERT INTO contacts_texts ("order", parent_id, path, text)
       SELECT t.ord, c.id, 'tags', t.tag FROM contacts c
        CROSS JOIN LATERAL unnest(ARRAY[CASE WHEN c.id % 3 = 0 THEN 'donor' ELSE 'volunteer' END, 'region-' || (c.id % 12)]) WITH ORDINALITY AS t(tag, ord)
        WHERE c.org_id = $1`,
      [org],
    )
    await queueEmailJob({ payload, req: await createLocalReq({ user: user as never }, payload), jobID })
    await pool.query('VACUUM ANALYZE contacts, contacts_texts, email_recipients')
    const { rows: addresses } = await pool.query<{ email: string }>('SELECT email FROM contacts WHERE org_id = $1 ORDER BY random() LIMIT 5000', [org])
    console.log(`soak: ${MINUTES} min; ${USERS} admin users; ${RECIPIENTS.toLocaleString('en')} recipients at ${perMinute.toLocaleString('en')}/min; a 1,000-event webhook post every ${WEBHOOK_MS / 1000} s; ${UNSUBSCRIBES_PER_MINUTE} unsubscribes/min`)

    // The web process (production build) and two workers.
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', SITE_URL: base, METRICS_TOKEN, NEXT_TELEMETRY_DISABLED: '1', OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', METRICS_SUMMARY_CACHE_SECONDS: undefined }
    const web = spawn('node_modules/.bin/next', ['start', '-p', String(port), '-H', '127.0.0.1'], { env, stdio: ['ignore', 'ignore', 'inherit'] })
    children.push(web)
    for (let tries = 0; !(await fetch(`${base}/api/health/ready`).then((r) => r.ok, () => false)); tries++) {
      if (tries > 240) throw new Error('next start did not become ready')
      await sleep(250)
    }
    const workers = [0, 1].map(() => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/jobs/worker.ts')], {
        env: { ...env, NODE_ENV: 'production', NODE_OPTIONS: '--no-deprecation --conditions=development' },
        stdio: ['ignore', 'ignore', 'inherit'],
      })
      children.push(child)
      return child
    })

    const client = keepAliveClient(base, USERS + 8)
    const json = { 'content-type': 'application/json' }
    const login = async (email: string, password: string) => {
      const reply = await client.request('POST', '/api/users/login', { headers: json, body: JSON.stringify({ email, password }) })
      return (JSON.parse(reply.body.toString('utf8')) as { token: string }).token
    }
    const tokens = [await login('sender@soak.test', 'bulk-password')]
    let retried = 0
    const timed = async (route: string, method: string, url: string, options: { headers?: Record<string, string>; body?: string } = {}) => {
      try {
        const reply = await client.request(method, url, options).catch((error: NodeJS.ErrnoException) => {
          // A kept-alive socket the server closed as the request left: sent again once on a new one, as
          // browsers and SendGrid do (the server never saw it).
          if (error.code !== 'ECONNRESET') throw error
          retried += 1
          return client.request(method, url, options)
        })
        tally.add(route, reply.status, reply.ms)
        return reply
      } catch (error) {
        tally.add(route, 0, 0)
        if (tally.counting) tally.failures.push(`${route}: ${(error as Error).message}`)
        return null
      }
    }

    const started = Date.now()
    const deadline = started + WARMUP_MS + DURATION_MS
    const random = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!
    const SORTS = ['', '&sort=firstName', '&sort=-lastName', '&sort=email', '&sort=-updatedAt']
    const browse = async (user: number) => {
      const auth = { authorization: `JWT ${tokens[user % tokens.length]}` }
      while (Date.now() < deadline) {
        const roll = Math.random()
        const page = 1 + Math.floor(Math.random() * 50)
        if (roll < 0.35) await timed('lists', 'GET', `/api/contacts?depth=0&limit=10&page=${page}${random(SORTS)}`, { headers: auth })
        else if (roll < 0.45) await timed('lists', 'GET', `/api/contacts?depth=0&limit=10&where[tags][equals]=${random(['donor', 'volunteer', 'region-3'])}`, { headers: auth })
        else if (roll < 0.55) {
          const fragment = `reader${Math.floor(Math.random() * RECIPIENTS)}`
          await timed('search', 'GET', `/api/contacts?depth=0&limit=10&where[or][0][firstName][like]=${fragment}&where[or][1][lastName][like]=${fragment}&where[or][2][email][like]=${fragment}`, { headers: auth })
        } else if (roll < 0.75) await timed('lists', 'GET', `/api/email-recipients?depth=0&limit=10&page=${page}&where[job][equals]=${jobID}${random(['', '&sort=email', '&sort=status'])}`, { headers: auth })
        else if (roll < 0.85) await timed('job', 'GET', `/api/email-jobs/${jobID}?depth=0`, { headers: auth })
        else if (roll < 0.92) await timed('job', 'GET', `/api/email-jobs/${jobID}/engagement`, { headers: auth })
        else await timed('analytics', 'GET', `/api/metrics/summary?org=${org}&from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date().toISOString()}&bucket=hour`, { headers: auth })
        await sleep(1000 + Math.random() * 2000)
      }
    }

    let webhookPosts = 0
    let slowestWebhook = 0
    const webhook = async () => {
      let offset = 0
      while (Date.now() < deadline) {
        const next = Date.now() + WEBHOOK_MS
        const { rows } = await pool.query<{ id: number; email: string }>(`SELECT id, email FROM email_recipients WHERE job_id = $1 AND status = 'sent' ORDER BY id OFFSET $2 LIMIT 500`, [jobID, offset])
        offset = rows.length === 500 ? offset + 500 : 0
        const now = Math.floor(Date.now() / 1000)
        const events: Record<string, unknown>[] = []
        for (const row of rows) {
          for (const event of ['delivered', 'open']) events.push({ email: row.email, timestamp: now, event, sg_event_id: `soak-${row.id}-${event}-${webhookPosts}`, sg_message_id: `soak${row.id}.filter`, outpost_recipient_id: String(row.id) })
        }
        while (events.length < 1000) events.push({ email: `stranger-${events.length}@example.net`, timestamp: now, event: 'delivered', sg_event_id: `soak-x-${webhookPosts}-${events.length}`, sg_message_id: `unknown${events.length}.filter` })
        const reply = await timed('webhook', 'POST', '/api/callbacks/sendgrid/', { headers: json, body: JSON.stringify(events) })
        webhookPosts += 1
        if (reply && tally.counting) slowestWebhook = Math.max(slowestWebhook, reply.ms)
        await sleep(Math.max(0, next - Date.now()))
      }
    }

    let unsubscribed = 0
    const unsubscribes = async () => {
      const every = 60_000 / Math.max(1, UNSUBSCRIBES_PER_MINUTE)
      while (Date.now() < deadline) {
        const address = addresses[unsubscribed % addresses.length]!.email
        const token = createUnsubscribeToken({ org, address, channel: 'email' }, TEST_ENV.PAYLOAD_SECRET)
        await timed('unsubscribe', 'POST', `/api/unsubscribe/${encodeURIComponent(token)}`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })
        unsubscribed += 1
        await sleep(every)
      }
    }

    const processes = { web: web.pid!, 'worker 1': workers[0]!.pid!, 'worker 2': workers[1]!.pid! }
    // RSS sampled every 2 s once warm; start and end are the medians of the first and last quarter of the
    // samples (one reading swings with each garbage collection; a leak is a trend).
    const samples: Record<string, number>[] = []
    let sampler: NodeJS.Timeout | undefined
    const warm = sleep(WARMUP_MS).then(() => {
      tally.counting = true
      console.log(`  warm-up over (${WARMUP_MS / 1000} s): measuring`)
      const sample = () => samples.push(Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, rssOf(pid)])))
      sample()
      sampler = setInterval(sample, 2000)
    })
    const progress = setInterval(async () => {
      const { rows } = await pool.query<{ sent: number; total: number }>('SELECT sent::int, total::int FROM email_jobs WHERE id = $1', [jobID])
      console.log(`  +${Math.round((Date.now() - started) / 1000)} s: ${rows[0]?.sent}/${rows[0]?.total} sent, ${webhookPosts} webhook posts, ${unsubscribed} unsubscribes, ${[...tally.ms.values()].reduce((n, list) => n + list.length, 0)} requests`)
    }, Math.max(10_000, DURATION_MS / 10))
    await Promise.all([warm, webhook(), unsubscribes(), ...Array.from({ length: USERS }, (_, i) => browse(i))])
    clearInterval(progress)
    clearInterval(sampler)
    stopping = true
    const quarter = Math.max(1, Math.floor(samples.length / 4))
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
    const rssStart = Object.fromEntries(Object.keys(processes).map((name) => [name, median(samples.slice(0, quarter).map((s) => s[name]!))]))
    const rssEnd = Object.fromEntries(Object.keys(processes).map((name) => [name, median(samples.slice(-quarter).map((s) => s[name]!))]))
    const metrics = await timed('metrics', 'GET', '/api/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    const metricText = metrics?.body.toString('utf8') ?? ''
    const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metricText)?.[1] ?? NaN)

    // The workers stop gracefully (nothing left sending); then the sink and the rows must agree.
    for (const worker of workers) worker.kill('SIGTERM')
    await Promise.all(workers.map((worker) => new Promise((resolve) => (worker.exitCode !== null ? resolve(null) : worker.once('exit', resolve)))))
    const sinkStats = await sink.stats()
    const { rows: byStatus } = await pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM email_recipients WHERE job_id = $1 GROUP BY status', [jobID])
    const rowsBy = Object.fromEntries(byStatus.map((row) => [row.status, row.n]))
    // The job's counters against its rows, by the one definition of what each counter counts.
    const counterNames = ['total', ...Object.keys(JOB_COUNTER_STATUSES)]
    const { rows: fromRows } = await pool.query<Record<string, number>>(`SELECT ${jobCountersSelectSQL()} FROM email_recipients WHERE job_id = $1`, [jobID])
    const { rows: stored } = await pool.query<Record<string, number>>(`SELECT ${counterNames.map((name) => `${name}::int AS ${name}`).join(', ')} FROM email_jobs WHERE id = $1`, [jobID])
    const c = stored[0]!
    const countersMatch = counterNames.every((name) => c[name] === fromRows[0]![name])
    const sentRows = fromRows[0]!.sent!
    console.log('\nlatency per route class:')
    for (const [route, list] of [...tally.ms].sort()) {
      const l = latencyOf(list)
      console.log(`  ${route.padEnd(12)} ${String(list.length).padStart(6)} requests  p50 ${l.p50.toFixed(1)} ms  p95 ${l.p95.toFixed(1)} ms  p99 ${l.p99.toFixed(1)} ms  max ${l.max.toFixed(0)} ms`)
    }
    console.log('answers by status:')
    for (const [key, n] of [...tally.statuses].sort()) console.log(`  ${key.padEnd(18)} ${n}`)
    if (tally.failures.length) console.log(`transport failures: ${tally.failures.length} (first: ${tally.failures[0]})`)
    if (retried) console.log(`requests sent again after the server closed an idle kept-alive socket: ${retried}`)
    console.log(`web pool: ${metric('outpost_db_pool_acquisitions_total')} checkouts, ${metric('outpost_db_pool_wait_seconds_total')} s waited in all, ${metric('outpost_db_pool_slow_waits_total')} waits over 100 ms, longest ${metric('outpost_db_pool_wait_max_seconds')} s`)
    console.log(`job: ${JSON.stringify(c)}; rows ${JSON.stringify(rowsBy)}; sink received ${sinkStats.count} messages for ${sinkStats.addresses} addresses`)
    const growth: Record<string, number> = {}
    for (const name of Object.keys(processes)) {
      growth[name] = rssStart[name] ? (rssEnd[name]! - rssStart[name]!) / rssStart[name]! : NaN
      console.log(`RSS ${name.padEnd(9)} first quarter ${mb(rssStart[name] ?? 0)}, last quarter ${mb(rssEnd[name]!)} (${(growth[name]! * 100).toFixed(1)} %; medians of ${samples.length} samples)`)
    }

    const fiveHundreds = [...tally.statuses].filter(([key]) => / 5\d\d$/.test(key) && !key.endsWith(' 503')).reduce((n, [, count]) => n + count, 0)
    const transport = tally.failures.length
    const webhookBad = [...tally.statuses].filter(([key]) => key.startsWith('webhook ') && key !== 'webhook 200').reduce((n, [, count]) => n + count, 0)
    const checks: [string, boolean][] = [
      [`no 5xx except 503 (${fiveHundreds} other 5xx, ${transport} transport failures)`, fiveHundreds === 0 && transport === 0],
      [`every webhook post 200 under 2 s (${tally.ms.get('webhook')?.length ?? 0} posts measured, slowest ${Math.round(slowestWebhook)} ms)`, webhookBad === 0 && slowestWebhook < 2000 && (tally.ms.get('webhook')?.length ?? 0) > 0],
      [`no duplicate send (${sinkStats.duplicates} duplicates; sink ${sinkStats.count} = sent rows ${sentRows}; nothing left sending or unknown)`, sinkStats.duplicates === 0 && sinkStats.count === sentRows && !rowsBy.sending && !rowsBy.unknown],
      [`counters equal to rows (${JSON.stringify(c)})`, countersMatch],
      [`RSS growth under 20 % (${Object.entries(growth).map(([name, g]) => `${name} ${(g * 100).toFixed(1)} %`).join(', ')})`, Object.values(growth).every((g) => Number.isFinite(g) && g < 0.2)],
    ]
    const ok = checks.every(([, passed]) => passed)
    console.log(`soak: ${ok ? 'every invariant held' : 'INVARIANT BROKEN'}: ${checks.map(([text, passed]) => `${passed ? 'ok' : 'FAILED'} ${text}`).join('; ')}`)
    client.close()
    return ok ? 0 : 1
  } finally {
    if (!stopping) console.error('soak: stopped early')
    for (const child of children) child.kill('SIGKILL')
    sink.stop()
    await releasePool()
    await database.drop().catch(() => {})
  }
}

void runMain(main)
