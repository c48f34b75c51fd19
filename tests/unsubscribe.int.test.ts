import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { closeOrgTransports, getOrgTransport } from '@/services/sending/get-org-transport'
import { loadSendContext } from '@/services/sending/load-send-context'
import { runEmailJob } from '@/services/sending/run-email-job'
import { sendNextBatch } from '@/services/sending/send-next-batch'
import { createUnsubscribeToken } from '@/services/unsubscribe/unsubscribe-token'

import { type SmtpSink, startSmtpSink } from './fakes/smtp-sink'
import { anonymous, getTestPayload } from './helpers/app'
import { makeRecipients, makeSendingOrg, queueJob, type SendingOrg } from './helpers/send-fixtures'

let payload: Payload
let sink: SmtpSink
let fixture: SendingOrg

const ONE_CLICK = { type: 'application/x-www-form-urlencoded', body: 'List-Unsubscribe=One-Click' }
const suppressionsOf = async (address: string) =>
  (await payload.find({ collection: 'suppressions', where: { and: [{ org: { equals: fixture.org } }, { address: { equals: address } }] }, depth: 0 })).docs

beforeAll(async () => {
  payload = await getTestPayload()
  sink = await startSmtpSink()
  fixture = await makeSendingOrg(payload, { provider: 'smtp', smtpHost: '127.0.0.1', smtpPort: sink.port, batchSize: 2, batchDelaySeconds: 0 })
})
afterAll(async () => {
  await closeOrgTransports()
  await sink.close()
})

describe('unsubscribing through the link in a message', () => {
  it('GET only asks; POST (one-click, no cookies) suppresses once, audited; a running job skips the address from then on', async () => {
    const contacts = await makeRecipients(payload, fixture.org, 4)
    const [first, , third, fourth] = contacts.map((c) => c.email) as [string, string, string, string]
    const jobID = await queueJob(fixture, contacts.map((c) => c.id))
    const context = await loadSendContext(payload, jobID)
    expect((await sendNextBatch({ payload, context, transport: () => getOrgTransport(context) })).kind).toBe('sent')

    // The link the first recipient actually received (the batch's two messages go over a pool of
    // connections, so they may arrive in either order).
    const received = (await sink.waitFor(2)).find((message) => message.to.includes(first))
    const header = received!.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')!.line.replace(/\r?\n\s+/g, ' ')
    const path = /<http:\/\/localhost:3000\/api(\/unsubscribe\/[^>]+)>/.exec(header)![1]!
    expect(received!.to).toEqual([first])

    const asked = await anonymous().get(path)
    expect(asked.status).toBe(200)
    expect(asked.headers.get('content-type')).toMatch(/text\/html/)
    expect(asked.body).toContain(first)
    expect(asked.body).toMatch(/<form method="post">/)
    expect(await suppressionsOf(first)).toHaveLength(0)

    const done = await anonymous().post(path, undefined, { raw: ONE_CLICK })
    expect(done.status).toBe(200)
    expect(done.body).toContain('You are unsubscribed')
    const [suppression] = await suppressionsOf(first)
    expect(suppression).toEqual(expect.objectContaining({ reason: 'unsubscribe', status: 'active', channel: 'email', source: 'unsubscribe link' }))
    const again = await anonymous().post(path, undefined, { raw: ONE_CLICK })
    expect(again.status).toBe(200)
    expect(again.body).toContain('already unsubscribed')
    expect(await suppressionsOf(first)).toHaveLength(1)
    const audit = await payload.find({ collection: 'audit-logs', where: { and: [{ action: { equals: 'suppression.create' } }, { targetID: { equals: String(suppression!.id) } }] } })
    expect(audit.totalDocs).toBe(1)

    // The fourth recipient unsubscribes while the job is still sending: the rest of the job skips them.
    const token = createUnsubscribeToken({ org: fixture.org, address: fourth, channel: 'email' })
    expect((await anonymous().post(`/unsubscribe/${encodeURIComponent(token)}`, undefined, { raw: ONE_CLICK })).status).toBe(200)
    await runEmailJob({ payload, jobID, deadlineMs: Date.now() + 10_000 })
    const rows = Object.fromEntries(
      (await payload.find({ collection: 'email-recipients', where: { job: { equals: jobID } }, depth: 0 })).docs.map((r) => [r.email, r]),
    )
    expect(rows[third]!.status).toBe('sent')
    expect(rows[fourth]).toEqual(expect.objectContaining({ status: 'excluded', excludedReason: 'unsubscribe' }))
    expect(sink.messages.filter((m) => m.to.includes(fourth))).toHaveLength(0)
  })

  it('a tampered or cut-off token gets a clear 400 page and suppresses nothing; the preview link explains itself', async () => {
    const address = 'someone@example.com'
    const token = createUnsubscribeToken({ org: fixture.org, address, channel: 'email' })
    // One character of the signature changed (to another one: never the same letter back).
    const tampered = `${token.slice(0, -3)}${token.at(-3) === 'A' ? 'B' : 'A'}${token.slice(-2)}`
    expect(tampered).not.toBe(token)
    for (const bad of [tampered, token.slice(0, 20), 'not-a-token']) {
      const shown = await anonymous().get(`/unsubscribe/${encodeURIComponent(bad)}`)
      expect(shown.status).toBe(400)
      expect(shown.body).toContain('This unsubscribe link is not valid')
      expect((await anonymous().post(`/unsubscribe/${encodeURIComponent(bad)}`, undefined, { raw: ONE_CLICK })).status).toBe(400)
    }
    expect(await suppressionsOf(address)).toHaveLength(0)
    // Every time, and for POST too (the page must not be a single shared response).
    for (const method of ['get', 'get', 'post', 'get'] as const) {
      const preview = await anonymous()[method]('/unsubscribe/preview')
      expect(preview.status, method).toBe(200)
      expect(preview.body).toContain('preview')
    }
  })
})
