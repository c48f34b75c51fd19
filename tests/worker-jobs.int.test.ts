import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { claimPayloadJobs } from '@/services/jobs/claim-payload-jobs'
import { closeOrgTransports } from '@/services/sending/get-org-transport'

import { type SmtpSink, startSmtpSink } from './fakes/smtp-sink'
import { getTestPayload } from './helpers/app'
import { countersAndRows, makeRecipients, makeSendingOrg, queueJob } from './helpers/send-fixtures'
import { startWorkerProcess, type WorkerProcess } from './helpers/worker-process'

const isEmbedded = !process.env.TEST_DATABASE_URL
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** What Payload logged when two workers ran the same Payload job (its find-then-update claim), and any error at all. */
const ERROR_LINES = /ERROR|Failed query|reading 'log'|payload_jobs_log|unhandled/i

let payload: Payload
let sink: SmtpSink
const workers: WorkerProcess[] = []

beforeAll(async () => {
  payload = await getTestPayload()
  sink = await startSmtpSink({ parse: false, delayMs: 5 })
})
afterAll(async () => {
  for (const worker of workers) worker.child.kill('SIGKILL')
  await closeOrgTransports()
  await sink.close()
})

describe('claimPayloadJobs', () => {
  it('hands each runnable Payload job to exactly one of many concurrent claimers, in its queue only', async () => {
    const pool = (payload.db as any).pool
    const queue = `claim-test-${Date.now()}`
    const { rows } = await pool.query(
      `INSERT INTO payload_jobs (task_slug, queue, input, processing, created_at, updated_at)
       SELECT 'sweepImports', $1, '{}'::jsonb, false, now(), now() FROM generate_series(1, 40) RETURNING id`,
      [queue],
    )
    // One not yet due, one in another queue: neither is handed out.
    await pool.query(`UPDATE payload_jobs SET wait_until = now() + interval '1 hour' WHERE id = $1`, [rows[0].id])
    const claims = await Promise.all(Array.from({ length: 8 }, () => claimPayloadJobs({ payload, limit: 10, queues: [queue] })))
    const ids = claims.flat().map((job) => job.id)
    expect(ids).toHaveLength(39)
    expect(new Set(ids).size).toBe(39)
    expect(ids).not.toContain(rows[0].id)
    expect(await claimPayloadJobs({ payload, limit: 10, queues: [queue] })).toEqual([])
    const { rows: flags } = await pool.query(`SELECT count(*) FILTER (WHERE processing)::int AS taken FROM payload_jobs WHERE queue = $1`, [queue])
    expect(flags[0].taken).toBe(39)
    await pool.query(`DELETE FROM payload_jobs WHERE queue = $1`, [queue])
  })

  it('leaves a job with the same task and input as one the worker runs now for another worker', async () => {
    const pool = (payload.db as any).pool
    const queue = `claim-same-${Date.now()}`
    await pool.query(
      `INSERT INTO payload_jobs (task_slug, queue, input, processing, created_at, updated_at)
       VALUES ('sendEmailJob', $1, '{"jobID": 7}', false, now(), now()), ('sendEmailJob', $1, '{"jobID": 8}', false, now(), now())`,
      [queue],
    )
    const mine = await claimPayloadJobs({ payload, limit: 10, queues: [queue], running: [{ taskSlug: 'sendEmailJob', input: { jobID: 7 } }] })
    expect(mine.map((job) => job.input)).toEqual([{ jobID: 8 }])
    const another = await claimPayloadJobs({ payload, limit: 10, queues: [queue] })
    expect(another.map((job) => job.input)).toEqual([{ jobID: 7 }])
    await pool.query(`DELETE FROM payload_jobs WHERE queue = $1`, [queue])
  })
})

describe.skipIf(isEmbedded)('two worker processes on one queue', () => {
  it('run every Payload job on one worker only: three jobs finish, each address once, and neither worker logs an error', async () => {
    const fixture = await makeSendingOrg(payload, { provider: 'smtp', smtpHost: '127.0.0.1', smtpPort: sink.port, batchSize: 20, batchDelaySeconds: 0, perMinuteLimit: 600_000 })
    const jobIDs: number[] = []
    const addresses: string[] = []
    for (let j = 0; j < 3; j++) {
      const contacts = await makeRecipients(payload, fixture.org, 120)
      addresses.push(...contacts.map((c) => c.email))
      jobIDs.push(await queueJob(fixture, contacts.map((c) => c.id)))
    }
    // Short runs hand over to follow-up triggers often, and both workers poll fast: many chances to race.
    const env = { WORKER_POLL_SECONDS: '0.2', EMAIL_RUN_SECONDS: '1', EMAIL_WORKER_CONCURRENCY: '2' }
    workers.push(...(await Promise.all([startWorkerProcess(env), startWorkerProcess(env)])))

    const deadline = Date.now() + 90_000
    const ended = async () => (await payload.find({ collection: 'email-jobs', where: { id: { in: jobIDs } }, depth: 0 })).docs.every((job) => job.status === 'completed')
    while (!(await ended()) && Date.now() < deadline) await sleep(250)
    // The sweeper and follow-up triggers keep running a little after the jobs end: give them time to misbehave.
    await sleep(3000)
    const logs = workers.map((worker) => worker.log())
    for (const jobID of jobIDs) {
      const { counters, rows } = await countersAndRows(payload, jobID)
      expect(rows, logs.join('\n').slice(-3000)).toEqual(expect.objectContaining({ total: 120, sent: 120, pending: 0, unknown: 0 }))
      expect(counters).toEqual(rows)
    }
    const received = new Map<string, number>()
    for (const message of sink.messages) for (const to of message.to) received.set(to, (received.get(to) ?? 0) + 1)
    expect(addresses.filter((address) => received.get(address) !== 1)).toEqual([])
    // Both did work, and neither logged an error.
    for (const log of logs) {
      const errors = log.split('\n').filter((line) => ERROR_LINES.test(line))
      expect(errors, errors.slice(0, 5).join('\n')).toEqual([])
    }
    const { rows: ran } = await (payload.db as any).pool.query(
      `SELECT count(*)::int AS n FROM payload_jobs WHERE task_slug = 'sendEmailJob' AND (input->>'jobID')::int = ANY($1::int[]) AND completed_at IS NULL AND processing = true`,
      [jobIDs],
    )
    expect(ran[0].n).toBe(0)
  })
})
