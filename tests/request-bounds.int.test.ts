/**
 * Bounded work (issue 20): a request's statement past its timeout is a 503 with Retry-After and is gone
 * from pg_stat_activity; a request whose client went away has its statement cancelled; the webhook and
 * one-click unsubscribes answer while every ordinary connection is busy. A lock held by the test on
 * `contacts` makes the list reads slow for real (they wait on it, as a slow plan would run).
 * PostgreSQL server only: the embedded PGlite has one backend, no timers and no cancelling.
 */
import { randomBytes } from 'node:crypto'

import pg from 'pg'
import type { Payload } from 'payload'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { dbPool } from '@/db/pool'
import { createUnsubscribeToken } from '@/services/unsubscribe/unsubscribe-token'

import { anonymous, type ApiClient, findOrgID, getTestPayload, loginAs } from './helpers/app'
import { TEST_ENV } from './helpers/test-env'

const isEmbedded = !process.env.TEST_DATABASE_URL
let payload: Payload
let admin: ApiClient
let locker: pg.Client
let org: number
const saved = { timeout: process.env.DB_STATEMENT_TIMEOUT_SECONDS, token: process.env.METRICS_TOKEN }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Statements of the app's connections waiting on the test's lock. (A statement blocked while it is
 * parsed shows `idle` as its state but `Lock` as what it waits for.)
 */
const waitingOnLock = async (): Promise<number> => {
  const { rows } = await locker.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
  )
  return rows[0]!.n
}
const waitFor = async (check: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await sleep(50)
  }
}
const lockContacts = async () => {
  await locker.query('BEGIN')
  await locker.query('LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE')
}
const unlock = () => locker.query('ROLLBACK')

describe.skipIf(isEmbedded)('bounded request work', () => {
  beforeAll(async () => {
    payload = await getTestPayload()
    admin = await loginAs('admin@demo.test')
    org = await findOrgID(payload, 'demo-org')
    const options = (payload.db as unknown as { poolOptions: pg.PoolConfig }).poolOptions
    locker = new pg.Client({ connectionString: String(options.connectionString) })
    await locker.connect()
  })
  afterEach(async () => {
    await locker.query('ROLLBACK').catch(() => {})
    process.env.DB_STATEMENT_TIMEOUT_SECONDS = saved.timeout
    if (saved.timeout === undefined) delete process.env.DB_STATEMENT_TIMEOUT_SECONDS
  })
  afterAll(async () => {
    if (saved.token === undefined) delete process.env.METRICS_TOKEN
    else process.env.METRICS_TOKEN = saved.token
    await locker?.end()
  })

  it('a statement past the timeout answers 503 with Retry-After, leaves nothing running and is counted', async () => {
    process.env.DB_STATEMENT_TIMEOUT_SECONDS = '1'
    await lockContacts()
    const started = Date.now()
    const res = await admin.get(`/contacts?where[org][equals]=${org}&sort=firstName&limit=5`)
    const took = Date.now() - started
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
    expect(res.body.errors[0]).toEqual({ code: 'STATEMENT_TIMEOUT', message: expect.stringMatching(/took longer than this request may \(1 s\): try again/) })
    expect(took).toBeGreaterThanOrEqual(900)
    expect(took).toBeLessThan(5000)
    // Nothing of it still runs although the lock is still held.
    expect(await waitingOnLock()).toBe(0)

    // GraphQL says the same in its error.
    const gql = await admin.gql(`{ Contacts(limit: 5, sort: "lastName") { docs { id } } }`)
    expect(gql.body.errors?.[0]?.extensions).toEqual(expect.objectContaining({ statusCode: 503, code: 'STATEMENT_TIMEOUT' }))
    expect(await waitingOnLock()).toBe(0)
    await unlock()

    // The same request answers once the table is free, and the timeouts are counted by route.
    expect((await admin.get(`/contacts?where[org][equals]=${org}&sort=firstName&limit=5`)).status).toBe(200)
    process.env.METRICS_TOKEN = 'bounds-test-token'
    const metrics = await anonymous().get('/metrics', { headers: { authorization: 'Bearer bounds-test-token' } })
    expect(metrics.status).toBe(200)
    expect(String(metrics.body)).toMatch(/^outpost_statement_timeouts_total\{route="GET \/api\/contacts"\} [1-9]\d*$/m)
    expect(String(metrics.body)).toMatch(/^outpost_statement_timeouts_total\{route="POST \/api\/graphql"\} [1-9]\d*$/m)
  })

  it('the statement of a request whose client went away is cancelled, checked in pg_stat_activity', async () => {
    process.env.DB_STATEMENT_TIMEOUT_SECONDS = '60'
    await lockContacts()
    const client = new AbortController()
    const pending = admin.get(`/contacts?where[org][equals]=${org}&sort=lastName&limit=5`, { signal: client.signal })
    // Payload reads the page and its count at once: one or two statements wait.
    await waitFor(async () => (await waitingOnLock()) >= 1)
    client.abort()
    // Gone within moments, while the lock it waited for is still held: cancelled, not finished.
    await waitFor(async () => (await waitingOnLock()) === 0, 3000)
    const answer = await pending.catch((error: unknown) => error as Error)
    if (!(answer instanceof Error)) expect(answer.status).toBe(503)
    await unlock()
    // The connection it had went back to the pool in working order.
    expect((await admin.get(`/contacts?where[org][equals]=${org}&limit=1`)).status).toBe(200)
  })

  it('the webhook and one-click unsubscribes answer while every ordinary connection is busy', async () => {
    // Every free connection of Payload's pool taken: the admin's requests now wait for one.
    const pool = dbPool(payload) as unknown as pg.Pool
    const held = await Promise.all(Array.from({ length: pool.idleCount + pool.options.max! - pool.totalCount }, () => pool.connect()))
    try {
      let listAnswered = false
      const list = admin.get(`/contacts?where[org][equals]=${org}&limit=5`).then((answer) => ((listAnswered = true), answer))
      await sleep(300)
      expect(listAnswered).toBe(false)
      expect(pool.waitingCount).toBeGreaterThan(0)

      let started = Date.now()
      const event = { email: `nobody-${randomBytes(4).toString('hex')}@example.com`, timestamp: Math.floor(Date.now() / 1000), event: 'delivered', sg_event_id: randomBytes(12).toString('base64url'), sg_message_id: `${randomBytes(8).toString('hex')}.filter` }
      const hook = await anonymous().post('/callbacks/sendgrid/', undefined, { raw: { type: 'application/json', body: JSON.stringify([event]) } })
      expect(hook.status).toBe(200)
      expect(hook.body).toEqual(expect.objectContaining({ status: 'ok', unmatched: 1 }))
      expect(Date.now() - started).toBeLessThan(2000)

      started = Date.now()
      const address = `busy-${randomBytes(4).toString('hex')}@example.com`
      const token = createUnsubscribeToken({ org, address, channel: 'email' }, TEST_ENV.PAYLOAD_SECRET)
      const unsubscribed = await anonymous().post(`/unsubscribe/${encodeURIComponent(token)}`, undefined, { raw: { type: 'application/x-www-form-urlencoded', body: 'List-Unsubscribe=One-Click' } })
      expect(unsubscribed.status).toBe(200)
      expect(Date.now() - started).toBeLessThan(2000)
      // The list was still waiting all along.
      expect(listAnswered).toBe(false)
      held.splice(0).forEach((client) => client.release())
      expect((await list).status).toBe(200)
      const stored = await locker.query(`SELECT status FROM suppressions WHERE org_id = $1 AND address = $2`, [org, address])
      expect(stored.rows).toEqual([{ status: 'active' }])
    } finally {
      held.forEach((client) => client.release())
    }
  })
})
