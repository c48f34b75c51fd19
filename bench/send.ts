/**
 * npm run bench:send — sending N recipients (default 100,000; BENCH_SIZE) end to end, as users run it:
 * queueEmailJob → Payload job triggers → BENCH_WORKERS (2) real `npm run worker` processes at their
 * default settings (2 loops per job, SMTP_POOL_CONNECTIONS 5, the default batch of 100) claiming,
 * pacing, handing off and recording every message → SMTP sink, against baselines measured in the same
 * run into the same sink. The one setting raised is the org's rate (100,000,000 a minute): the bench
 * measures the engine, not the pace an org chooses. SendGrid jobs use batches of 1,000 (one request each).
 *   (a) the machine's ceiling: Postfix's smtp-source → smtp-sink (where postfix is installed and we are
 *       root; else there is no ceiling figure and the sink is smtp-server in a child process);
 *   (b) a bare nodemailer pool with as many connections as the workers have together and TCP_NODELAY
 *       ("tuned"), and, on a sample, nodemailer's defaults (Nagle on).
 * Then the SendGrid path: the same job shape through the official SDK into a loopback fake of
 * SendGrid's v3 API (child process), against the bare SDK posting the same requests.
 * Database: a fresh one on BENCH_DATABASE_URL's (or TEST_DATABASE_URL's) server, else embedded.
 * Last line: `send: <msg/s> msg/s (<ratio>x tuned nodemailer pool)`.
 */
import { MailService } from '@sendgrid/mail'
import nodemailer from 'nodemailer'
import type { Payload } from 'payload'

import { applySubstitutions } from '../src/integrations/email/apply-substitutions'
import { connectWithNoDelay } from '../src/integrations/email/smtp-transport'
import { buildRecipientMessage } from '../src/services/sending/build-recipient-message'
import { BENCH_TEMPLATE_HTML, prepareBulkSendJob } from '../tests/helpers/bulk-send-job'
import { createTestDatabase } from '../tests/helpers/test-database'
import { TEST_ENV } from '../tests/helpers/test-env'
import { startWorkerProcess } from '../tests/helpers/worker-process'
import { hasPostfix, runPostfixSource, startFakeServer, startPostfixSink } from './lib/children'
import { releasePayloadPool, runMain } from './lib/run-main'

const N = Number(process.env.BENCH_SIZE || 100_000)
const WORKERS = Number(process.env.BENCH_WORKERS || 2)
/** SMTP connections per worker (SMTP_POOL_CONNECTIONS, default 5); the bare pool gets all the workers' together. */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 5)
const MESSAGE_BYTES = 2048

const rate = (count: number, seconds: number) => Math.round(count / seconds)

type Sample = { subject: string; html: string; text: string; headers: Record<string, string> }

/**
 * The bare pool: nodemailer alone sending `count` copies of the very message Outpost sends (the same
 * rendered HTML and text parts and headers, rendered once) to distinct addresses, all queued at once.
 */
const barePool = async (port: number, count: number, tuned: boolean, sample: Sample): Promise<number> => {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    ignoreTLS: true,
    pool: true,
    maxConnections: CONNECTIONS * WORKERS,
    maxMessages: Infinity,
    ...(tuned ? { getSocket: connectWithNoDelay } : {}),
  })
  const t0 = performance.now()
  const chunk = 2000
  for (let start = 0; start < count; start += chunk) {
    await Promise.all(
      Array.from({ length: Math.min(chunk, count - start) }, (_, i) =>
        transport.sendMail({ from: 'bench@outpost.test', to: `r${start + i}@example.com`, ...sample }),
      ),
    )
  }
  const seconds = (performance.now() - t0) / 1000
  transport.close()
  return seconds
}

/** Waits (polling the database) until the workers have ended the job; seconds from `since`. */
const waitUntilDone = async (payload: Payload, jobID: number, since: number): Promise<number> => {
  for (;;) {
    const job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })
    if (['completed', 'completed_with_errors', 'failed'].includes(job.status)) {
      if (job.sent !== N) throw new Error(`expected ${N} sent, got ${job.sent} (${job.status}, failed ${job.failed})`)
      return (performance.now() - since) / 1000
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

const main = async () => {
  if (!process.env.TEST_DATABASE_URL && process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL
  const database = await createTestDatabase()
  Object.assign(process.env, TEST_ENV, {
    DATABASE_URL: database.url,
    LOG_LEVEL: 'error',
    OUTBOUND_PER_MINUTE_LIMIT: '100000000',
    SMTP_POOL_CONNECTIONS: String(CONNECTIONS),
  })
  const postfix = hasPostfix() ? await startPostfixSink() : null
  const fallback = postfix ? null : await startFakeServer('smtp')
  const sinkPort = postfix?.port ?? fallback!.port!
  const sendgrid = await startFakeServer('sendgrid', { SENDGRID_API_KEY: 'SG.bench' })
  process.env.SENDGRID_API_BASE_URL = sendgrid.url
  const [{ getPayload, createLocalReq }, { default: config }, { queueEmailJob }, { closeOrgTransports }] = await Promise.all([
    import('payload'),
    import('../payload.config'),
    import('../src/services/sending/queue-email-job'),
    import('../src/services/sending/get-org-transport'),
  ])
  const payload = await getPayload({ config })
  // The workers run as in production, already up when a job is queued.
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorkerProcess({ DATABASE_URL: database.url })))
  const lines: string[] = []
  const say = (line: string) => {
    console.log(line)
    lines.push(line)
  }
  try {
    console.log(`sink: ${postfix ? 'postfix smtp-sink' : 'smtp-server (child process; postfix not available)'}; ${WORKERS} workers × ${CONNECTIONS} connections; ${N} recipients; ${database.kind} PostgreSQL`)
    // BENCH_PART=sendgrid runs only the SendGrid part (for tuning it).
    const smtpPart = process.env.BENCH_PART !== 'sendgrid'
    // (a) ceiling
    let ceiling: number | null = null
    if (postfix && smtpPart) {
      const messages = Math.min(N, 50_000)
      ceiling = rate(messages, await runPostfixSource(sinkPort, messages, CONNECTIONS * WORKERS, MESSAGE_BYTES))
      say(`(a) ceiling, postfix smtp-source → smtp-sink: ${ceiling} msg/s (${messages} × ${MESSAGE_BYTES} B, ${CONNECTIONS * WORKERS} sessions)`)
    }
    // (b) bare nodemailer pool, tuned (TCP_NODELAY) over N, and at its defaults on a sample
    const messageFor = (n: number) =>
      buildRecipientMessage({
        template: { subject: 'Spring update for {{first_name}}', html: BENCH_TEMPLATE_HTML },
        org: { id: 1, name: 'Bulk', postalAddress: '1 Bench Street, Testville' },
        settings: { fromAddress: 'news@bulk.example', fromName: 'Bulk', replyTo: null },
        recipient: { id: n, email: `reader${n}@example.com`, contact: { firstName: `Reader${n}`, lastName: 'Bulk' } },
      })
    const final = applySubstitutions(messageFor(1))
    const sample: Sample = { subject: final.subject, html: final.html, text: final.text, headers: final.headers ?? {} }
    console.log(`message: ${Buffer.byteLength(sample.html)} B HTML + ${Buffer.byteLength(sample.text)} B text`)
    let tuned = 0
    let outpost = 0
    if (smtpPart) {
      tuned = rate(N, await barePool(sinkPort, N, true, sample))
      say(`(b) bare nodemailer pool + TCP_NODELAY: ${tuned} msg/s (${N} messages)`)
      const few = Math.min(N, 500)
      const untuned = rate(few, await barePool(sinkPort, few, false, sample))
      say(`    bare nodemailer pool at defaults (Nagle): ${untuned} msg/s (sample of ${few})`)

      // Outpost, SMTP
      const smtpJob = await prepareBulkSendJob({
        payload,
        count: N,
        slug: 'bench-smtp',
        sending: { provider: 'smtp', smtpHost: '127.0.0.1', smtpPort: sinkPort, batchDelaySeconds: 0 },
      })
      const smtpReq = await createLocalReq({ user: smtpJob.user as never }, payload)
      const tq = performance.now()
      await queueEmailJob({ payload, req: smtpReq, jobID: smtpJob.jobID })
      const queueSeconds = (performance.now() - tq) / 1000
      const smtpSeconds = await waitUntilDone(payload, smtpJob.jobID, tq)
      outpost = rate(N, smtpSeconds)
      say(`Outpost SMTP: ${N} queued in ${queueSeconds.toFixed(2)} s and sent ${smtpSeconds.toFixed(2)} s after queueing began = ${outpost} msg/s (${WORKERS} worker processes, every message handed off and recorded)`)
      if (ceiling) say(`    ${(outpost / ceiling).toFixed(2)}x the machine's ceiling`)
    }

    // Outpost, SendGrid
    const sgJob = await prepareBulkSendJob({
      payload,
      count: N,
      slug: 'bench-sendgrid',
      sending: { provider: 'sendgrid', sendgridApiKey: 'SG.bench', batchSize: 1000, batchDelaySeconds: 0 },
    })
    const before = await sendgrid.count()
    const tsg = performance.now()
    await queueEmailJob({ payload, req: await createLocalReq({ user: sgJob.user as never }, payload), jobID: sgJob.jobID })
    const sgSeconds = await waitUntilDone(payload, sgJob.jobID, tsg)
    if ((await sendgrid.count()) - before !== N) throw new Error('the SendGrid fake did not accept every recipient')
    const outpostSg = rate(N, sgSeconds)
    // Baseline: the bare SDK posting requests of the same shape as Outpost's (shared parts; each
    // personalization with its subject, headers, substitutions and custom_args), built before timing.
    const sdk = new MailService()
    sdk.setApiKey('SG.bench')
    ;(sdk as unknown as { client: { setDefaultRequest: (k: string, v: string) => void } }).client.setDefaultRequest('baseUrl', sendgrid.url!)
    sdk.setSubstitutionWrappers('', '')
    const shared = messageFor(0)
    const requests = Array.from({ length: Math.ceil(N / 1000) }, (_, r) => ({
      from: { email: shared.from.address, name: shared.from.name },
      content: [{ type: 'text/plain', value: shared.text }, { type: 'text/html', value: shared.html }],
      personalizations: Array.from({ length: Math.min(1000, N - r * 1000) }, (_, i) => {
        const m = messageFor(r * 1000 + i)
        return { to: [{ email: m.to }], subject: m.subject, headers: m.headers, substitutions: m.substitutions, customArgs: { outpost_recipient_id: m.reference } }
      }),
    }))
    const t3 = performance.now()
    for (let start = 0; start < requests.length; start += 4) await Promise.all(requests.slice(start, start + 4).map((request) => sdk.send(request as never)))
    const bareSg = rate(N, (performance.now() - t3) / 1000)
    say(`Outpost SendGrid: ${N} recipients in ${sgSeconds.toFixed(2)} s = ${outpostSg} recipients/s (${(outpostSg / bareSg).toFixed(2)}x the bare SDK at ${bareSg} recipients/s)`)
    say(`send-sendgrid: ${outpostSg} recipients/s (${(outpostSg / bareSg).toFixed(2)}x bare SendGrid SDK)`)
    if (smtpPart) say(ceiling ? `send: ${outpost} msg/s (${(outpost / ceiling).toFixed(2)}x postfix ceiling)` : `send: ${outpost} msg/s (${(outpost / tuned).toFixed(2)}x tuned nodemailer pool)`)
  } finally {
    for (const worker of workers) worker.child.kill('SIGKILL')
    await closeOrgTransports()
    postfix?.process.kill()
    fallback?.stop()
    sendgrid.stop()
    releasePayloadPool(payload)
    await database.drop()
  }
}

void runMain(main)
