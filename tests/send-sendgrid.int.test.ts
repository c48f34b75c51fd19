import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { closeOrgTransports } from '@/services/sending/get-org-transport'

import { type SendGridFake, startSendGridFake } from './fakes/sendgrid-fake'
import { getTestPayload } from './helpers/app'
import { countersAndRows, makeRecipients, makeSendingOrg, queueJob, runTriggersUntilDone } from './helpers/send-fixtures'

const API_KEY = 'SG.outpost-test-key'
let payload: Payload
let fake: SendGridFake
const saved = process.env.SENDGRID_API_BASE_URL

const recipientsOf = async (jobID: number) =>
  (await payload.find({ collection: 'email-recipients', where: { job: { equals: jobID } }, depth: 0, limit: 0, pagination: false, sort: 'id' })).docs

beforeAll(async () => {
  payload = await getTestPayload()
  fake = await startSendGridFake({ apiKey: API_KEY })
  process.env.SENDGRID_API_BASE_URL = fake.url
})
afterAll(async () => {
  if (saved === undefined) delete process.env.SENDGRID_API_BASE_URL
  else process.env.SENDGRID_API_BASE_URL = saved
  await closeOrgTransports()
  await fake.close()
})

const sendgridOrg = (extra: Record<string, unknown> = {}) =>
  // A rate high enough that a batch's messages are all due at once and go in one request (paced at
  // 600 a minute, each would go alone, 100 ms apart).
  makeSendingOrg(payload, { provider: 'sendgrid', sendgridApiKey: API_KEY, batchSize: 50, batchDelaySeconds: 0, retryDelaySeconds: 1, maxRetries: 2, perMinuteLimit: 600_000, ...extra })

describe('sending a job through SendGrid’s v3 API (the official SDK against a loopback fake)', () => {
  it('many recipients per request, each personalised, our recipient id in custom_args and the message id stored', async () => {
    const fixture = await sendgridOrg()
    const contacts = await makeRecipients(payload, fixture.org, 60)
    const before = fake.requests.length
    const jobID = await queueJob(fixture, contacts.map((c) => c.id))
    expect(await runTriggersUntilDone(payload, jobID)).toBe('completed')

    const requests = fake.requests.slice(before)
    // Batches of 50: two API requests for 60 recipients, not 60.
    expect(requests.map((r) => r.json().personalizations.length).sort((a: number, b: number) => a - b)).toEqual([10, 50])
    const rows = await recipientsOf(jobID)
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true)
    for (const row of rows) {
      const delivered = fake.deliveries.filter((d) => d.to === row.email)
      expect(delivered).toHaveLength(1)
      const [delivery] = delivered
      expect(delivery!.customArgs.outpost_recipient_id).toBe(String(row.id))
      expect(row.providerMessageID).toBe(delivery!.messageID)
      const n = /-(\d+)@/.exec(row.email)![1]
      expect(delivery!.subject).toBe(`Hello First${n}`)
      expect(delivery!.html).toContain(`Dear First${n} Tester,`)
      expect(delivery!.text).toContain('9 Sender Lane, Testville')
      expect(delivery!.headers['List-Unsubscribe']).toMatch(/^<http:\/\/localhost:3000\/api\/unsubscribe\/[^>]+>$/)
      expect(delivery!.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click')
      expect(delivery!.html).toContain(delivery!.headers['List-Unsubscribe']!.slice(1, -1))
    }
    const { counters, rows: truth } = await countersAndRows(payload, jobID)
    expect(counters).toEqual(truth)
  })

  it('a 429 is retried with backoff; a 400 fails the request’s recipients at once with SendGrid’s reason', async () => {
    const fixture = await sendgridOrg({ batchSize: 3 })
    const contacts = await makeRecipients(payload, fixture.org, 6)
    const [throttled, , , invalid] = contacts.map((c) => c.email)
    let throttledOnce = false
    fake.setRecipientRule((address) => {
      if (address === throttled && !throttledOnce) {
        throttledOnce = true
        return { status: 429, message: 'too many requests' }
      }
      if (address === invalid) return { status: 400, message: 'Does not contain a valid address.' }
      return null
    })
    const jobID = await queueJob(fixture, contacts.map((c) => c.id))
    expect(await runTriggersUntilDone(payload, jobID)).toBe('completed_with_errors')
    fake.setRecipientRule(null)
    const rows = await recipientsOf(jobID)
    // The first request (3 recipients) was throttled once and went through on the retry.
    expect(rows.slice(0, 3).map((r) => [r.status, r.attempts])).toEqual([['sent', 2], ['sent', 2], ['sent', 2]])
    // The second request was refused: all of its recipients fail at once, with the reason and the HTTP status.
    for (const row of rows.slice(3)) {
      expect(row).toEqual(expect.objectContaining({ status: 'failed', attempts: 1, providerCode: '400' }))
      expect(row.lastError).toMatch(/SendGrid rejected the message: an address in the message is not valid \(HTTP 400\)/)
    }
  })

  it('a template test send goes through the org’s own provider', async () => {
    const fixture = await sendgridOrg()
    const before = fake.deliveries.length
    const res = await fixture.sender.post(`/email-templates/${fixture.template}/test-send`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const delivery = fake.deliveries.slice(before).find((d) => d.subject.startsWith('[TEST]'))
    expect(delivery).toBeDefined()
    expect(delivery!.to).toBe(res.body.sentTo)
    expect(delivery!.headers['X-Outpost-Test']).toBe('true')
    expect(res.body.providerMessageID).toBe(delivery!.messageID)
  })

  it('without an API key nothing is sent and the recipients end failed with a reason a person understands', async () => {
    const fixture = await makeSendingOrg(payload, { provider: 'sendgrid', batchDelaySeconds: 0, retryDelaySeconds: 1, maxRetries: 0 })
    const contacts = await makeRecipients(payload, fixture.org, 2)
    const before = fake.requests.length
    const savedKey = process.env.SENDGRID_API_KEY
    delete process.env.SENDGRID_API_KEY
    try {
      const jobID = await queueJob(fixture, contacts.map((c) => c.id))
      expect(await runTriggersUntilDone(payload, jobID)).toBe('failed')
      const rows = await recipientsOf(jobID)
      expect(rows.every((r) => r.status === 'failed' && /no API key is set/.test(r.lastError ?? ''))).toBe(true)
      expect(fake.requests.length).toBe(before)
      // A test send says so at once, as a clear 400.
      const test = await fixture.sender.post(`/email-templates/${fixture.template}/test-send`)
      expect(test.status).toBe(400)
      expect(test.body.errors[0].message).toMatch(/no API key is set/)
    } finally {
      if (savedKey !== undefined) process.env.SENDGRID_API_KEY = savedKey
    }
  })
})
