import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Contact } from '@/payload-types'
import { closeOrgTransports } from '@/services/sending/get-org-transport'

import { type SendGridEventJSON, sendgridEvent } from './fakes/sendgrid-events'
import { type SendGridFake, startSendGridFake } from './fakes/sendgrid-fake'
import { anonymous, type ApiClient, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeUser, unique } from './helpers/fixtures'
import { makeRecipients, makeSendingOrg, queueJob, runTriggersUntilDone, type SendingOrg } from './helpers/send-fixtures'

/**
 * Engagement of a job, a template (two jobs) and a contact, from data made the way production makes it:
 * jobs sent through the SendGrid fake, events posted to the real webhook, suppressions as records.
 */

const API_KEY = 'SG.outpost-engagement-test'
let payload: Payload
let fake: SendGridFake
let fixture: SendingOrg
const savedBase = process.env.SENDGRID_API_BASE_URL

const T0 = Math.floor(Date.now() / 1000) + 60
const at = (offset: number) => new Date((T0 + offset) * 1000).toISOString()

let jobA: number
let jobB: number
let draftJob: number
let c1: Contact
let complainer: Contact
let stranger: ApiClient

const post = async (events: SendGridEventJSON[]) => {
  const response = await anonymous().post('/callbacks/sendgrid/', undefined, { raw: { type: 'application/json', body: JSON.stringify(events) } })
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return response.body
}

/** Sends the job through the SendGrid fake; returns, per contact id, a function making that recipient's events. */
const send = async (contacts: Contact[], extra: Record<string, unknown> = {}) => {
  const jobID = await queueJob(fixture, contacts.map((c) => c.id), extra)
  expect(await runTriggersUntilDone(payload, jobID)).toBe('completed')
  const rows = (await payload.find({ collection: 'email-recipients', where: { job: { equals: jobID } }, depth: 0, limit: 0, pagination: false })).docs
  const eventFor = (contact: Contact) => {
    const row = rows.find((r) => r.email === contact.email)!
    const delivery = fake.deliveries.find((d) => d.customArgs.outpost_recipient_id === String(row.id))!
    return (type: string, offset: number, extra: Record<string, unknown> = {}) => sendgridEvent(delivery, type, { timestamp: T0 + offset, ...extra })
  }
  return { jobID, eventFor }
}

beforeAll(async () => {
  payload = await getTestPayload()
  fake = await startSendGridFake({ apiKey: API_KEY })
  process.env.SENDGRID_API_BASE_URL = fake.url
  delete process.env.SENDGRID_WEBHOOK_PUBLIC_KEY
  fixture = await makeSendingOrg(payload, { provider: 'sendgrid', sendgridApiKey: API_KEY, batchSize: 100, batchDelaySeconds: 0 })
  stranger = await loginAs('sender@demo.test')

  const [first, r2, r3, r4, r5, r6, r7] = await makeRecipients(payload, fixture.org, 7)
  c1 = first!
  complainer = r4!
  // Unsubscribed before job A: excluded at queueing; an unsubscribe before the send is no engagement of this job.
  const excluded = await makeContact(payload, fixture.org, { email: `${unique('x')}@example.com` })
  await payload.create({ collection: 'suppressions', data: { org: fixture.org, address: excluded.email, reason: 'unsubscribe', channel: 'email', status: 'active', source: 'unsubscribe link' } })

  // Job A: c1 opens three times (one open posted twice) and clicks; r2 opens; r3 bounces; r4 is delivered and
  // complains in the same post; r5 unsubscribes through SendGrid; r6 is delivered and unsubscribes later by link.
  const a = await send([c1, r2!, r3!, r4!, r5!, r6!, excluded])
  jobA = a.jobID
  const e1 = a.eventFor(c1)
  const replayedOpen = e1('open', 200)
  await post([e1('processed', 0), e1('delivered', 60), e1('open', 100), replayedOpen, e1('open', 300), e1('click', 400)])
  await post([replayedOpen])
  const e2 = a.eventFor(r2!)
  await post([e2('delivered', 61), e2('open', 150)])
  await post([a.eventFor(r3!)('bounce', 62)])
  await post([a.eventFor(r4!)('delivered', 63), a.eventFor(r4!)('spamreport', 500)])
  await post([a.eventFor(r5!)('delivered', 64), a.eventFor(r5!)('unsubscribe', 600)])
  await post([a.eventFor(r6!)('delivered', 65)])

  // Job B, later, same template: c1 again (delivered, clicks), r7 dropped.
  const b = await send([c1, r7!])
  jobB = b.jobID
  await post([b.eventFor(c1)('delivered', 1000), b.eventFor(c1)('click', 1100)])
  await post([b.eventFor(r7!)('dropped', 1001)])

  // After both sends: r6 unsubscribes by link (credited to job A, its last message); c1 is put on the global
  // list (credited to job B only: job B's message came after job A's and before the unsubscribe).
  await payload.create({ collection: 'suppressions', data: { org: fixture.org, address: r6!.email, reason: 'unsubscribe', channel: 'email', status: 'active', source: 'unsubscribe link' } })
  await payload.create({ collection: 'suppressions', data: { org: null, address: c1.email, reason: 'unsubscribe', channel: 'email', status: 'active', source: 'import' } })

  // A draft with the same template: never sent, so not in the breakdown.
  const draft = await fixture.sender.post('/email-jobs', { name: unique('draft'), org: fixture.org, template: fixture.template, contacts: [c1.id] })
  expect(draft.status).toBe(201)
  draftJob = draft.body.doc.id
})

afterAll(async () => {
  if (savedBase === undefined) delete process.env.SENDGRID_API_BASE_URL
  else process.env.SENDGRID_API_BASE_URL = savedBase
  await closeOrgTransports()
  await fake.close()
})

const noRates = { delivery: null, bounce: null, complaint: null, unsubscribe: null, open: null, click: null }

describe('engagement of a job', () => {
  it('counts each recipient once per outcome, opens and clicks as events, with the rates and times', async () => {
    const res = await fixture.viewer.get(`/email-jobs/${jobA}/engagement`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    expect(res.body.job).toEqual(expect.objectContaining({ id: jobA, status: 'completed_with_errors' }))
    expect(res.body.engagement).toEqual({
      channel: 'email',
      counts: { total: 6, excluded: 1, sent: 6, delivered: 5, bounced: 1, dropped: 0, complained: 1, unsubscribed: 2, opened: 2, clicked: 1, opens: 4, clicks: 1, deliveredThenFailed: 1 },
      rates: { delivery: 5 / 6, bounce: 1 / 6, complaint: 1 / 5, unsubscribe: 2 / 5, open: 2 / 5, click: 1 / 5 },
      times: { firstOpenAt: at(100), lastOpenAt: at(300), firstClickAt: at(400), lastClickAt: at(400) },
    })

    const b = await fixture.sender.get(`/email-jobs/${jobB}/engagement`)
    expect(b.status).toBe(200)
    expect(b.body.engagement).toEqual({
      channel: 'email',
      counts: { total: 2, excluded: 0, sent: 2, delivered: 1, bounced: 0, dropped: 1, complained: 0, unsubscribed: 1, opened: 0, clicked: 1, opens: 0, clicks: 1, deliveredThenFailed: 0 },
      rates: { delivery: 1 / 2, bounce: 0, complaint: 0, unsubscribe: 1, open: 0, click: 1 },
      times: { firstOpenAt: null, lastOpenAt: null, firstClickAt: at(1100), lastClickAt: at(1100) },
    })
  })

  it('a complaint posted with its delivery fails the row and keeps its delivery time, so the delivery counts', async () => {
    const [row] = (await payload.find({ collection: 'email-recipients', where: { and: [{ job: { equals: jobA } }, { email: { equals: complainer.email } }] }, depth: 0 })).docs
    expect(row).toEqual(expect.objectContaining({ status: 'failed', deliveredAt: expect.any(String), providerCode: 'sendgrid:spamreport' }))
  })

  it('a job that sent nothing has zero counts and no rates', async () => {
    const res = await fixture.viewer.get(`/email-jobs/${draftJob}/engagement`)
    expect(res.status).toBe(200)
    expect(res.body.job).toEqual({ id: draftJob, name: expect.any(String), status: 'draft', queuedAt: null })
    expect(res.body.engagement.counts).toEqual({ total: 0, excluded: 0, sent: 0, delivered: 0, bounced: 0, dropped: 0, complained: 0, unsubscribed: 0, opened: 0, clicked: 0, opens: 0, clicks: 0, deliveredThenFailed: 0 })
    expect(res.body.engagement.rates).toEqual(noRates)
  })
})

describe('engagement of a template', () => {
  it('adds up its jobs and lists each sent job, newest first', async () => {
    const res = await fixture.viewer.get(`/email-templates/${fixture.template}/engagement`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.template).toEqual({ id: fixture.template, name: expect.any(String) })
    expect(res.body.engagement).toEqual({
      channel: 'email',
      counts: { total: 8, excluded: 1, sent: 8, delivered: 6, bounced: 1, dropped: 1, complained: 1, unsubscribed: 3, opened: 2, clicked: 2, opens: 4, clicks: 2, deliveredThenFailed: 1 },
      rates: { delivery: 6 / 8, bounce: 1 / 8, complaint: 1 / 6, unsubscribe: 3 / 6, open: 2 / 6, click: 2 / 6 },
      times: { firstOpenAt: at(100), lastOpenAt: at(300), firstClickAt: at(400), lastClickAt: at(1100) },
    })
    expect(res.body.jobCount).toBe(2)
    expect(res.body.jobs).toEqual([
      { id: jobB, name: expect.any(String), status: 'completed_with_errors', queuedAt: expect.any(String), sent: 2, delivered: 1, openRate: 0, clickRate: 1, bounceRate: 0, complaintRate: 0 },
      { id: jobA, name: expect.any(String), status: 'completed_with_errors', queuedAt: expect.any(String), sent: 6, delivered: 5, openRate: 2 / 5, clickRate: 1 / 5, bounceRate: 1 / 6, complaintRate: 1 / 5 },
    ])
  })

  it('a template never sent reads as empty', async () => {
    const template = await payload.create({
      collection: 'email-templates',
      data: { org: fixture.org, name: unique('unsent'), subject: 'Hi', html: '<p>Hi <a href="{{unsubscribe_link}}">unsubscribe</a></p>', status: 'approved' },
    })
    const res = await fixture.viewer.get(`/email-templates/${template.id}/engagement`)
    expect(res.status).toBe(200)
    expect(res.body.jobs).toEqual([])
    expect(res.body.jobCount).toBe(0)
    expect(res.body.engagement.counts.sent).toBe(0)
    expect(res.body.engagement.rates).toEqual(noRates)
  })
})

describe('engagement of a contact', () => {
  it('counts its messages and lists its latest events with their jobs', async () => {
    const res = await fixture.viewer.get(`/contacts/${c1.id}/engagement`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.contact).toEqual({ id: c1.id, email: c1.email })
    expect(res.body.channels).toEqual([
      {
        channel: 'email',
        counts: { total: 2, excluded: 0, sent: 2, delivered: 2, bounced: 0, dropped: 0, complained: 0, unsubscribed: 1, opened: 1, clicked: 2, opens: 3, clicks: 2, deliveredThenFailed: 0 },
        rates: { delivery: 1, bounce: 0, complaint: 0, unsubscribe: 1 / 2, open: 1 / 2, click: 1 },
        times: { firstOpenAt: at(100), lastOpenAt: at(300), firstClickAt: at(400), lastClickAt: at(1100) },
      },
    ])
    const jobName = async (id: number) => (await payload.findByID({ collection: 'email-jobs', id, depth: 0 })).name
    const [nameA, nameB] = [await jobName(jobA), await jobName(jobB)]
    expect(res.body.events.map((e: { type: string; occurredAt: string; channel: string; job: { id: number; name: string } }) => [e.type, e.occurredAt, e.channel, e.job])).toEqual([
      ['click', at(1100), 'email', { id: jobB, name: nameB }],
      ['delivered', at(1000), 'email', { id: jobB, name: nameB }],
      ['click', at(400), 'email', { id: jobA, name: nameA }],
      ['open', at(300), 'email', { id: jobA, name: nameA }],
      ['open', at(200), 'email', { id: jobA, name: nameA }],
      ['open', at(100), 'email', { id: jobA, name: nameA }],
      ['delivered', at(60), 'email', { id: jobA, name: nameA }],
      ['processed', at(0), 'email', { id: jobA, name: nameA }],
    ])
  })

  it('lists the 20 latest events only, newest first', async () => {
    const [busy] = await makeRecipients(payload, fixture.org, 1)
    // With a template of its own, so the template figures above stay what they are whatever the order.
    const other = await payload.create({
      collection: 'email-templates',
      data: { org: fixture.org, name: unique('busy'), subject: 'Hi', html: '<p>Hi <a href="{{unsubscribe_link}}">unsubscribe</a></p>', status: 'approved' },
    })
    const job = await send([busy!], { template: other.id })
    const opens = Array.from({ length: 23 }, (_, i) => job.eventFor(busy!)('open', 2000 + i))
    await post(opens)
    const res = await fixture.viewer.get(`/contacts/${busy!.id}/engagement`)
    expect(res.status).toBe(200)
    expect(res.body.channels[0].counts).toEqual(expect.objectContaining({ sent: 1, opened: 1, opens: 23 }))
    expect(res.body.events.map((e: { occurredAt: string }) => e.occurredAt)).toEqual(Array.from({ length: 20 }, (_, i) => at(2022 - i)))
  })

  it('a contact never messaged reads as empty', async () => {
    const quiet = await makeContact(payload, fixture.org)
    const res = await fixture.viewer.get(`/contacts/${quiet.id}/engagement`)
    expect(res.status).toBe(200)
    expect(res.body.channels[0].counts.sent).toBe(0)
    expect(res.body.channels[0].rates).toEqual(noRates)
    expect(res.body.events).toEqual([])
  })
})

describe('who may read engagement', () => {
  const paths = () => [`/email-jobs/${jobA}/engagement`, `/email-templates/${fixture.template}/engagement`, `/contacts/${c1.id}/engagement`]

  it('another org’s user gets 404, anonymous 401, members and the super admin 200', async () => {
    for (const path of paths()) {
      const foreign = await stranger.get(path)
      expect(foreign.status, path).toBe(404)
      expect(foreign.body.errors[0].message).toMatch(/^No such (email job|template|contact), or you cannot see it\.$/)
      expect(JSON.stringify(foreign.body)).not.toContain('"counts"')
      const anon = await anonymous().get(path)
      expect(anon.status, path).toBe(401)
      expect(anon.body.errors[0].message).toBe('Log in to see engagement.')
    }
    // A second member of the org (a viewer, logged in afresh) sees the figures, and so does the super admin.
    const member = await makeUser(payload, [{ org: fixture.org, roles: ['viewer'] }], { password: 'fixture-password' })
    const client = await loginAs(member.email, 'fixture-password')
    for (const path of paths()) expect((await client.get(path)).status, path).toBe(200)
    const superAdmin = await loginAs('super@demo.test')
    expect((await superAdmin.get(`/email-jobs/${jobA}/engagement`)).body.engagement.counts.sent).toBe(6)
  })

  it('ids that are not ids, or of nothing, are 404s with a reason', async () => {
    for (const collection of ['email-jobs', 'email-templates', 'contacts']) {
      for (const bad of ['abc', '0', '-1', '1.5', '0x1', '99999999999', '999999999']) {
        const res = await fixture.viewer.get(`/${collection}/${bad}/engagement`)
        expect(res.status, `${collection}/${bad}`).toBe(404)
        expect(res.body.errors[0].message).toMatch(/^No such/)
      }
    }
  })
})
