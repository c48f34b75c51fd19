/**
 * npm run bench:calendar — writing BENCH_SIZE bookings (default 1,000) into a connected Google calendar, as
 * users run it: one org whose staff member has connected their calendar (tokens obtained from the fake by
 * the OAuth code flow with PKCE, stored Fernet-encrypted on a connection row made with payload.create);
 * the bookings are made with payload.create (sendInvitations off; a contact and a free address as
 * attendees, two reminders, a location), so each save's afterChange hook queues its `booking_syncs` row
 * (and a `syncBookingCalendars` trigger unless one is waiting: here one for all). They are all made in ONE
 * transaction, committed once the
 * workers run: the backlog appears at once (creation is timed apart and is not in the figure). Then
 * BENCH_WORKERS (2) real `npm run worker` processes at their default settings (poll 1 s; a trigger drains
 * the due rows in claimed batches of 20 calls in flight) claim the trigger and write every booking
 * through `googleapis` into a loopback fake of
 * Google Calendar v3 + OAuth in its own child process (this file, started with `fake`). Timed from the
 * commit until every sync row is `synced` (polled in the database); the fake must then hold exactly
 * BENCH_SIZE events, one per booking under its derived id. Figure: events/s.
 * Baseline, same run, same fake: the bare `googleapis` client (one OAuth2Client holding the same access
 * token, `google.calendar({ version: 'v3', rootUrl, auth })`) inserting the same BENCH_SIZE event bodies
 * (summary, location, start/end with timeZone, attendees, reminders, a client-supplied id; sendUpdates
 * none; bodies built before timing) with 20 requests in flight (the workers' most: 2 × WORKER_JOB_LIMIT 10).
 * Each path also prints its CPU time per event by process (workers, PostgreSQL backends of this database,
 * the fake, the client) from /proc and how busy the whole machine was: what an event costs, apart from
 * how much CPU the machine had to give. Target: ≥ 0.5× the bare client.
 * Database: a fresh one on BENCH_DATABASE_URL's (or TEST_DATABASE_URL's) server, else embedded.
 * Last line: `bench:calendar: <ours> events/s (<ratio>x bare googleapis <baseline> events/s)`, ratio = ours / bare.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'

import { googleEventID } from '../src/services/bookings/calendar-event-ids'
import { toGoogleReminders } from '../src/services/bookings/map-reminders'
import { type GoogleEvent, pkceChallenge, startGoogleCalendarFake } from '../tests/fakes/google-calendar-fake'
import { createTestDatabase } from '../tests/helpers/test-database'
import { TEST_ENV } from '../tests/helpers/test-env'
import { startWorkerProcess, type WorkerProcess } from '../tests/helpers/worker-process'
import { runConcurrently, verdict } from './lib/http-load'
import { releasePayloadPool, runMain } from './lib/run-main'

const N = Number(process.env.BENCH_SIZE || 1_000)
const WORKERS = Number(process.env.BENCH_WORKERS || 2)
/** WORKER_JOB_LIMIT's default (src/jobs/worker.ts): the most jobs a worker runs at once; the baseline's in-flight requests are the workers' most. Ours: a batch of SYNC_BATCH (20) calls. */
const JOBS_PER_WORKER = 10
const IN_FLIGHT = WORKERS * JOBS_PER_WORKER
const TARGET = 0.5
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_SECONDS || 600) * 1000
const CLIENT_ID = 'outpost-bench.apps.googleusercontent.com'
const CLIENT_SECRET = 'bench-google-secret'
const ACCOUNT = 'staff@calendar-bench.example'
const TIME_ZONE = 'Europe/London'
const CONTACTS = 50
const REMINDERS = [
  { method: 'popup' as const, minutesBefore: 10 },
  { method: 'email' as const, minutesBefore: 1440 },
]

type FakeStats = { events: { id: string; summary: string; status: string }[]; inserts: number; patches: number; tokenGrants: number }
type FakeChild = { pid: number; url: string; authUrl: string; tokenUrl: string; stats: () => Promise<FakeStats>; event: (id: string) => Promise<GoogleEvent | null>; stop: () => void }

const rate = (count: number, seconds: number) => Math.round(count / seconds)

/** CPU seconds a process has used (user + system, from /proc; 0 where there is none). */
const cpuSecondsOf = (pid: number): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}

/** CPU seconds used by the PostgreSQL backends serving `database` (a local server; 0 elsewhere). */
const postgresSecondsOf = (database: string): number => {
  let sum = 0
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${database} `)) sum += cpuSecondsOf(Number(pid))
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    return 0
  }
  return sum
}

/** The machine's busy and total CPU time so far (/proc/stat), to tell how contended a phase was. */
const machineTicks = (): { busy: number; total: number } => {
  try {
    const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/)
    const n = values.map(Number)
    const total = n.slice(0, 8).reduce((a, b) => a + b, 0)
    return { busy: total - n[3]! - n[4]!, total }
  } catch {
    return { busy: 0, total: 0 }
  }
}

/** CPU use over a phase: each process's ms of CPU per event, and how busy the whole machine was. */
const cpuMeter = (processes: Record<string, () => number>) => {
  const start = Object.fromEntries(Object.entries(processes).map(([name, read]) => [name, read()]))
  const machine = machineTicks()
  return (events: number) => {
    const now = machineTicks()
    const parts = Object.entries(processes).map(([name, read]) => `${name} ${(((read() - start[name]!) * 1000) / events).toFixed(1)}`)
    const busy = now.total > machine.total ? Math.round(((now.busy - machine.busy) / (now.total - machine.total)) * 100) : NaN
    return `CPU ms per event: ${parts.join(', ')}; machine ${busy}% busy (${availableParallelism()} CPUs)`
  }
}

// ---- The fake's process: `tsx bench/calendar-sync.ts fake` (forked below), answering over IPC. ----

const fakeMain = async () => {
  const fake = await startGoogleCalendarFake({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, email: ACCOUNT, timeZone: TIME_ZONE })
  process.on('message', (m: { kind: string; id?: string }) => {
    if (m.kind === 'stats') {
      let inserts = 0
      let patches = 0
      let tokenGrants = 0
      for (const r of fake.requests) {
        if (r.method === 'POST' && r.path.endsWith('/events')) inserts += 1
        else if (r.method === 'PATCH') patches += 1
        else if (r.path === '/token') tokenGrants += 1
      }
      const events = fake.events('primary').map((e) => ({ id: e.id, summary: String(e.summary), status: e.status }))
      process.send!({ kind: 'stats', events, inserts, patches, tokenGrants })
    } else if (m.kind === 'event') {
      process.send!({ kind: 'event', event: fake.events('primary').find((e) => e.id === m.id) ?? null })
    }
  })
  process.on('disconnect', () => process.exit(0))
  process.send!({ kind: 'ready', url: fake.url, authUrl: fake.authUrl, tokenUrl: fake.tokenUrl })
}

/** This file again, as the fake's own process (its CPU is not the measuring process's). */
const startFakeChild = (): Promise<FakeChild> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = fork(import.meta.filename, ['fake'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the Google Calendar fake exited with ${code}`)))
    const ask = <T>(message: { kind: string; id?: string }): Promise<T> =>
      new Promise((done) => {
        const onMessage = (m: { kind: string }) => {
          if (m.kind !== message.kind) return
          child.off('message', onMessage)
          done(m as T)
        }
        child.on('message', onMessage)
        child.send(message)
      })
    child.once('message', (m: { kind: string; url: string; authUrl: string; tokenUrl: string }) =>
      resolve({
        pid: child.pid!,
        url: m.url,
        authUrl: m.authUrl,
        tokenUrl: m.tokenUrl,
        stats: () => ask<FakeStats>({ kind: 'stats' }),
        event: async (id) => (await ask<{ event: GoogleEvent | null }>({ kind: 'event', id })).event,
        stop: () => child.kill(),
      }),
    )
  })

/** The OAuth code flow with PKCE against the fake, as our connect endpoint and callback run it: consent → Allow → code → tokens. */
const obtainTokens = async (fake: FakeChild) => {
  const verifier = randomBytes(32).toString('base64url')
  const redirectUri = 'http://localhost:3000/api/calendar-connections/callback/google'
  const authorize = new URL(fake.authUrl)
  for (const [key, value] of Object.entries({
    client_id: CLIENT_ID,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'https://www.googleapis.com/auth/calendar.events https://www.googleapis.com/auth/calendar.readonly',
    code_challenge: pkceChallenge(verifier),
    code_challenge_method: 'S256',
    access_type: 'offline',
    prompt: 'consent',
    state: 'bench',
  }))
    authorize.searchParams.set(key, value)
  const consent = await (await fetch(authorize)).text()
  const allow = /id="allow" href="([^"]+)"/.exec(consent)?.[1]
  if (!allow) throw new Error(`the fake's consent page has no Allow link: ${consent.slice(0, 300)}`)
  const code = new URL(allow.replace(/&amp;/g, '&')).searchParams.get('code')!
  const res = await fetch(fake.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }).toString(),
  })
  const body = (await res.json()) as { access_token?: string; refresh_token?: string; expires_in?: number }
  if (!res.ok || !body.access_token || !body.refresh_token) throw new Error(`the fake's token endpoint answered ${res.status}: ${JSON.stringify(body)}`)
  return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresAt: new Date(Date.now() + (body.expires_in ?? 3599) * 1000) }
}

/** Polls the sync rows until all `count` are `synced` (any `failed` one, or the timeout, fails the run). */
const waitUntilSynced = async (query: (sql: string) => Promise<{ rows: Record<string, string>[] }>, count: number, since: number, workers: WorkerProcess[]): Promise<number> => {
  for (;;) {
    const { rows } = await query(`SELECT status::text AS status, count(*)::int AS n, max(last_error) AS error FROM booking_syncs GROUP BY status`)
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
    if (by.failed) throw new Error(`${by.failed} sync(s) failed: ${rows.find((r) => r.status === 'failed')?.error}`)
    if ((by.synced ?? 0) === count) return (performance.now() - since) / 1000
    if (performance.now() - since > TIMEOUT_MS) {
      throw new Error(`not every sync was done after ${TIMEOUT_MS / 1000} s: ${JSON.stringify(by)}\n${workers.map((w) => w.log().slice(-1500)).join('\n---\n')}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

const main = async () => {
  if (!process.env.TEST_DATABASE_URL && process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL
  const database = await createTestDatabase()
  let workers: WorkerProcess[] = []
  const cleanup: (() => void)[] = []
  try {
    const fake = await startFakeChild()
    cleanup.push(() => fake.stop())
    Object.assign(process.env, TEST_ENV, {
      DATABASE_URL: database.url,
      LOG_LEVEL: 'error',
      GOOGLE_CLIENT_ID: CLIENT_ID,
      GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
      GOOGLE_OAUTH_AUTHORIZE_URL: fake.authUrl,
      GOOGLE_OAUTH_TOKEN_URL: fake.tokenUrl,
      GOOGLE_CALENDAR_ROOT_URL: fake.url,
    })
    const [{ getPayload, createLocalReq, initTransaction, commitTransaction, killTransaction }, { default: config }, { encryptSecret }, { dbPool }, { google }] = await Promise.all([
      import('payload'),
      import('../payload.config'),
      import('../src/services/crypto/secrets'),
      import('../src/db/pool'),
      import('googleapis'),
    ])
    const payload = await getPayload({ config })
    cleanup.push(() => releasePayloadPool(payload))
    const pool = dbPool(payload)
    const query = (sql: string, params: unknown[] = []) => pool.query(sql, params)
    console.log(`calendar sync: ${N} bookings → one connected Google calendar; ${WORKERS} workers (up to ${JOBS_PER_WORKER} jobs each; a sync batch has 20 calls in flight), baseline ${IN_FLIGHT} in flight; ${database.kind} PostgreSQL; Google fake in a child process`)
    const org = (await payload.create({ collection: 'organizations', data: { name: 'Bench Calendar Org', slug: 'bench-calendar', postalAddress: '1 Bench Road', timeZone: TIME_ZONE } as never })).id
    const staff = (await payload.create({ collection: 'users', data: { email: 'staff@calendar-bench.example', name: 'Sam Staff', password: 'bench-password', orgs: [{ org, roles: ['sender'] }] } })).id
    const contacts: { id: number; email: string; name: string }[] = []
    for (let i = 0; i < CONTACTS; i++) {
      const email = `guest${i}@contacts.example`
      const doc = await payload.create({ collection: 'contacts', data: { org, email, firstName: `Guest${i}`, lastName: 'Bench' } as never })
      contacts.push({ id: doc.id, email, name: `Guest${i} Bench` })
    }
    const tokens = await obtainTokens(fake)
    const connection = (
      await payload.create({
        collection: 'calendar-connections',
        data: {
          org,
          provider: 'google',
          accountEmail: ACCOUNT,
          owner: staff,
          shared: false,
          calendarID: 'primary',
          status: 'connected',
          accessTokenEncrypted: encryptSecret(tokens.accessToken),
          refreshTokenEncrypted: encryptSecret(tokens.refreshToken),
          accessTokenExpiresAt: tokens.expiresAt.toISOString(),
        },
      })
    ).id

    // The bookings: an hour apart (no overlaps), as a member's saves make them, in one transaction held open.
    const base = Date.UTC(2027, 2, 1, 8)
    const booking = (i: number) => ({
      title: `Bench booking ${i + 1}`,
      start: new Date(base + i * 3_600_000).toISOString(),
      end: new Date(base + i * 3_600_000 + 45 * 60_000).toISOString(),
      location: `Room ${(i % 7) + 1}`,
      contact: contacts[i % CONTACTS]!,
      guest: `visitor${i + 1}@guests.example`,
    })
    const req = await createLocalReq({}, payload)
    await initTransaction(req)
    const created: number[] = []
    const tCreate = performance.now()
    try {
      for (let i = 0; i < N; i++) {
        const b = booking(i)
        const doc = await payload.create({
          collection: 'bookings',
          req,
          data: {
            org,
            owner: staff,
            title: b.title,
            start: b.start,
            end: b.end,
            timeZone: TIME_ZONE,
            location: b.location,
            sendInvitations: false,
            attendees: [{ contact: b.contact.id }, { email: b.guest, optional: true }],
            reminders: REMINDERS,
          } as never,
        })
        created.push(doc.id)
      }
    } catch (error) {
      await killTransaction(req)
      throw error
    }
    const createSeconds = (performance.now() - tCreate) / 1000
    console.log(`${N} bookings made with payload.create (each save queues its sync row; one trigger) in ${createSeconds.toFixed(1)} s = ${rate(N, createSeconds)} bookings/s (not in the figure)`)

    workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorkerProcess({ DATABASE_URL: database.url })))
    const workersCPU = () => workers.reduce((sum, w) => sum + cpuSecondsOf(w.child.pid!), 0)
    const fakeCPU = () => cpuSecondsOf(fake.pid)
    const databaseName = new URL(database.url).pathname.slice(1)
    const postgresCPU = () => postgresSecondsOf(databaseName)
    const ourMeter = cpuMeter({ workers: workersCPU, PostgreSQL: postgresCPU, fake: fakeCPU, 'this process (polling)': () => process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 })
    const t0 = performance.now()
    const committedAt = Date.now()
    await commitTransaction(req)
    const { rows: queued } = await query(
      `SELECT (SELECT count(*)::int FROM booking_syncs) AS syncs, (SELECT count(*)::int FROM payload_jobs WHERE task_slug = 'syncBookingCalendars') AS jobs`,
    )
    if (queued[0]!.syncs !== N) throw new Error(`expected ${N} sync rows after the saves, got ${queued[0]!.syncs}`)
    const seconds = await waitUntilSynced(query, N, t0, workers)
    const ours = rate(N, seconds)
    const ourCPU = ourMeter(N)
    const stats = await fake.stats()
    const expected = new Set(created.map((id) => googleEventID({ org, id }, connection)))
    const live = stats.events.filter((e) => e.status !== 'cancelled')
    const distinct = new Set(live.map((e) => e.summary))
    if (live.length !== N || distinct.size !== N || live.some((e) => !expected.has(e.id))) {
      throw new Error(`the fake holds ${live.length} events (${distinct.size} distinct titles, ${live.filter((e) => !expected.has(e.id)).length} under an unexpected id); expected exactly ${N}`)
    }
    const { rows: spread } = await query(
      `SELECT (extract(epoch FROM min(last_synced_at)) * 1000)::float8 AS first, extract(epoch FROM max(last_synced_at) - min(last_synced_at))::float8 AS span FROM booking_syncs`,
    )
    console.log(
      `Outpost: ${N} events written ${seconds.toFixed(2)} s after the commit = ${ours} events/s (${queued[0]!.jobs} jobs queued; the fake saw ${stats.inserts} inserts, ${stats.patches} patches, ${stats.tokenGrants} token grants; first write ${((Number(spread[0]!.first) - committedAt) / 1000).toFixed(2)} s after the commit, first to last ${Number(spread[0]!.span).toFixed(2)} s); ${N} events, no duplicates`,
    )
    console.log(`  ${ourCPU}`)

    // The bare client: the same bodies (built as src/integrations/calendar/google-calendar.ts builds them), other ids.
    const bodies = created.map((id, i) => {
      const b = booking(i)
      return {
        id: googleEventID({ org, id }, 'bare'),
        summary: b.title,
        location: b.location,
        start: { dateTime: b.start, timeZone: TIME_ZONE },
        end: { dateTime: b.end, timeZone: TIME_ZONE },
        attendees: [
          { email: b.contact.email, displayName: b.contact.name, optional: false },
          { email: b.guest, optional: true },
        ],
        reminders: toGoogleReminders(REMINDERS).reminders,
      }
    })
    const auth = new google.auth.OAuth2({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, endpoints: { oauth2TokenUrl: fake.tokenUrl } })
    auth.setCredentials({ access_token: tokens.accessToken, refresh_token: tokens.refreshToken, expiry_date: tokens.expiresAt.getTime() })
    const calendar = google.calendar({ version: 'v3', rootUrl: fake.url, auth })
    const bareMeter = cpuMeter({ 'bare client': () => process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6, fake: fakeCPU, 'workers (idle)': workersCPU, PostgreSQL: postgresCPU })
    const tBare = performance.now()
    await runConcurrently(N, IN_FLIGHT, async (i) => {
      const res = await calendar.events.insert({ calendarId: 'primary', sendUpdates: 'none', requestBody: bodies[i] })
      if (res.status !== 200) throw new Error(`the fake answered ${res.status}`)
    })
    const bareSeconds = (performance.now() - tBare) / 1000
    const bare = rate(N, bareSeconds)
    const bareCPU = bareMeter(N)
    const after = await fake.stats()
    if (after.events.length !== 2 * N) throw new Error(`after the bare client the fake holds ${after.events.length} events, expected ${2 * N}`)
    // Same bodies: what the fake stored for booking 1 from each path is the same event but for its id and stamps.
    const shape = (e: GoogleEvent | null) => JSON.stringify(e && { summary: e.summary, location: e.location, start: e.start, end: e.end, attendees: e.attendees, reminders: e.reminders, description: e.description })
    const [ourFirst, bareFirst] = await Promise.all([fake.event(googleEventID({ org, id: created[0]! }, connection)), fake.event(bodies[0]!.id)])
    if (shape(ourFirst) !== shape(bareFirst)) throw new Error(`the bare client's event differs from ours:\n${shape(ourFirst)}\n${shape(bareFirst)}`)
    console.log(`bare googleapis (one client, ${IN_FLIGHT} in flight): ${N} events in ${bareSeconds.toFixed(2)} s = ${bare} events/s`)
    console.log(`  ${bareCPU}`)
    const ratio = ours / bare
    console.log(`target ≥ ${TARGET}x the bare client: ${verdict(ratio >= TARGET)}`)
    console.log(`bench:calendar: ${ours} events/s (${ratio.toFixed(2)}x bare googleapis ${bare} events/s)`)
  } finally {
    for (const worker of workers) worker.child.kill('SIGKILL')
    for (const step of cleanup) step()
    await database.drop()
  }
}

if (process.argv[2] === 'fake') {
  fakeMain().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
} else void runMain(main)
