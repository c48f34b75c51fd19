/**
 * npm run test:chaos — crash safety of sending, with real processes and the default batch size and lease:
 * a job of CHAOS_SIZE recipients (default 2,000), two `npm run worker` processes, and
 * `kill -9` of a worker CHAOS_KILLS times (default 4) while it sends, each time restarted. The SMTP sink
 * answers slowly, so kills land mid-batch and mid-message. Afterwards:
 *   - every recipient is sent, failed, excluded or unknown (nothing pending or in flight);
 *   - the sink received no address twice, and every `sent` address exactly once (duplicates 0);
 *   - nothing is lost: every address the sink never saw is accounted for as unknown, failed or excluded;
 *   - unknown is at most the messages on the wire: ≤ kills × the in-flight limit (SMTP connections per worker);
 *   - the job's counters are exactly its rows, and the job completed by itself within 30 s of the last kill.
 * CHAOS_CHANNEL=sms runs the same over SMS: a loopback Twilio fake answering each message slowly, the
 * in-flight limit being TWILIO_CONCURRENCY requests per worker, "received" being the messages it created.
 * Needs PostgreSQL (CHAOS_DATABASE_URL, else TEST_DATABASE_URL, else 127.0.0.1:5432): a fresh database
 * is created and dropped. Exits non-zero on any violation.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'

import { releasePayloadPool, runMain } from '../../bench/lib/run-main'
import { startSmtpSink } from '../fakes/smtp-sink'
import { startTwilioFake } from '../fakes/twilio-fake'
import { prepareBulkSendJob, prepareBulkSmsJob } from '../helpers/bulk-send-job'
import { createTestDatabase } from '../helpers/test-database'
import { TEST_ENV } from '../helpers/test-env'

const SIZE = Number(process.env.CHAOS_SIZE || 2000)
const KILLS = Number(process.env.CHAOS_KILLS || 4)
const SINK_DELAY_MS = Number(process.env.CHAOS_SINK_DELAY_MS || 40)
const CHANNEL = process.env.CHAOS_CHANNEL === 'sms' ? 'sms' : 'email'
const IN_FLIGHT = 2 // SMTP_POOL_CONNECTIONS (or TWILIO_CONCURRENCY) per worker
const FINISH_WITHIN_MS = 30_000
const TIMEOUT_MS = Number(process.env.CHAOS_TIMEOUT_SECONDS || 240) * 1000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const log = (message: string) => console.log(`[chaos +${((performance.now() - started) / 1000).toFixed(1)}s] ${message}`)
const started = performance.now()

const main = async () => {
  process.env.TEST_DATABASE_URL = process.env.CHAOS_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
  const database = await createTestDatabase()
  const workerEnv = {
    ...process.env,
    ...TEST_ENV,
    DATABASE_URL: database.url,
    NODE_OPTIONS: '--no-deprecation --conditions=development',
    LOG_LEVEL: 'error',
    EMAIL_RUN_SECONDS: '10',
    WORKER_POLL_SECONDS: '0.5',
    EMAIL_WORKER_CONCURRENCY: '2',
    SMTP_POOL_CONNECTIONS: String(IN_FLIGHT),
    TWILIO_CONCURRENCY: String(IN_FLIGHT),
    OUTBOUND_PER_MINUTE_LIMIT: '1000000',
    SMS_PER_SECOND_LIMIT: '0',
    SMS_PER_MINUTE_LIMIT: '1000000',
  }
  const twilio = CHANNEL === 'sms' ? await startTwilioFake({ delayMs: SINK_DELAY_MS }) : null
  if (twilio) Object.assign(workerEnv, { TWILIO_API_BASE_URL: twilio.url })
  Object.assign(process.env, workerEnv)
  const smtp = twilio ? null : await startSmtpSink({ parse: false, delayMs: SINK_DELAY_MS })
  /** What the provider received: one address per message. */
  const sink = {
    get messages(): { to: string[] }[] {
      return twilio ? twilio.messages.map((m) => ({ to: [m.to] })) : smtp!.messages
    },
    close: async () => {
      await twilio?.close()
      await smtp?.close()
    },
  }
  const [{ getPayload, createLocalReq }, { default: config }, { queueEmailJob }] = await Promise.all([
    import('payload'),
    import('../../payload.config'),
    import('../../src/services/sending/queue-email-job'),
  ])
  const payload = await getPayload({ config })
  const workers: (ChildProcess | null)[] = [null, null]
  const startWorker = (index: number) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve('src/jobs/worker.ts')],
      { env: workerEnv, detached: true, stdio: ['ignore', 'ignore', 'inherit'] },
    )
    workers[index] = child
    log(`worker ${index} started (pid ${child.pid})`)
  }
  // Whatever happens to this process, no worker outlives it.
  process.on('exit', () => {
    for (const child of workers) if (child?.pid) try { process.kill(-child.pid, 'SIGKILL') } catch { /* gone */ }
  })
  const killWorker = (index: number) => {
    const child = workers[index]
    if (!child?.pid) return
    try {
      process.kill(-child.pid, 'SIGKILL') // the whole process group: no cleanup, no goodbye
    } catch {
      // already gone
    }
    workers[index] = null
    log(`worker ${index} killed with SIGKILL`)
  }
  let failures = 0
  const check = (ok: boolean, message: string) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`)
    if (!ok) failures += 1
  }

  try {
    const { jobID, user } = twilio
      ? await prepareBulkSmsJob({
          payload,
          count: SIZE,
          slug: 'chaos-sms',
          sms: { provider: 'twilio', twilioAccountSid: twilio.accountSid, twilioAuthToken: twilio.authToken, fromNumber: '+14155550100' },
        })
      : await prepareBulkSendJob({
          payload,
          count: SIZE,
          slug: 'chaos',
          sending: { provider: 'smtp', smtpHost: '127.0.0.1', smtpPort: smtp!.port, batchDelaySeconds: 0, retryDelaySeconds: 1, maxRetries: 2 },
        })
    await queueEmailJob({ payload, req: await createLocalReq({ user: user as never }, payload), jobID })
    log(`queued ${CHANNEL} job ${jobID}: ${SIZE} recipients; the ${twilio ? 'Twilio fake' : 'SMTP sink'} answers each message after ${SINK_DELAY_MS} ms`)
    startWorker(0)
    startWorker(1)

    // Kill while messages are flowing: wait for progress, then kill a worker mid-batch and restart it.
    let kills = 0
    let lastKillAt = Date.now()
    for (let kill = 0; kill < KILLS; kill++) {
      // Kills spread from 20 % to 90 % of the job, so the time to finish after the last one is mostly
      // recovery (a lease running out, the sweeper), not messages still to send.
      const at = Math.floor(SIZE * (KILLS > 1 ? 0.2 + (0.7 * kill) / (KILLS - 1) : 0.5))
      const deadline = Date.now() + 120_000
      while (sink.messages.length < at && Date.now() < deadline) await sleep(50)
      if (sink.messages.length >= SIZE) {
        log('the job finished before every kill could happen')
        break
      }
      const victim = kill % 2
      log(`${sink.messages.length} messages received so far`)
      killWorker(victim)
      kills += 1
      lastKillAt = Date.now()
      await sleep(500)
      startWorker(victim)
    }

    // After the last restart: the job must finish (dead workers' leases expire, the sweeper settles them).
    const deadline = Date.now() + TIMEOUT_MS
    let job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })
    while (!['completed', 'completed_with_errors', 'failed'].includes(job.status) && Date.now() < deadline) {
      await sleep(1000)
      job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })
    }
    const finishedAfterMs = Date.now() - lastKillAt
    log(`job ${job.status} ${(finishedAfterMs / 1000).toFixed(1)} s after the last kill: sent ${job.sent}, failed ${job.failed}, unknown ${job.unknown}, excluded ${job.excluded}`)

    const pool = (payload.db as unknown as { pool: { query: (sql: string, params: unknown[]) => Promise<{ rows: any[] }> } }).pool
    const { rows } = await pool.query('SELECT email, status::text AS status FROM email_recipients WHERE job_id = $1', [jobID])
    const received = new Map<string, number>()
    for (const message of sink.messages) for (const to of message.to) received.set(to, (received.get(to) ?? 0) + 1)
    const twice = [...received.entries()].filter(([, n]) => n > 1)
    const byStatus = rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {})
    log(`recipient rows: ${JSON.stringify(byStatus)}; sink received ${sink.messages.length} messages for ${received.size} addresses`)

    check(job.status === 'completed' || job.status === 'completed_with_errors', `the job completed (${job.status})`)
    check(rows.length === SIZE, `one row per recipient (${rows.length})`)
    check(rows.every((r) => ['sent', 'failed', 'excluded', 'unknown'].includes(r.status)), 'every recipient is sent, failed, excluded or unknown')
    check(twice.length === 0, `no address received twice${twice.length ? ` (${twice.slice(0, 5).map(([a, n]) => `${a}×${n}`).join(', ')})` : ''}`)
    const sent = rows.filter((r) => r.status === 'sent')
    check(sent.every((r) => received.get(r.email) === 1), `every sent address arrived exactly once (${sent.length})`)
    const unknownUnsent = rows.filter((r) => r.status === 'unknown' && !received.has(r.email)).length
    log(`${byStatus.unknown ?? 0} unknown (${unknownUnsent} of them never reached the sink, the rest did): a person decides, nothing resent`)
    const lost = rows.filter((r) => !received.has(r.email) && !['unknown', 'failed', 'excluded'].includes(r.status)).length
    check(lost === 0, `nothing lost: every address the sink never saw is unknown, failed or excluded (${lost} lost)`)
    check(
      (byStatus.unknown ?? 0) <= kills * IN_FLIGHT,
      `unknown only what was on the wire: ${byStatus.unknown ?? 0} ≤ ${kills} kills × ${IN_FLIGHT} in flight`,
    )
    check(finishedAfterMs <= FINISH_WITHIN_MS + 1000, `the job finished by itself within ${FINISH_WITHIN_MS / 1000} s of the last kill (${(finishedAfterMs / 1000).toFixed(1)} s, polled every second)`)
    check(
      job.sent === sent.length && job.unknown === (byStatus.unknown ?? 0) && job.failed === (byStatus.failed ?? 0) && job.pending === 0,
      'the job’s counters are exactly its rows',
    )
    const duplicates = twice.length
    console.log(`chaos${CHANNEL === 'sms' ? '-sms' : ''}: ${duplicates} duplicates, ${lost} lost, ${failures} failed checks (${kills} kills, ${SIZE} recipients, ${byStatus.unknown ?? 0} unknown)`)
  } finally {
    for (const index of [0, 1]) killWorker(index)
    await sink.close()
    releasePayloadPool(payload)
    await database.drop()
  }
  return failures
}

void runMain(main)
