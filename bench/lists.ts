/**
 * npm run bench:lists — the admin's list reads at scale, over real HTTP (bench/lib/payload-http.ts) as the
 * org's admin with a JWT: N contacts (default 1,000,000; BENCH_SIZE) with ~10 tags each, 10 × N recipient
 * rows over 20 jobs (BENCH_RECIPIENTS), and a suppression per 50 contacts, all in one org, seeded with
 * generate_series SQL (bench/lib/seed-scale.ts) and then VACUUM ANALYZE (what autovacuum does after a bulk
 * load; without it PostgreSQL cannot use index-only scans yet). For contacts, recipients and suppressions:
 * the default sort, a sort by each visible column, a tag filter, a search by part of an address, and the
 * last page; each BENCH_RUNS times (default 20) after one warm-up, p50 and p95.
 * Baseline in the same run: each list's page as one hand-written SQL statement on the same indexes (the
 * page's rows; contacts with their tags), p95 over the same runs.
 * Target: p95 ≤ 300 ms for every read. Database: a fresh one on BENCH_DATABASE_URL's (or
 * TEST_DATABASE_URL's) server, else embedded.
 * Last line: `bench:lists: <worst p95> ms p95 (<ratio>x raw SQL <its p95> ms)`, ratio = raw / ours for that read.
 */
import type { PoolClient } from 'pg'

import { startBenchApp } from './lib/bench-app'
import { formatMs, keepAliveClient, latencyOf, verdict } from './lib/http-load'
import { releasePayloadPool, runMain } from './lib/run-main'
import { seedScaleContacts } from './lib/seed-scale'

const N = Number(process.env.BENCH_SIZE || 1_000_000)
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS || N * 10)
const RUNS = Number(process.env.BENCH_RUNS || 20)
const JOBS = 20
const TARGET_MS = 300
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

type Read = { name: string; path: string; raw: string }

const seedRecipients = async (db: PoolClient, org: number, template: number) => {
  const perJob = Math.ceil(RECIPIENTS / JOBS)
  for (let j = 0; j < JOBS; j++) {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO email_jobs (org_id, name, template_id, status, total, sent) VALUES ($1, $2, $3, 'completed', $4, $4) RETURNING id`,
      [org, `Bench job ${j + 1}`, template, perJob],
    )
    // Each job goes to every other contact (its half), 20 jobs over N contacts: 10 × N rows.
    await db.query(
      `INSERT INTO email_recipients (org_id, job_id, contact_id, email, status, attempts, last_error, provider_code, sent_at, delivered_at, failed_at, created_at, updated_at)
       SELECT $1, $2, c.id, c.email,
              (CASE WHEN c.id % 50 = 0 THEN 'failed' WHEN c.id % 40 = 0 THEN 'excluded' WHEN c.id % 3 = 0 THEN 'sent' ELSE 'delivered' END)::enum_email_recipients_status,
              CASE WHEN c.id % 40 = 0 THEN 0 ELSE 1 + c.id % 3 END,
              CASE WHEN c.id % 50 = 0 THEN 'The mail server refused the message permanently: the mailbox does not exist (550 5.1.1).' END,
              CASE WHEN c.id % 50 = 0 THEN '550 5.1.1' END,
              now() - make_interval(days => $3), CASE WHEN c.id % 3 <> 0 THEN now() - make_interval(days => $3) END,
              CASE WHEN c.id % 50 = 0 THEN now() - make_interval(days => $3) END,
              now() - make_interval(days => $3) + c.id * interval '1 millisecond', now() - make_interval(days => $3)
         FROM contacts c WHERE c.org_id = $1 AND (c.id + $2) % 2 = 0 LIMIT $4`,
      [org, rows[0]!.id, JOBS - j, perJob],
    )
  }
  await db.query(
    `INSERT INTO suppressions (org_id, address, channel, reason, status, source, created_at, updated_at)
     SELECT $1, email, 'email', 'bounce', 'active', 'webhook', now() - c.id * interval '1 second', now() FROM contacts c WHERE org_id = $1 AND id % 50 = 0`,
    [org],
  )
}

const main = async () => {
  const { database, payload, server, pool } = await startBenchApp()
  const client = keepAliveClient(server.url, 1)
  const db = await pool.connect()
  try {
    console.log(`lists: ${N} contacts (~10 tags each), ${RECIPIENTS} recipients, one org; ${database.kind} PostgreSQL; ${server.url}`)
    const org = (await payload.create({ collection: 'organizations', data: { name: 'Bench Org', slug: 'bench-lists', postalAddress: '1 Bench Road' } })).id
    const other = (await payload.create({ collection: 'organizations', data: { name: 'Small Org', slug: 'bench-small', postalAddress: '2 Bench Road' } })).id
    await payload.create({ collection: 'users', data: { email: 'admin@bench.example', password: 'bench-password', orgs: [{ org, roles: ['admin'] }] } })
    const template = (await payload.find({ collection: 'email-templates', where: { org: { equals: org } }, limit: 1 })).docs[0]!.id
    let t0 = performance.now()
    await seedScaleContacts(db, { org, count: N })
    await seedScaleContacts(db, { org: other, count: Math.min(2000, N), offset: N })
    console.log(`contacts and tags seeded in ${seconds(performance.now() - t0)}`)
    t0 = performance.now()
    await seedRecipients(db, org, template)
    console.log(`recipients and suppressions seeded in ${seconds(performance.now() - t0)}`)
    t0 = performance.now()
    await db.query('VACUUM ANALYZE contacts, contacts_texts, email_recipients, suppressions')
    console.log(`vacuum analyze in ${seconds(performance.now() - t0)}`)

    const login = await client.request('POST', '/api/users/login', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@bench.example', password: 'bench-password' }) })
    const token = (JSON.parse(login.body.toString('utf8')) as { token: string }).token
    const { rows: sample } = await db.query<{ email: string; job: number }>(
      `SELECT c.email, (SELECT min(id) FROM email_jobs WHERE org_id = $1) AS job FROM contacts c WHERE c.org_id = $1 ORDER BY c.id DESC LIMIT 1`,
      [org],
    )
    const fragment = sample[0]!.email.split('@')[0]!.slice(-7)
    const job = sample[0]!.job
    const lastContactsPage = Math.ceil(N / 10)
    const lastRecipientsPage = Math.ceil(RECIPIENTS / 10)
    const tags = `(SELECT coalesce(json_agg(t.text ORDER BY t."order"), '[]') FROM contacts_texts t WHERE t.parent_id = c.id)`
    const contactPage = (order: string, extra = '', offset = 0) =>
      `SELECT c.*, ${tags} AS tags FROM contacts c WHERE c.org_id = ${org} ${extra} ORDER BY ${order} LIMIT 10 OFFSET ${offset}`
    const recipientPage = (order: string, extra = '', offset = 0) => `SELECT r.* FROM email_recipients r WHERE r.org_id = ${org} ${extra} ORDER BY ${order} LIMIT 10 OFFSET ${offset}`
    const reads: Read[] = [
      { name: 'contacts, default sort', path: '/contacts?depth=0&limit=10', raw: contactPage('c.created_at DESC, c.id DESC') },
      { name: 'contacts by first name', path: '/contacts?depth=0&limit=10&sort=firstName', raw: contactPage('c.first_name, c.id') },
      { name: 'contacts by last name, descending', path: '/contacts?depth=0&limit=10&sort=-lastName', raw: contactPage('c.last_name DESC, c.id DESC') },
      { name: 'contacts by email', path: '/contacts?depth=0&limit=10&sort=email', raw: contactPage('c.email, c.id') },
      { name: 'contacts by last update', path: '/contacts?depth=0&limit=10&sort=-updatedAt', raw: contactPage('c.updated_at DESC, c.id DESC') },
      {
        name: 'contacts tagged "donor"',
        path: '/contacts?depth=0&limit=10&where[tags][equals]=donor',
        raw: contactPage('c.created_at DESC, c.id DESC', `AND EXISTS (SELECT 1 FROM contacts_texts t WHERE t.parent_id = c.id AND t.path = 'tags' AND t.text = 'donor')`),
      },
      {
        name: `contacts searched "${fragment}"`,
        path: `/contacts?depth=0&limit=10&where[or][0][firstName][like]=${fragment}&where[or][1][lastName][like]=${fragment}&where[or][2][email][like]=${fragment}`,
        raw: contactPage('c.created_at DESC, c.id DESC', `AND (c.first_name ILIKE '%${fragment}%' OR c.last_name ILIKE '%${fragment}%' OR c.email ILIKE '%${fragment}%')`),
      },
      { name: 'contacts, last page', path: `/contacts?depth=0&limit=10&page=${lastContactsPage}`, raw: contactPage('c.created_at ASC, c.id ASC') },
      { name: 'recipients, default sort', path: '/email-recipients?depth=0&limit=10', raw: recipientPage('r.created_at DESC, r.id DESC') },
      ...(['email', 'status', 'attempts', 'lastError', 'job'] as const).map((field) => {
        const column = { email: 'email', status: 'status', attempts: 'attempts', lastError: 'last_error', job: 'job_id' }[field]
        return { name: `recipients by ${field}`, path: `/email-recipients?depth=0&limit=10&sort=${field}`, raw: recipientPage(`r.${column}, r.id`) }
      }),
      { name: 'recipients of one job', path: `/email-recipients?depth=0&limit=10&where[job][equals]=${job}`, raw: recipientPage('r.created_at DESC, r.id DESC', `AND r.job_id = ${job}`) },
      {
        name: `recipients searched "${fragment}"`,
        path: `/email-recipients?depth=0&limit=10&where[or][0][email][like]=${fragment}`,
        raw: recipientPage('r.created_at DESC, r.id DESC', `AND r.email ILIKE '%${fragment}%'`),
      },
      { name: 'recipients, last page', path: `/email-recipients?depth=0&limit=10&page=${lastRecipientsPage}`, raw: recipientPage('r.created_at ASC, r.id ASC') },
      { name: 'suppressions, default sort', path: '/suppressions?depth=0&limit=10', raw: `SELECT * FROM suppressions WHERE org_id = ${org} ORDER BY created_at DESC, id DESC LIMIT 10` },
      { name: 'suppressions by address', path: '/suppressions?depth=0&limit=10&sort=address', raw: `SELECT * FROM suppressions WHERE org_id = ${org} ORDER BY address, id LIMIT 10` },
      {
        name: 'suppressions, last page',
        path: `/suppressions?depth=0&limit=10&page=${Math.ceil(N / 50 / 10)}`,
        raw: `SELECT * FROM suppressions WHERE org_id = ${org} ORDER BY created_at ASC, id ASC LIMIT 10`,
      },
    ]

    let worst = { name: '', p95: 0, raw: 0 }
    let failures = 0 // reads over the target (reported, not an error: benchmarks are not timed tests)
    for (const read of reads) {
      const get = () => client.request('GET', `/api${read.path}`, { headers: { authorization: `JWT ${token}` } })
      const first = await get()
      if (first.status !== 200) throw new Error(`${read.path} answered ${first.status}: ${first.body.toString('utf8').slice(0, 300)}`)
      const body = JSON.parse(first.body.toString('utf8')) as { totalDocs: number; docs: unknown[] }
      const ours: number[] = []
      for (let i = 0; i < RUNS; i++) ours.push((await get()).ms)
      await db.query(read.raw)
      const raw: number[] = []
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now()
        await db.query(read.raw)
        raw.push(performance.now() - t)
      }
      const mine = latencyOf(ours)
      const base = latencyOf(raw)
      if (mine.p95 > TARGET_MS) failures += 1
      if (mine.p95 > worst.p95) worst = { name: read.name, p95: mine.p95, raw: base.p95 }
      console.log(
        `${read.name.padEnd(38)} p50 ${formatMs(mine.p50).padStart(8)}  p95 ${formatMs(mine.p95).padStart(8)}  raw SQL p95 ${formatMs(base.p95).padStart(8)}  (${body.docs.length} rows of ${body.totalDocs})`,
      )
    }
    console.log(`target p95 ≤ ${TARGET_MS} ms for every read: ${verdict(failures === 0)} (slowest: ${worst.name})`)
    console.log(`bench:lists: ${Math.round(worst.p95)} ms p95 (${(worst.raw / worst.p95).toFixed(2)}x raw SQL ${formatMs(worst.raw)})`)
  } finally {
    db.release()
    client.close()
    await server.close()
    releasePayloadPool(payload)
    await database.drop()
  }
}

runMain(main)
