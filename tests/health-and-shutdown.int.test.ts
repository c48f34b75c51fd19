/**
 * Health endpoints and a worker's graceful stop (issue 20). The stop is tested with a real worker
 * process (`src/jobs/worker.ts`) sending to a real SMTP server: SIGTERM in the middle of a job leaves no
 * recipient `sending` or `unknown`, every message the server received is recorded `sent`, and the job
 * then completes with each address sent exactly once.
 */
import type { ChildProcess } from 'node:child_process'

import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { dbPool } from '@/db/pool'
import { closeOrgTransports } from '@/services/sending/get-org-transport'

import { type SmtpSink, startSmtpSink } from './fakes/smtp-sink'
import { anonymous, getTestPayload } from './helpers/app'
import { makeRecipients, makeSendingOrg, queueJob, runTriggersUntilDone } from './helpers/send-fixtures'
import { startWorkerProcess } from './helpers/worker-process'

const isEmbedded = !process.env.TEST_DATABASE_URL
let payload: Payload
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

beforeAll(async () => {
  payload = await getTestPayload()
})

describe('health endpoints', () => {
  it('GET /api/health answers without the database, a login or any data', async () => {
    const res = await anonymous().get('/health')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ok' })
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('GET /api/health/ready: the database answers and every migration is applied; a missing one makes it 503, naming it', async () => {
    const ready = await anonymous().get('/health/ready')
    expect(ready.status).toBe(200)
    expect(ready.body).toEqual(
      expect.objectContaining({
        status: 'ready',
        ready: true,
        database: expect.objectContaining({ ok: true }),
        migrations: expect.objectContaining({ ok: true, pending: [] }),
        worker: expect.objectContaining({ status: expect.stringMatching(/^(ok|stale|none)$/), maxAgeSeconds: 60 }),
      }),
    )
    expect(JSON.stringify(ready.body)).not.toMatch(/@|org/i)
    const pool = dbPool(payload)
    const { rows } = await pool.query<{ id: number; name: string }>('SELECT id, name FROM payload_migrations WHERE batch > 0 ORDER BY name DESC LIMIT 1')
    await pool.query('UPDATE payload_migrations SET name = name || $2 WHERE id = $1', [rows[0]!.id, '-hidden'])
    try {
      const behind = await anonymous().get('/health/ready')
      expect(behind.status).toBe(503)
      expect(behind.body).toEqual(expect.objectContaining({ status: 'not ready', ready: false, migrations: expect.objectContaining({ ok: false, pending: [rows[0]!.name] }) }))
    } finally {
      await pool.query('UPDATE payload_migrations SET name = $2 WHERE id = $1', [rows[0]!.id, rows[0]!.name])
    }
    expect((await anonymous().get('/health/ready?require=everything')).status).toBe(400)
  })

  it('?require=worker is 503 while no worker has beaten recently', async () => {
    await dbPool(payload).query(`UPDATE worker_heartbeats SET beat_at = now() - interval '5 minutes'`)
    const res = await anonymous().get('/health/ready?require=worker')
    expect(res.status).toBe(503)
    expect(res.body.worker).toEqual(expect.objectContaining({ live: 0 }))
    expect(res.body.worker.status).toMatch(/^(stale|none)$/)
  })
})

describe.skipIf(isEmbedded)('a worker stopped with SIGTERM', () => {
  let sink: SmtpSink
  let worker: ChildProcess | undefined
  beforeAll(async () => {
    // Each message takes the server 40 ms: a batch of 20 is under a second of work.
    sink = await startSmtpSink({ parse: false, delayMs: 40 })
  })
  afterAll(async () => {
    worker?.kill('SIGKILL')
    await closeOrgTransports()
    await sink.close()
  })

  it('finishes the batch it holds, claims no more, leaves nothing sending or unknown, and exits 0 at once', async () => {
    const fixture = await makeSendingOrg(payload, { provider: 'smtp', smtpHost: '127.0.0.1', smtpPort: sink.port, batchSize: 20, batchDelaySeconds: 0 })
    const contacts = await makeRecipients(payload, fixture.org, 160)
    const jobID = await queueJob(fixture, contacts.map((c) => c.id))

    const started = await startWorkerProcess({ WORKER_POLL_SECONDS: '0.2', EMAIL_RUN_SECONDS: '60', EMAIL_WORKER_CONCURRENCY: '2' })
    worker = started.child
    const log = started.log
    const exited = started.exited

    // Sending has begun; the worker's heartbeat shows in the readiness check.
    await sink.waitFor(30, 60_000)
    const ready = await anonymous().get('/health/ready?require=worker')
    expect(ready.status, log().slice(-2000)).toBe(200)
    expect(ready.body.worker).toEqual(expect.objectContaining({ status: 'ok' }))
    expect(ready.body.worker.live).toBeGreaterThanOrEqual(1)

    const pid = worker.pid
    const stoppedAt = Date.now()
    worker.kill('SIGTERM')
    const code = await exited
    const tookMs = Date.now() - stoppedAt
    expect(code, log().slice(-2000)).toBe(0)
    expect(tookMs).toBeLessThan(10_000)
    expect(log()).toContain('Worker stopped.')
    worker = undefined

    // Nothing was left half-done, and the server got exactly what is recorded as sent.
    const pool = dbPool(payload)
    const statuses = await pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM email_recipients WHERE job_id = $1 GROUP BY status', [jobID])
    const by = Object.fromEntries(statuses.rows.map((row) => [row.status, row.n]))
    expect(by.sending ?? 0).toBe(0)
    expect(by.unknown ?? 0).toBe(0)
    await sleep(200)
    expect(by.sent).toBe(sink.messages.length)
    expect(by.sent).toBeLessThan(160)
    const beats = await pool.query('SELECT 1 FROM worker_heartbeats WHERE pid = $1', [pid])
    expect(beats.rows).toEqual([])
    expect((await anonymous().get('/health/ready?require=worker')).status).toBe(503)

    // Another run finishes the job: every address exactly once.
    expect(await runTriggersUntilDone(payload, jobID, 60_000)).toBe('completed')
    const delivered = sink.messages.flatMap((message) => message.to)
    expect(delivered).toHaveLength(160)
    expect(new Set(delivered).size).toBe(160)
  })
})
