import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { closeOrgTransports, getOrgTransport } from '@/services/sending/get-org-transport'
import { claimNextBatch, handOffRecipients } from '@/services/sending/claim-next-batch'
import { originalFilename } from '@/services/media/original-filename'
import { loadSendContext } from '@/services/sending/load-send-context'
import { runEmailJob } from '@/services/sending/run-email-job'
import { sendNextBatch } from '@/services/sending/send-next-batch'
import { sweepEmailJobs } from '@/services/sending/sweep-email-jobs'
import { verifyUnsubscribeToken } from '@/services/unsubscribe/unsubscribe-token'

import { type SmtpSink, startSmtpSink } from './fakes/smtp-sink'
import { getTestPayload, loginAs } from './helpers/app'
import { makeMedia } from './helpers/fixtures'
import { countersAndRows, makeRecipients, makeSendingOrg, queueJob, runTriggersUntilDone } from './helpers/send-fixtures'
import { TEST_ENV } from './helpers/test-env'

let payload: Payload
let sink: SmtpSink
let pool: any
const savedEnv = { ...process.env }

const smtpTo = (port: number) => ({ provider: 'smtp' as const, smtpHost: '127.0.0.1', smtpPort: port, batchDelaySeconds: 0, retryDelaySeconds: 1, maxRetries: 2 })
const recipientsOf = async (jobID: number) => {
  const { docs } = await payload.find({ collection: 'email-recipients', where: { job: { equals: jobID } }, depth: 0, limit: 0, pagination: false, sort: 'id' })
  return docs
}
const deliveriesTo = (address: string) => sink.messages.filter((m) => m.to.includes(address))

beforeAll(async () => {
  payload = await getTestPayload()
  pool = (payload.db as any).pool
  sink = await startSmtpSink()
  Object.assign(process.env, { EMAIL_RUN_SECONDS: '15', ALERTS_EMAIL_TO: 'ops@outpost.test', SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port) })
})
afterAll(async () => {
  for (const key of ['EMAIL_RUN_SECONDS', 'ALERTS_EMAIL_TO', 'SMTP_HOST', 'SMTP_PORT']) {
    if (savedEnv[key] === undefined) delete process.env[key]
    else process.env[key] = savedEnv[key]
  }
  await closeOrgTransports()
  await sink.close()
})

describe('sending a job over SMTP through Payload’s jobs queue', () => {
  it('sends each address once with headers and attachments; retries, fails, excludes; counts, audits and alerts', async () => {
    const fixture = await makeSendingOrg(payload, smtpTo(sink.port))
    const contacts = await makeRecipients(payload, fixture.org, 8)
    const [ok1, , , , flaky, down, refused, suppressedLate] = contacts.map((c) => c.email) as string[]
    const suppressedEarly = contacts[2]!.email
    await payload.create({ collection: 'suppressions', data: { org: fixture.org, address: suppressedEarly, reason: 'bounce', channel: 'email', status: 'active' } })
    const attempts = new Map<string, number[]>()
    sink.setRecipientRule((address) => {
      attempts.set(address, [...(attempts.get(address) ?? []), Date.now()])
      const tries = attempts.get(address)!.length
      if (address === flaky && tries === 1) return { code: 451, message: 'Greylisted, try again later' }
      if (address === down) return { code: 421, message: 'Service not available' }
      if (address === refused) return { code: 550, message: '5.1.1 No such user here' }
      return null
    })
    const media = await makeMedia(payload, fixture.org)
    const jobID = await queueJob(fixture, contacts.map((c) => c.id), { attachments: [media.id] })
    // Later edits of the template never change what a queued job sends.
    await payload.update({ collection: 'email-templates', id: fixture.template, data: { subject: 'Edited after queueing' } })
    // An unsubscribe that arrives after queueing (but before its message) is honoured.
    await payload.create({ collection: 'suppressions', data: { org: fixture.org, address: suppressedLate, reason: 'unsubscribe', channel: 'email', status: 'active' } })

    expect(await runTriggersUntilDone(payload, jobID)).toBe('completed_with_errors')

    const rows = Object.fromEntries((await recipientsOf(jobID)).map((r) => [r.email, r]))
    expect(rows[ok1]).toEqual(expect.objectContaining({ status: 'sent', attempts: 1, lastError: null, providerMessageID: expect.any(String) }))
    expect(rows[flaky]).toEqual(expect.objectContaining({ status: 'sent', attempts: 2 }))
    expect(rows[down]).toEqual(expect.objectContaining({ status: 'failed', attempts: 3, providerCode: '421' }))
    expect(rows[down]!.lastError).toMatch(/try again later.*Gave up after 3 attempts/)
    expect(rows[refused]).toEqual(expect.objectContaining({ status: 'failed', attempts: 1, providerCode: '550 5.1.1' }))
    // A sentence and the codes; the server's own reply text is never repeated.
    expect(rows[refused]!.lastError).toBe('The mail server refused the message permanently: the mailbox does not exist (550 5.1.1).')
    // A hard bounce over SMTP suppresses the address in this org (as a SendGrid bounce does); a transient failure does not.
    const bounces = await payload.find({ collection: 'suppressions', where: { and: [{ org: { equals: fixture.org } }, { address: { in: [refused, down] } }] }, depth: 0 })
    expect(bounces.docs.map((d) => [d.address, d.reason, d.status, d.source])).toEqual([[refused, 'bounce', 'active', 'smtp']])
    expect(rows[suppressedEarly]).toEqual(expect.objectContaining({ status: 'excluded', excludedReason: 'bounce', attempts: 0 }))
    expect(rows[suppressedLate]).toEqual(expect.objectContaining({ status: 'excluded', excludedReason: 'unsubscribe' }))

    // Backoff: the retries of the failing address waited about 1 s, then about 2 s.
    const times = attempts.get(down)!
    expect(times).toHaveLength(3)
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900)
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1900)

    // Every sent address arrived exactly once, rendered from the snapshot, with both unsubscribe headers and the attachment.
    const sentAddresses = Object.values(rows).filter((r) => r.status === 'sent').map((r) => r.email)
    expect(sentAddresses).toHaveLength(4)
    for (const address of sentAddresses) expect(deliveriesTo(address)).toHaveLength(1)
    for (const address of [suppressedEarly, suppressedLate, refused, down]) expect(deliveriesTo(address)).toHaveLength(0)
    const message = deliveriesTo(ok1)[0]!.parsed
    expect(message.subject).toBe('Hello First1')
    const header = (name: string) => message.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n\s+/g, ' ') ?? ''
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
    const token = /\/api\/unsubscribe\/([^>]+)>/.exec(header('list-unsubscribe'))![1]!
    expect(verifyUnsubscribeToken(decodeURIComponent(token), TEST_ENV.PAYLOAD_SECRET)).toEqual({ org: fixture.org, address: ok1, channel: 'email' })
    expect(message.text).toContain('9 Sender Lane, Testville')
    expect(message.attachments.map((a) => a.filename)).toEqual([originalFilename(media.filename!)])
    // Stored under a random tag (no name collisions between orgs), sent under the name it was uploaded with.
    expect(media.filename).toMatch(/^[0-9a-f]{16}-img-/)

    // Counters are exactly what the rows say, and the completion is audited with the counts.
    const { counters, rows: truth, job } = await countersAndRows(payload, jobID)
    expect(counters).toEqual(truth)
    expect(truth).toEqual({ total: 8, pending: 0, sent: 4, delivered: 0, failed: 2, excluded: 2, unknown: 0 })
    expect(job.completedAt).toBeTruthy()
    const audit = await payload.find({ collection: 'audit-logs', where: { and: [{ action: { equals: 'job.complete' } }, { targetID: { equals: String(jobID) } }] } })
    expect(audit.docs.map((d) => d.summary)).toEqual([expect.stringMatching(/completed with errors: 4 sent, 2 failed, 2 excluded, 0 unknown of 8/)])

    // 2 failures of 6 tried is over 5 %: the operators hear about it.
    const alert = sink.messages.filter((m) => m.to.includes('ops@outpost.test'))
    expect(alert).toHaveLength(1)
    expect(alert[0]!.parsed.subject).toMatch(/finished with failures/)
    expect(alert[0]!.parsed.text).toMatch(/33\.3 % of the messages tried failed/)

    // The next job of this org leaves the bounced address out.
    sink.setRecipientRule(null)
    const refusedContact = contacts.find((c) => c.email === refused)!
    const nextJob = await queueJob(fixture, [refusedContact.id, contacts[0]!.id])
    expect(await runTriggersUntilDone(payload, nextJob)).toBe('completed')
    const next = Object.fromEntries((await recipientsOf(nextJob)).map((r) => [r.email, r]))
    expect(next[refused]).toEqual(expect.objectContaining({ status: 'excluded', excludedReason: 'bounce' }))
    expect(deliveriesTo(refused)).toHaveLength(0)
  })

  it('a job where every message fails ends failed and alerts; a clean one completes without an alert', async () => {
    sink.setRecipientRule((address) => (address.endsWith('@bounce.example') ? { code: 554, message: 'Rejected' } : null))
    const fixture = await makeSendingOrg(payload, smtpTo(sink.port))
    const bad = await makeRecipients(payload, fixture.org, 3, 'bounce.example')
    const failing = await queueJob(fixture, bad.map((c) => c.id))
    expect(await runTriggersUntilDone(payload, failing)).toBe('failed')
    const alerts = () => sink.messages.filter((m) => m.to.includes('ops@outpost.test') && m.parsed.subject?.includes(String('failed:')))
    expect(alerts().some((m) => m.parsed.text?.includes(`/admin/collections/email-jobs/${failing}`))).toBe(true)

    const good = await makeRecipients(payload, fixture.org, 3)
    const before = sink.messages.filter((m) => m.to.includes('ops@outpost.test')).length
    const clean = await queueJob(fixture, good.map((c) => c.id))
    expect(await runTriggersUntilDone(payload, clean)).toBe('completed')
    expect(sink.messages.filter((m) => m.to.includes('ops@outpost.test')).length).toBe(before)
    sink.setRecipientRule(null)
  })

  it('paces evenly across loops and runs: no 1-second window over the per-second rate, spacing for the per-minute rate', async () => {
    sink.setRecipientRule(null)
    const startsOf = async (jobID: number) =>
      (await pool.query(`SELECT handed_off_at FROM email_recipients WHERE job_id = $1 AND status = 'sent' ORDER BY handed_off_at`, [jobID])).rows.map((r: { handed_off_at: Date }) =>
        r.handed_off_at.getTime(),
      ) as number[]
    /** The most messages whose sends started within any window of `ms` (each window starting at a send). */
    const busiest = (times: number[], ms: number) => Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + ms).length))

    // Per second: 4 a second over 14 messages, two runs of three loops each claiming batches of 5.
    const perSecond = await makeSendingOrg(payload, { ...smtpTo(sink.port), perSecondLimit: 4, perMinuteLimit: 600, batchSize: 5 })
    const many = await makeRecipients(payload, perSecond.org, 14)
    const fast = await queueJob(perSecond, many.map((c) => c.id))
    const runs = await Promise.all([0, 1].map(() => runEmailJob({ payload, jobID: fast, deadlineMs: Date.now() + 20_000, concurrency: 3 })))
    expect(runs.some((run) => run.stop === 'finished'), JSON.stringify(runs)).toBe(true)
    const starts = await startsOf(fast)
    expect(starts).toHaveLength(14)
    expect(busiest(starts, 1000)).toBeLessThanOrEqual(4)
    // Evenly, not four at once and then a pause: ~250 ms apart, so 14 messages take over three seconds.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(13 * 250 * 0.98)
    // The SMTP server saw them spread out too. (Its clock stamps the end of each message, in this busy
    // test process, so only the spread is checked here; the start times above are the pacing's own.)
    const arrivals = sink.messages.filter((m) => many.some((c) => m.to.includes(c.email))).map((m) => m.receivedAt.getTime()).sort((a, b) => a - b)
    expect(arrivals).toHaveLength(14)
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(13 * 250 * 0.9)

    // Per minute: 30 a minute is one message every two seconds, even with a per-second rate of 10.
    const perMinute = await makeSendingOrg(payload, { ...smtpTo(sink.port), perSecondLimit: 10, perMinuteLimit: 30, batchSize: 10 })
    const few = await makeRecipients(payload, perMinute.org, 4)
    const slow = await queueJob(perMinute, few.map((c) => c.id))
    await Promise.all([0, 1].map(() => runEmailJob({ payload, jobID: slow, deadlineMs: Date.now() + 20_000, concurrency: 2 })))
    const slowStarts = await startsOf(slow)
    expect(slowStarts).toHaveLength(4)
    for (let i = 1; i < slowStarts.length; i++) expect(slowStarts[i]! - slowStarts[i - 1]!).toBeGreaterThanOrEqual(2000 * 0.98)
    expect(busiest(slowStarts, 60_000)).toBeLessThanOrEqual(30)
    // Nobody used up an attempt waiting for a slot.
    expect((await recipientsOf(slow)).every((r) => r.attempts === 1)).toBe(true)
  })

  it('pauses itself when the provider is down, without failing anyone, alerts, and finishes once a person resumes it', async () => {
    sink.setRecipientRule(null)
    // A mail server nobody listens on: every connection is refused (transient).
    const closed = await startSmtpSink()
    const deadPort = closed.port
    await closed.close()
    const fixture = await makeSendingOrg(payload, { ...smtpTo(deadPort), batchSize: 10, pauseAfterFailures: 5, maxRetries: 1 })
    const contacts = await makeRecipients(payload, fixture.org, 30)
    const jobID = await queueJob(fixture, contacts.map((c) => c.id))
    expect(await runTriggersUntilDone(payload, jobID)).toBe('paused')
    const job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })
    expect(job.pausedReason).toMatch(/refused|reach/i)
    let state = await countersAndRows(payload, jobID)
    expect(state.rows).toEqual(expect.objectContaining({ failed: 0, sent: 0, pending: 30 }))
    expect(state.counters).toEqual(state.rows)
    // Attempts lost to the outage are given back: nobody is nearer to failing than before.
    expect((await recipientsOf(jobID)).every((r) => r.attempts === 0 && r.status === 'pending')).toBe(true)
    const alert = sink.messages.find((m) => m.to.includes('ops@outpost.test') && m.parsed.subject?.includes('paused itself'))
    expect(alert?.parsed.text).toContain('consecutive failures')
    const audit = await payload.find({ collection: 'audit-logs', where: { and: [{ action: { equals: 'job.auto_pause' } }, { targetID: { equals: String(jobID) } }] } })
    expect(audit.docs).toHaveLength(1)

    // The mail server is back on its address; a person resumes; everything goes out once.
    const back = await startSmtpSink({ port: deadPort })
    try {
      const resumed = await fixture.sender.post(`/email-jobs/${jobID}/resume`)
      expect(resumed.body.status).toBe('sending')
      expect((await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })).pausedReason ?? null).toBeNull()
      expect(await runTriggersUntilDone(payload, jobID)).toBe('completed')
      state = await countersAndRows(payload, jobID)
      expect(state.rows).toEqual(expect.objectContaining({ sent: 30, failed: 0 }))
      for (const c of contacts) expect(back.messages.filter((m) => m.to.includes(c.email))).toHaveLength(1)
    } finally {
      await back.close()
    }
  })

  it('cancel stops further sends at once; pause and resume continue where they left off', async () => {
    sink.setRecipientRule(null)
    const fixture = await makeSendingOrg(payload, { ...smtpTo(sink.port), batchSize: 2 })
    const contacts = await makeRecipients(payload, fixture.org, 6)
    const jobID = await queueJob(fixture, contacts.map((c) => c.id))
    const context = await loadSendContext(payload, jobID)
    expect((await sendNextBatch({ payload, context, transport: () => getOrgTransport(context) })).kind).toBe('sent')

    // A viewer may not, another org's sender cannot even see it.
    expect((await fixture.viewer.post(`/email-jobs/${jobID}/pause`)).status).toBe(403)
    const stranger = await loginAs('sender@demo.test')
    expect((await stranger.post(`/email-jobs/${jobID}/cancel`)).status).toBe(404)

    const paused = await fixture.sender.post(`/email-jobs/${jobID}/pause`)
    expect(paused.status, JSON.stringify(paused.body)).toBe(200)
    expect(paused.body.status).toBe('paused')
    expect(await sendNextBatch({ payload, context, transport: () => getOrgTransport(context) })).toEqual({ kind: 'inactive', status: 'paused' })
    expect((await fixture.sender.post(`/email-jobs/${jobID}/pause`)).body.errors[0].message).toMatch(/is paused, so it cannot be paused/)

    expect((await fixture.sender.post(`/email-jobs/${jobID}/resume`)).body.status).toBe('sending')
    expect((await sendNextBatch({ payload, context, transport: () => getOrgTransport(context) })).kind).toBe('sent')

    const cancelled = await fixture.sender.post(`/email-jobs/${jobID}/cancel`)
    expect(cancelled.body.status).toBe('cancelled')
    expect(await runEmailJob({ payload, jobID, deadlineMs: Date.now() + 1000 })).toEqual(expect.objectContaining({ stop: 'inactive', sent: 0 }))
    const { rows } = await countersAndRows(payload, jobID)
    expect(rows).toEqual(expect.objectContaining({ sent: 4, pending: 2 }))
    expect((await fixture.sender.post(`/email-jobs/${jobID}/resume`)).status).toBe(409)
    const audit = await payload.find({ collection: 'audit-logs', where: { and: [{ targetCollection: { equals: 'email-jobs' } }, { targetID: { equals: String(jobID) } }] }, sort: 'createdAt', limit: 20 })
    expect(audit.docs.map((d) => d.action)).toEqual(['job.queue', 'job.pause', 'job.resume', 'job.cancel'])
  })

  it('a worker that dies mid-batch: what it had not started is sent by others, what was on the wire is unknown until a person resends it', async () => {
    sink.setRecipientRule(null)
    const fixture = await makeSendingOrg(payload, { ...smtpTo(sink.port), batchSize: 3 })
    const contacts = await makeRecipients(payload, fixture.org, 6)
    const jobID = await queueJob(fixture, contacts.map((c) => c.id))
    await pool.query(`UPDATE email_jobs SET status = 'sending' WHERE id = $1`, [jobID])
    // A worker claims four, starts sending two, and dies: its lease runs out.
    const claimed = await claimNextBatch({ payload, jobID, limit: 4, leaseSeconds: 0, claimToken: 'dead-worker' })
    const onTheWire = claimed.slice(0, 2)
    await handOffRecipients({ payload, jobID, claimToken: 'dead-worker', ids: onTheWire.map((r) => r.id) })
    await new Promise((r) => setTimeout(r, 20))
    const sweep = await sweepEmailJobs({ payload })
    expect(sweep.expired).toBeGreaterThanOrEqual(1)
    expect(await runTriggersUntilDone(payload, jobID)).toBe('completed_with_errors')
    let state = await countersAndRows(payload, jobID)
    expect(state.counters).toEqual(state.rows)
    expect(state.rows).toEqual(expect.objectContaining({ sent: 4, unknown: 2 }))
    for (const r of onTheWire) expect(deliveriesTo(r.email)).toHaveLength(0)
    for (const r of claimed.slice(2)) expect(deliveriesTo(r.email)).toHaveLength(1)

    const resent = await fixture.sender.post(`/email-jobs/${jobID}/resend-unknown`)
    expect(resent.status, JSON.stringify(resent.body)).toBe(200)
    expect(resent.body).toEqual({ jobID, status: 'sending', requeued: 2 })
    expect(await runTriggersUntilDone(payload, jobID)).toBe('completed')
    state = await countersAndRows(payload, jobID)
    expect(state.counters).toEqual(state.rows)
    expect(state.rows).toEqual(expect.objectContaining({ sent: 6, unknown: 0 }))
    for (const r of onTheWire) expect(deliveriesTo(r.email)).toHaveLength(1)
    expect((await fixture.sender.post(`/email-jobs/${jobID}/resend-unknown`)).status).toBe(409)
  })

  it('the sweeper frees Payload job rows a dead worker left processing and re-triggers stalled jobs', async () => {
    sink.setRecipientRule(null)
    const fixture = await makeSendingOrg(payload, smtpTo(sink.port))
    const contacts = await makeRecipients(payload, fixture.org, 2)
    const jobID = await queueJob(fixture, contacts.map((c) => c.id))
    // The trigger was picked up by a worker that died: processing forever, and the job made no progress since.
    await pool.query(
      `UPDATE payload_jobs SET processing = true, updated_at = now() - interval '10 minutes'
        WHERE task_slug = 'sendEmailJob' AND (input->>'jobID')::int = $1`,
      [jobID],
    )
    await pool.query(`UPDATE email_jobs SET updated_at = now() - interval '1 minute' WHERE id = $1`, [jobID])
    const sweep = await sweepEmailJobs({ payload })
    expect(sweep.freedTriggers).toBeGreaterThanOrEqual(1)
    const { rows } = await pool.query(`SELECT processing FROM payload_jobs WHERE task_slug = 'sendEmailJob' AND (input->>'jobID')::int = $1 AND completed_at IS NULL`, [jobID])
    expect(rows.length).toBeGreaterThanOrEqual(1)
    expect(rows.every((r: { processing: boolean }) => r.processing === false)).toBe(true)
    expect(await runTriggersUntilDone(payload, jobID)).toBe('completed')
  })

  it('ended jobs keep their record: no delete, inert leftover triggers, and ids that are not ids are a 404', async () => {
    sink.setRecipientRule(null)
    const fixture = await makeSendingOrg(payload, smtpTo(sink.port))
    const contacts = await makeRecipients(payload, fixture.org, 1)
    const jobID = await queueJob(fixture, contacts.map((c) => c.id))
    expect(await runTriggersUntilDone(payload, jobID)).toBe('completed')
    const removed = await fixture.sender.delete(`/email-jobs/${jobID}`)
    expect(removed.status).toBe(409)
    expect(JSON.stringify(removed.body)).toMatch(/only draft jobs can be deleted/)
    // Triggers left over for the ended job run, do nothing, and leave no successor behind.
    await payload.jobs.queue({ task: 'sendEmailJob', input: { jobID }, queue: 'email' })
    const waiting = await pool.query(`SELECT id FROM payload_jobs WHERE task_slug = 'sendEmailJob' AND completed_at IS NULL AND (input->>'jobID')::int = $1`, [jobID])
    for (const { id } of waiting.rows) await payload.jobs.runByID({ id })
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM payload_jobs WHERE task_slug = 'sendEmailJob' AND completed_at IS NULL AND (input->>'jobID')::int = $1`,
      [jobID],
    )
    expect(rows[0].n).toBe(0)
    for (const bad of ['abc', '1e400', '99999999999', '-1']) {
      const res = await fixture.sender.post(`/email-jobs/${bad}/cancel`)
      expect(res.status, bad).toBe(404)
    }
  })
})
