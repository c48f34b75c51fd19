/**
 * npm run bench:inbox — the Inbox's list reads at scale, over real HTTP (bench/lib/payload-http.ts) as the
 * org's admin with a JWT, exactly as /admin/inbox asks for them (50 a page, newest first, contacts
 * populated): BENCH_SIZE conversations (default 100,000) in one org, over a third of them unlinked, a fifth
 * closed, a tenth assigned to the admin, half by SMS, each with a contact or an address, seeded with
 * generate_series SQL and then VACUUM ANALYZE. Reads: the first page of open, unlinked, mine, closed, all
 * and SMS only; each BENCH_RUNS times (default 20) after one warm-up, p50 and p95.
 * Baseline in the same run: each page as one hand-written SQL statement on the same indexes.
 * Target: p95 < 300 ms for every read.
 * Last line: `bench:inbox: <worst p95> ms p95 (<ratio>x raw SQL <its p95> ms)`, ratio = raw / ours for that read.
 */
import { startBenchApp } from './lib/bench-app'
import { formatMs, keepAliveClient, latencyOf, verdict } from './lib/http-load'
import { releasePayloadPool, runMain } from './lib/run-main'

const N = Number(process.env.BENCH_SIZE || 100_000)
const RUNS = Number(process.env.BENCH_RUNS || 20)
const TARGET_MS = 300

const main = async () => {
  const { database, payload, server, pool } = await startBenchApp()
  const client = keepAliveClient(server.url, 1)
  const db = await pool.connect()
  try {
    console.log(`inbox: ${N} conversations in one org; ${database.kind} PostgreSQL; ${server.url}`)
    const org = (await payload.create({ collection: 'organizations', data: { name: 'Inbox Bench', slug: 'bench-inbox', postalAddress: '1 Bench Road' } })).id
    const admin = await payload.create({ collection: 'users', data: { email: 'admin@inbox-bench.example', password: 'bench-password', orgs: [{ org, roles: ['admin'] }] } })
    const t0 = performance.now()
    const contacts = Math.ceil((N * 2) / 3)
    await db.query(
      `INSERT INTO contacts (org_id, email, first_name, last_name, phone, created_at, updated_at)
       SELECT $1, 'person' || g || '@inbox.example', 'Person' || g, 'Bench', '+1415' || (2000000 + g), now(), now() FROM generate_series(1, $2) g`,
      [org, contacts],
    )
    await db.query(
      `INSERT INTO conversations (org_id, title, contact_id, address, status, assignee_id, last_message_at, unread, created_at, updated_at)
       SELECT $1, CASE WHEN g % 3 = 0 THEN '+1415' || (5000000 + g) ELSE 'Person ' || g END,
              CASE WHEN g % 3 = 0 THEN NULL ELSE c.id END,
              CASE WHEN g % 3 = 0 THEN '+1415' || (5000000 + g) ELSE 'person' || g || '@inbox.example' END,
              (CASE WHEN g % 5 = 0 THEN 'closed' ELSE 'open' END)::enum_conversations_status,
              CASE WHEN g % 10 = 1 THEN $3::int END,
              now() - make_interval(secs => g * 7), g % 4 = 0, now(), now()
         FROM generate_series(1, $2) g LEFT JOIN contacts c ON c.org_id = $1 AND c.email = 'person' || g || '@inbox.example'`,
      [org, N, admin.id],
    )
    await db.query(
      `INSERT INTO conversations_channels (parent_id, value, "order")
       SELECT id, (CASE WHEN id % 2 = 0 THEN 'sms' ELSE 'email' END)::enum_conversations_channels, 1 FROM conversations WHERE org_id = $1`,
      [org],
    )
    await db.query('VACUUM ANALYZE contacts, conversations, conversations_channels')
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

    const login = await client.request('POST', '/api/users/login', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@inbox-bench.example', password: 'bench-password' }) })
    const token = (JSON.parse(login.body.toString('utf8')) as { token: string }).token
    const page = (where: string) =>
      `SELECT cv.*, to_json(ct) AS contact FROM conversations cv LEFT JOIN contacts ct ON ct.id = cv.contact_id
        WHERE cv.org_id = ${org} ${where} ORDER BY cv.last_message_at DESC, cv.id DESC LIMIT 50`
    const list = (where: string) => `/conversations?${where}${where ? '&' : ''}sort=-lastMessageAt&limit=50&depth=1`
    const reads = [
      { name: 'open', path: list('where[and][0][status][equals]=open'), raw: page(`AND cv.status = 'open'`) },
      { name: 'unlinked', path: list('where[and][0][status][equals]=open&where[and][1][contact][exists]=false'), raw: page(`AND cv.status = 'open' AND cv.contact_id IS NULL`) },
      { name: 'assigned to me', path: list(`where[and][0][status][equals]=open&where[and][1][assignee][equals]=${admin.id}`), raw: page(`AND cv.status = 'open' AND cv.assignee_id = ${admin.id}`) },
      { name: 'closed', path: list('where[and][0][status][equals]=closed'), raw: page(`AND cv.status = 'closed'`) },
      { name: 'all', path: list(''), raw: page('') },
      {
        name: 'open, SMS only',
        path: list('where[and][0][status][equals]=open&where[and][1][channels][in]=sms'),
        raw: page(`AND cv.status = 'open' AND EXISTS (SELECT 1 FROM conversations_channels ch WHERE ch.parent_id = cv.id AND ch.value = 'sms')`),
      },
    ]
    let worst = { name: '', p95: 0, raw: 0 }
    let failures = 0
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
      if (mine.p95 >= TARGET_MS) failures += 1
      if (mine.p95 > worst.p95) worst = { name: read.name, p95: mine.p95, raw: base.p95 }
      console.log(`${read.name.padEnd(18)} p50 ${formatMs(mine.p50).padStart(8)}  p95 ${formatMs(mine.p95).padStart(8)}  raw SQL p95 ${formatMs(base.p95).padStart(8)}  (${body.docs.length} rows of ${body.totalDocs})`)
    }
    console.log(`target p95 < ${TARGET_MS} ms for every read: ${verdict(failures === 0)} (slowest: ${worst.name})`)
    console.log(`bench:inbox: ${Math.round(worst.p95)} ms p95 (${(worst.raw / worst.p95).toFixed(2)}x raw SQL ${formatMs(worst.raw)})`)
  } finally {
    db.release()
    client.close()
    await server.close()
    releasePayloadPool(payload)
    await database.drop()
  }
}

void runMain(main)
