/**
 * npm run bench:agenda — the bookings calendar's read (GET /api/bookings/agenda) over real HTTP as an org
 * member with a JWT: BENCH_SIZE bookings (default 5,000) in one month of one org (20 staff members, a
 * contact and two attendees each), 4 × that spread over the two years around it, and another org's
 * bookings in the same month; seeded with SQL, then VACUUM ANALYZE. The month's read (every booking of
 * the month, cancelled ones too) BENCH_RUNS times (default 30) after one warm-up: p50 and p95; also one
 * staff member's week.
 * Baseline in the same run: the same rows as one hand-written SQL statement on the same indexes, over
 * the same pool (no HTTP, no access check, no JSON written by the server), p95 over the same runs; and,
 * for reference, Payload's own REST find of the same bookings (depth 0, in pages of 1,000: its cap here).
 * Target: p95 < 300 ms for the month. Database: a fresh one on BENCH_DATABASE_URL's (or
 * TEST_DATABASE_URL's) server, else embedded.
 * Last line: `bench:agenda: <p95> ms p95 (<ratio>x raw SQL <its p95> ms)`, ratio = raw / ours.
 */
import { startBenchApp } from './lib/bench-app'
import { formatMs, keepAliveClient, latencyOf, verdict } from './lib/http-load'
import { releasePayloadPool, runMain } from './lib/run-main'

const N = Number(process.env.BENCH_SIZE || 5_000)
const RUNS = Number(process.env.BENCH_RUNS || 30)
const TARGET_MS = 300
const MONTH_START = '2027-03-01T00:00:00Z'
const MONTH_END = '2027-04-01T00:00:00Z'

const main = async () => {
  const { database, payload, server, pool } = await startBenchApp()
  const client = keepAliveClient(server.url, 1)
  const db = await pool.connect()
  try {
    console.log(`agenda: ${N} bookings in March 2027 for one org (+${4 * N} around it, +${N} in another org); ${database.kind} PostgreSQL; ${server.url}`)
    const org = (await payload.create({ collection: 'organizations', data: { name: 'Bench Org', slug: 'bench-agenda', postalAddress: '1 Bench Road' } })).id
    const other = (await payload.create({ collection: 'organizations', data: { name: 'Other Org', slug: 'bench-agenda-other', postalAddress: '2 Bench Road' } })).id
    const staff: number[] = []
    for (let i = 0; i < 20; i++) {
      staff.push((await payload.create({ collection: 'users', data: { email: `staff${i}@bench.example`, name: `Staff ${i}`, password: 'bench-password', orgs: [{ org, roles: ['sender'] }] } })).id)
    }
    const otherStaff = (await payload.create({ collection: 'users', data: { email: 'other@bench.example', password: 'bench-password', orgs: [{ org: other, roles: ['sender'] }] } })).id
    const t0 = performance.now()
    await db.query(
      `INSERT INTO contacts (org_id, email, first_name, created_at, updated_at) SELECT $1, 'c' || g || '@bench.example', 'Contact ' || g, now(), now() FROM generate_series(1, 2000) g`,
      [org],
    )
    // Bookings: `count` from `startAt` spread evenly over `spanDays`, 30–90 minutes long, every 10th cancelled.
    const seed = async (orgID: number, owners: number[], count: number, startAt: string, spanDays: number, offset: number) => {
      await db.query(
        `INSERT INTO bookings (org_id, title, start, "end", time_zone, owner_id, location, status, sequence, send_invitations, created_at, updated_at)
         SELECT $1, 'Booking ' || (g + $6), ts, ts + make_interval(mins => 30 + (g % 3) * 30), 'Europe/London', ($2::int[])[1 + g % array_length($2::int[], 1)],
                CASE WHEN g % 2 = 0 THEN 'Room ' || (g % 7) END,
                (CASE WHEN g % 10 = 0 THEN 'cancelled' WHEN g % 7 = 0 THEN 'rescheduled' ELSE 'scheduled' END)::enum_bookings_status, 0, false, now(), now()
           FROM generate_series(1, $3::int) g, LATERAL (SELECT $4::timestamptz + (g::float8 / $3::int) * make_interval(days => $5::int) AS ts) t`,
        [orgID, owners, count, startAt, spanDays, offset],
      )
    }
    await seed(org, staff, N, MONTH_START, 31, 0)
    await seed(org, staff, 2 * N, '2026-03-01T00:00:00Z', 365, N)
    await seed(org, staff, 2 * N, '2027-04-01T00:00:00Z', 365, 3 * N)
    await seed(other, [otherStaff], N, MONTH_START, 31, 5 * N)
    await db.query(
      `INSERT INTO bookings_rels ("order", parent_id, path, contacts_id)
       SELECT 1, b.id, 'contacts', c.id FROM bookings b JOIN LATERAL (SELECT id FROM contacts WHERE org_id = $1 ORDER BY id OFFSET (b.id % 2000) LIMIT 1) c ON true WHERE b.org_id = $1`,
      [org],
    )
    await db.query(
      `INSERT INTO bookings_attendees (_order, _parent_id, id, email, name, optional, response)
       SELECT n, b.id, md5(b.id || ':' || n), 'guest' || n || '-' || b.id || '@example.com', 'Guest ' || n, n = 2, 'needs-action'
         FROM bookings b CROSS JOIN generate_series(1, 2) n WHERE b.org_id = $1`,
      [org],
    )
    await db.query('VACUUM ANALYZE bookings, bookings_rels, bookings_attendees, contacts')
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

    const login = await client.request('POST', '/api/users/login', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'staff0@bench.example', password: 'bench-password' }) })
    const token = (JSON.parse(login.body.toString('utf8')) as { token: string }).token
    const headers = { authorization: `JWT ${token}` }
    const timed = async (path: string, check: (body: unknown) => void) => {
      const first = await client.request('GET', path, { headers })
      if (first.status !== 200) throw new Error(`${path} answered ${first.status}: ${first.body.toString('utf8').slice(0, 300)}`)
      check(JSON.parse(first.body.toString('utf8')))
      const times: number[] = []
      for (let i = 0; i < RUNS; i++) times.push((await client.request('GET', path, { headers })).ms)
      return latencyOf(times)
    }

    const month = await timed(`/api/bookings/agenda?org=${org}&from=${MONTH_START}&to=${MONTH_END}&cancelled=1`, (body) => {
      const agenda = body as { bookings: { id: number }[]; truncated: boolean }
      // Every booking of the month (and the one that started in February and runs into March, if any), none of the other org's.
      if (agenda.bookings.length < N || agenda.bookings.length > N + 2 || agenda.truncated) throw new Error(`the month's read returned ${agenda.bookings.length} bookings, expected ${N}`)
    })
    const week = await timed(`/api/bookings/agenda?org=${org}&from=2027-03-08T00:00:00Z&to=2027-03-15T00:00:00Z&owner=${staff[3]}`, (body) => {
      if (!(body as { bookings: unknown[] }).bookings.length) throw new Error('the staff member’s week is empty')
    })
    const rawSQL = `SELECT b.id, b.title, b.start, b."end", b.time_zone, b.status, b.location, b.video_link, u.id AS owner_id, u.name, u.email,
                           (SELECT count(*) FROM bookings_rels r WHERE r.parent_id = b.id AND r.path = 'contacts') AS contacts,
                           (SELECT count(*) FROM bookings_attendees a WHERE a._parent_id = b.id) AS attendees
                      FROM bookings b LEFT JOIN users u ON u.id = b.owner_id
                     WHERE b.org_id = $1 AND b.start < $3 AND b."end" > $2 ORDER BY b.start, b.id LIMIT 10001`
    await db.query(rawSQL, [org, MONTH_START, MONTH_END])
    const raw: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now()
      await db.query(rawSQL, [org, MONTH_START, MONTH_END])
      raw.push(performance.now() - t)
    }
    const base = latencyOf(raw)
    // Payload's REST find answers at most 1,000 rows a request here (request-guards): the month in pages.
    const pages = Math.ceil(N / 1000)
    const findTimes: number[] = []
    for (let i = 0; i < Math.min(RUNS, 5); i++) {
      const t = performance.now()
      let rows = 0
      for (let page = 1; page <= pages; page++) {
        const res = await client.request('GET', `/api/bookings?depth=0&limit=1000&page=${page}&where[and][0][start][less_than]=${MONTH_END}&where[and][1][end][greater_than]=${MONTH_START}&where[and][2][org][equals]=${org}`, { headers })
        if (res.status !== 200) throw new Error(`Payload's find answered ${res.status}`)
        rows += (JSON.parse(res.body.toString('utf8')) as { docs: unknown[] }).docs.length
      }
      if (rows < N) throw new Error(`Payload's find returned ${rows} bookings, fewer than the month's ${N}`)
      findTimes.push(performance.now() - t)
    }
    const find = latencyOf(findTimes)
    console.log(`month (${N} bookings)        p50 ${formatMs(month.p50).padStart(8)}  p95 ${formatMs(month.p95).padStart(8)}`)
    console.log(`one staff member's week      p50 ${formatMs(week.p50).padStart(8)}  p95 ${formatMs(week.p95).padStart(8)}`)
    console.log(`raw SQL, the month's rows    p50 ${formatMs(base.p50).padStart(8)}  p95 ${formatMs(base.p95).padStart(8)}`)
    console.log(`Payload REST find, ${pages} pages (reference) p50 ${formatMs(find.p50).padStart(8)}  p95 ${formatMs(find.p95).padStart(8)}`)
    console.log(`target p95 < ${TARGET_MS} ms for the month: ${verdict(month.p95 < TARGET_MS)}`)
    console.log(`bench:agenda: ${Math.round(month.p95)} ms p95 (${(base.p95 / month.p95).toFixed(2)}x raw SQL ${formatMs(base.p95)})`)
  } finally {
    db.release()
    client.close()
    await server.close()
    releasePayloadPool(payload)
    await database.drop()
  }
}

runMain(main)
