/**
 * The web process's graceful stop, with real processes: a production server (`next start`, the same
 * build as the other browser tests, on the same database) gets SIGTERM while a request is in flight.
 * It stops accepting connections at once, finishes that request (its answer arrives whole), and exits.
 * The request is made slow for real: the test holds a lock on `contacts` that the list read waits for.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import net from 'node:net'

import pg from 'pg'
import { afterAll, describe, expect, inject, it } from 'vitest'

import { TEST_ENV } from '../helpers/test-env'

const databaseURL = inject('e2eDatabaseURL')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
let server: ChildProcess | undefined
let locker: pg.Client | undefined

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })

afterAll(async () => {
  server?.kill('SIGKILL')
  await locker?.query('ROLLBACK').catch(() => {})
  await locker?.end().catch(() => {})
})

describe('the web process on SIGTERM', () => {
  it('refuses new connections, finishes the request in flight and exits', async () => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    server = spawn('node_modules/.bin/next', ['start', '-p', String(port), '-H', '127.0.0.1'], {
      env: { ...process.env, ...TEST_ENV, NODE_ENV: 'production', DATABASE_URL: databaseURL, SITE_URL: base, LOG_LEVEL: 'error', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)))
    for (let tries = 0; ; tries++) {
      const ok = await fetch(`${base}/api/health/ready`).then((r) => r.ok, () => false)
      if (ok) break
      if (tries > 240) throw new Error('next start did not become ready')
      await sleep(250)
    }
    const login = await fetch(`${base}/api/users/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.test', password: 'demo-password' }) })
    const { token } = (await login.json()) as { token: string }

    locker = new pg.Client({ connectionString: databaseURL })
    await locker.connect()
    await locker.query('BEGIN')
    await locker.query('LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE')
    const inFlight = fetch(`${base}/api/contacts?limit=3&depth=0`, { headers: { authorization: `JWT ${token}` } })
    // The request is waiting on the lock inside PostgreSQL.
    for (let tries = 0; ; tries++) {
      const { rows } = await locker.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`)
      if (rows[0]!.n > 0) break
      if (tries > 200) throw new Error('the request never reached the database')
      await sleep(50)
    }

    const stoppedAt = Date.now()
    server.kill('SIGTERM')
    await sleep(500)
    // No new connection is accepted any more…
    const late = await fetch(`${base}/api/health`).then((r) => r.status, (error: Error) => error.cause ?? error)
    expect(late).not.toBe(200)
    // …but the one in flight is served to the end once the lock goes.
    await locker.query('ROLLBACK')
    const answer = await inFlight
    expect(answer.status).toBe(200)
    const body = (await answer.json()) as { docs: unknown[] }
    expect(body.docs.length).toBeGreaterThan(0)
    // Next exits with 143 (128 + SIGTERM) once it has drained, as orchestrators expect of a stopped process.
    expect([0, 143]).toContain(await exited)
    expect(Date.now() - stoppedAt).toBeLessThan(20_000)
    server = undefined
  })
})
