/**
 * npm run bench:sms — an SMS job of N recipients (default 20,000; BENCH_SIZE) end to end, as users run
 * it: queueEmailJob (each number read with libphonenumber) → Payload job triggers → BENCH_WORKERS (2)
 * real `npm run worker` processes at their default settings (TWILIO_CONCURRENCY 4 requests each, the
 * default batch) claiming, handing off and recording every message → a loopback fake of Twilio's REST
 * API in its own process. The pacing is off (no per-second rate, 100,000,000 a minute): the bench
 * measures the engine, not the pace a Twilio number allows.
 * Baseline, same run, same fake: a bare HTTP client (Node's fetch, keep-alive) posting the very requests
 * Outpost posts (form bodies built before timing), with as many requests in flight as the workers have
 * together.
 * Last line: `send-sms: <msg/s> msg/s (<ratio>x bare HTTP client)`.
 */
import type { Payload } from 'payload'

import { prepareBulkSmsJob } from '../tests/helpers/bulk-send-job'
import { createTestDatabase } from '../tests/helpers/test-database'
import { TEST_ENV } from '../tests/helpers/test-env'
import { startWorkerProcess } from '../tests/helpers/worker-process'
import { startFakeServer } from './lib/children'
import { releasePayloadPool, runMain } from './lib/run-main'

const N = Number(process.env.BENCH_SIZE || 20_000)
const WORKERS = Number(process.env.BENCH_WORKERS || 2)
const IN_FLIGHT = Number(process.env.BENCH_CONCURRENCY || 4)
const ACCOUNT = `AC${'be'.repeat(16)}`
const TOKEN = 'bench-twilio-auth-token'
const FROM = '+14155550100'

const rate = (count: number, seconds: number) => Math.round(count / seconds)

const waitUntilDone = async (payload: Payload, jobID: number, since: number): Promise<number> => {
  for (;;) {
    const job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })
    if (['completed', 'completed_with_errors', 'failed'].includes(job.status)) {
      if (job.sent !== N) throw new Error(`expected ${N} sent, got ${job.sent} (${job.status}, failed ${job.failed}, excluded ${job.excluded})`)
      return (performance.now() - since) / 1000
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** The bare client: the same POSTs (auth, form, status callback), `inFlight` at a time, over keep-alive. */
const bareClient = async (url: string, bodies: string[], inFlight: number): Promise<number> => {
  const endpoint = `${url}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`
  const authorization = `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!
        const res = await fetch(endpoint, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body })
        if (res.status !== 201) throw new Error(`the fake answered ${res.status}`)
        await res.json()
      }
    }),
  )
  return (performance.now() - t0) / 1000
}

const main = async () => {
  if (!process.env.TEST_DATABASE_URL && process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL
  const database = await createTestDatabase()
  const twilio = await startFakeServer('twilio', { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: TOKEN })
  Object.assign(process.env, TEST_ENV, {
    DATABASE_URL: database.url,
    LOG_LEVEL: 'error',
    TWILIO_API_BASE_URL: twilio.url,
    TWILIO_CONCURRENCY: String(IN_FLIGHT),
    SMS_PER_SECOND_LIMIT: '0',
    SMS_PER_MINUTE_LIMIT: '100000000',
    SITE_URL: 'https://outpost.example.org',
  })
  const [{ getPayload, createLocalReq }, { default: config }, { queueEmailJob }] = await Promise.all([
    import('payload'),
    import('../payload.config'),
    import('../src/services/sending/queue-email-job'),
  ])
  const payload = await getPayload({ config })
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorkerProcess({ DATABASE_URL: database.url })))
  try {
    console.log(`${WORKERS} workers × ${IN_FLIGHT} requests in flight; ${N} recipients; ${database.kind} PostgreSQL; Twilio fake in a child process`)
    const fixture = await prepareBulkSmsJob({ payload, count: N, slug: 'sms-bench', sms: { provider: 'twilio', twilioAccountSid: ACCOUNT, twilioAuthToken: TOKEN, fromNumber: FROM } })
    const before = await twilio.count()
    const t0 = performance.now()
    const queued = await queueEmailJob({ payload, req: await createLocalReq({ user: fixture.user as never }, payload), jobID: fixture.jobID })
    const queueSeconds = (performance.now() - t0) / 1000
    if (queued.pending !== N) throw new Error(`expected ${N} pending after queueing, got ${queued.pending} (${queued.excluded} excluded)`)
    const seconds = await waitUntilDone(payload, fixture.jobID, t0)
    if ((await twilio.count()) - before !== N) throw new Error('the Twilio fake did not accept every message')
    const outpost = rate(N, seconds)
    console.log(`Outpost SMS: ${N} queued in ${queueSeconds.toFixed(2)} s and sent ${seconds.toFixed(2)} s after queueing began = ${outpost} msg/s`)

    // The same requests Outpost made: To, From, Body rendered per recipient, StatusCallback.
    const bodies = Array.from({ length: N }, (_, i) =>
      new URLSearchParams({
        To: `+1415${2000001 + i}`,
        Body: `Hi Texter${i + 1}, your table at sms-bench is ready from 7pm tonight. Reply STOP to opt out`,
        From: FROM,
        StatusCallback: 'https://outpost.example.org/api/callbacks/twilio/status',
      }).toString(),
    )
    const bare = rate(N, await bareClient(twilio.url!, bodies, WORKERS * IN_FLIGHT))
    console.log(`bare HTTP client (fetch, ${WORKERS * IN_FLIGHT} in flight): ${bare} msg/s`)
    console.log(`send-sms: ${outpost} msg/s (${(outpost / bare).toFixed(2)}x bare HTTP client)`)
  } finally {
    for (const worker of workers) worker.child.kill('SIGKILL')
    twilio.stop()
    releasePayloadPool(payload)
    await database.drop()
  }
}

void runMain(main)
