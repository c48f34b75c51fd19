import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { dbPool } from '@/db/pool'

import { type SmtpSink, startSmtpSink } from './fakes/smtp-sink'
import { getTestPayload } from './helpers/app'
import { countersAndRows, makeRecipients, makeSendingOrg, queueJob, runTriggersUntilDone } from './helpers/send-fixtures'

/**
 * A job's progress moves while its batch is on the wire, not once per batch: against an SMTP server
 * that takes about 300 ms per message, one batch of 24 (five connections) takes over a second, and the
 * counters the job page polls move at least every 2 s, agreeing with the recipient rows at every read.
 */

let payload: Payload
let sink: SmtpSink

beforeAll(async () => {
  payload = await getTestPayload()
  sink = await startSmtpSink({ delayMs: 300 })
})
afterAll(async () => {
  await sink.close()
})

describe('live progress', () => {
  it('counters move within a batch and always agree with the rows', async () => {
    const fixture = await makeSendingOrg(payload, { provider: 'smtp', smtpHost: '127.0.0.1', smtpPort: sink.port, batchSize: 100, batchDelaySeconds: 0 })
    const contacts = await makeRecipients(payload, fixture.org, 24)
    const jobID = await queueJob(fixture, contacts.map((c) => c.id))
    const seen: { at: number; sent: number; rows: number }[] = []
    let done = false
    const watcher = (async () => {
      while (!done) {
        // One statement: the counter and the rows in one snapshot.
        const { rows } = await dbPool(payload).query<{ sent: number; rows: number }>(
          `SELECT j.sent::int AS sent, (SELECT count(*)::int FROM email_recipients r WHERE r.job_id = j.id AND r.status IN ('sent', 'delivered')) AS rows FROM email_jobs j WHERE j.id = $1`,
          [jobID],
        )
        seen.push({ at: Date.now(), ...rows[0]! })
        await new Promise((r) => setTimeout(r, 100))
      }
    })()
    const started = Date.now()
    try {
      expect(await runTriggersUntilDone(payload, jobID, 60_000)).toBe('completed')
    } finally {
      done = true
      await watcher
    }
    const elapsed = Date.now() - started
    expect(elapsed).toBeGreaterThan(1200)
    for (const read of seen) expect(read.sent, `at +${read.at - started} ms`).toBe(read.rows)
    // Partial progress was visible: some reads between none and all.
    const between = seen.filter((r) => r.sent > 0 && r.sent < 24)
    expect(between.length).toBeGreaterThan(0)
    // Never more than 2 s without a move while messages were going out.
    const moves = seen.filter((r, i) => i === 0 || r.sent !== seen[i - 1]!.sent).map((r) => r.at)
    const firstMove = seen.find((r) => r.sent > 0)!.at
    const lastMove = seen.find((r) => r.sent === 24)!.at
    const inWindow = moves.filter((t) => t >= firstMove && t <= lastMove)
    for (let i = 1; i < inWindow.length; i++) expect(inWindow[i]! - inWindow[i - 1]!).toBeLessThanOrEqual(2000)
    expect(new Set(seen.map((r) => r.sent)).size).toBeGreaterThanOrEqual(3)
  })

  it('a pause stops a batch already on the wire: what was handed off finishes, nothing new starts, the rest waits', async () => {
    const fixture = await makeSendingOrg(payload, { provider: 'smtp', smtpHost: '127.0.0.1', smtpPort: sink.port, batchSize: 100, batchDelaySeconds: 0 })
    const contacts = await makeRecipients(payload, fixture.org, 40)
    const jobID = await queueJob(fixture, contacts.map((c) => c.id))
    const before = sink.messages.length
    const run = runTriggersUntilDone(payload, jobID, 60_000)
    // Once the first messages are out (the whole job is one claimed batch), pause it as a person would.
    for (const deadline = Date.now() + 30_000; ; ) {
      const { rows } = await dbPool(payload).query<{ sent: number }>('SELECT sent::int FROM email_jobs WHERE id = $1', [jobID])
      if (rows[0]!.sent > 0) break
      if (Date.now() > deadline) throw new Error('nothing was sent')
      await new Promise((r) => setTimeout(r, 50))
    }
    const paused = await fixture.sender.post(`/email-jobs/${jobID}/pause`)
    expect(paused.status, JSON.stringify(paused.body)).toBe(200)
    expect(await run).toBe('paused')
    // The batch has returned: nothing is left mid-send, and only what reached the server counts as sent.
    const { job, rows } = await countersAndRows(payload, jobID)
    const reached = sink.messages.length - before
    expect(rows.sent).toBe(reached)
    expect(reached).toBeGreaterThan(0)
    expect(reached, 'a paused batch stopped short of the whole job').toBeLessThan(40)
    const { rows: left } = await dbPool(payload).query<{ sending: number; pending: number }>(
      `SELECT count(*) FILTER (WHERE status = 'sending')::int AS sending, count(*) FILTER (WHERE status = 'pending')::int AS pending FROM email_recipients WHERE job_id = $1`,
      [jobID],
    )
    expect(left[0]).toEqual({ sending: 0, pending: 40 - reached })
    expect(job.sent).toBe(reached)
    expect(job.pending).toBe(40 - reached)
    // Resumed, it sends the rest exactly once.
    expect((await fixture.sender.post(`/email-jobs/${jobID}/resume`)).status).toBe(200)
    expect(await runTriggersUntilDone(payload, jobID, 60_000)).toBe('completed')
    expect(sink.messages.length - before).toBe(40)
  })
})
