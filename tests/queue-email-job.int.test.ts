import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { type ApiClient, findOrgID, getTestPayload, loginAs } from './helpers/app'
import { makeContact, unique } from './helpers/fixtures'

let payload: Payload
let demo: number
let other: number
let sender: ApiClient
let approvedTemplate: number

const BODY = '<p>Hi {{first_name}}</p><a href="{{unsubscribe_link}}">u</a>'

beforeAll(async () => {
  payload = await getTestPayload()
  demo = await findOrgID(payload, 'demo-org')
  other = await findOrgID(payload, 'other-org')
  sender = await loginAs('sender@demo.test')
  const tpl = await payload.create({
    collection: 'email-templates',
    data: { org: demo, name: unique('send'), subject: 'Hi', html: BODY, status: 'approved' },
  })
  approvedTemplate = tpl.id
})

const newJob = async (contacts: number[], template = approvedTemplate) => {
  const res = await sender.post('/email-jobs', { name: unique('job'), org: demo, template, contacts })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.doc.id as number
}

describe('queueing an email job', () => {
  it('writes one row per unique address, excludes suppressed ones with the reason, and counts exactly', async () => {
    const a = await makeContact(payload, demo, { email: `${unique('a')}@example.com` })
    const b = await makeContact(payload, demo, { email: `${unique('b')}@example.com` })
    const suppressed = await makeContact(payload, demo, { email: `${unique('s')}@example.com` })
    const globallySuppressed = await makeContact(payload, demo, { email: `${unique('g')}@example.com` })
    await payload.create({ collection: 'suppressions', data: { org: demo, address: suppressed.email, reason: 'bounce', channel: 'email', status: 'active' } })
    await payload.create({ collection: 'suppressions', data: { address: globallySuppressed.email, reason: 'spamreport', channel: 'email', status: 'active' } })
    // another org's suppression of the same address does not count here
    await payload.create({ collection: 'suppressions', data: { org: other, address: a.email, reason: 'unsubscribe', channel: 'email', status: 'active' } })

    const jobID = await newJob([a.id, b.id, suppressed.id, globallySuppressed.id])
    const res = await sender.post(`/email-jobs/${jobID}/queue`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toEqual(expect.objectContaining({ status: 'queued', total: 4, pending: 2, excluded: 2 }))

    const rows = await payload.find({ collection: 'email-recipients', where: { job: { equals: jobID } }, depth: 0, sort: 'email', limit: 10 })
    const byEmail = Object.fromEntries(rows.docs.map((r) => [r.email, r]))
    expect(byEmail[a.email]!.status).toBe('pending')
    expect(byEmail[suppressed.email]).toEqual(expect.objectContaining({ status: 'excluded', excludedReason: 'bounce' }))
    expect(byEmail[globallySuppressed.email]).toEqual(expect.objectContaining({ status: 'excluded', excludedReason: 'spamreport' }))

    const job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })
    expect(job).toEqual(expect.objectContaining({ status: 'queued', total: 4, pending: 2, excluded: 2 }))
    expect(job.settingsSnapshot).toEqual(expect.objectContaining({ provider: 'smtp', batchSize: expect.any(Number) }))
    expect(JSON.stringify(job.settingsSnapshot)).not.toMatch(/gAAAAA|"(password|apiKey)"/i)
    const audit = await payload.find({ collection: 'audit-logs', where: { and: [{ action: { equals: 'job.queue' } }, { targetID: { equals: String(jobID) } }] } })
    expect(audit.totalDocs).toBe(1)
  })

  it('queues a job once: the second request is a 409 and adds nothing', async () => {
    const c = await makeContact(payload, demo)
    const jobID = await newJob([c.id])
    expect((await sender.post(`/email-jobs/${jobID}/queue`)).status).toBe(200)
    const again = await sender.post(`/email-jobs/${jobID}/queue`)
    expect(again.status).toBe(409)
    expect(await payload.count({ collection: 'email-recipients', where: { job: { equals: jobID } } })).toEqual({ totalDocs: 1 })
    const frozen = await sender.patch(`/email-jobs/${jobID}`, { contacts: [] })
    expect(frozen.status).toBe(409)
  })

  it('only approved templates: refused when chosen, and again at queue time', async () => {
    const draft = await payload.create({ collection: 'email-templates', data: { org: demo, name: unique('draft'), subject: 's', html: BODY, status: 'draft' } })
    const c = await makeContact(payload, demo)
    const res = await sender.post('/email-jobs', { name: 'x', org: demo, template: draft.id, contacts: [c.id] })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].data.errors[0]).toEqual(expect.objectContaining({ path: 'template', message: expect.stringMatching(/Only approved templates/) }))
    // a template un-approved after the job was written is caught when queueing
    const tpl = await payload.create({ collection: 'email-templates', data: { org: demo, name: unique('later'), subject: 's', html: BODY, status: 'approved' } })
    const jobID = await newJob([c.id], tpl.id)
    await payload.update({ collection: 'email-templates', id: tpl.id, data: { status: 'draft' }, context: { skipWorkflow: true } })
    const queued = await sender.post(`/email-jobs/${jobID}/queue`)
    expect(queued.status).toBe(400)
    expect(queued.body.errors[0].message).toMatch(/Only approved templates/)
  })

  it('another org’s template is "does not exist", never its name or status', async () => {
    const foreign = await payload.create({
      collection: 'email-templates',
      data: { org: other, name: unique('secret-plan'), subject: 'Hi', html: BODY, status: 'approved' },
    })
    const res = await sender.post('/email-jobs', { name: unique('job'), org: demo, template: foreign.id, contacts: [] })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].data.errors).toEqual([expect.objectContaining({ path: 'template', message: `There is no template with id ${foreign.id}, or you cannot see it.` })])
    expect(JSON.stringify(res.body)).not.toContain(foreign.name)
  })

  it('refuses empty jobs, viewers and other orgs', async () => {
    const empty = await newJob([])
    expect((await sender.post(`/email-jobs/${empty}/queue`)).status).toBe(400)
    const c = await makeContact(payload, demo)
    const jobID = await newJob([c.id])
    expect((await (await loginAs('viewer@demo.test')).post(`/email-jobs/${jobID}/queue`)).status).toBe(403)
    expect((await (await loginAs('admin@other.test')).post(`/email-jobs/${jobID}/queue`)).status).toBe(404)
    const outsiderGql = await (await loginAs('admin@other.test')).gql(`{ EmailJobs(limit: 1000) { docs { id org { id } } } EmailRecipients(limit: 1000) { docs { id org { id } } } }`)
    const seen = [...(outsiderGql.body.data?.EmailJobs?.docs ?? []), ...(outsiderGql.body.data?.EmailRecipients?.docs ?? [])]
    expect(seen.filter((doc: { org: { id: number } }) => doc.org.id === demo)).toEqual([])
    expect(seen.some((doc: { id: number }) => doc.id === jobID)).toBe(false)
    expect((await payload.findByID({ collection: 'email-jobs', id: jobID })).status).toBe('draft')
  })

  it('recipients are read-only through the API', async () => {
    const rows = await sender.get('/email-recipients?limit=1')
    expect(rows.status).toBe(200)
    const id = rows.body.docs[0]?.id
    expect(id).toBeDefined()
    expect((await sender.patch(`/email-recipients/${id}`, { status: 'sent' })).status).toBe(403)
    expect((await sender.post('/email-recipients', { email: 'x@example.com' })).status).toBe(403)
  })
})

describe('reconcileJobCounters task', () => {
  it('restores counters to what the recipient rows say, through Payload’s jobs queue', async () => {
    const c1 = await makeContact(payload, demo)
    const c2 = await makeContact(payload, demo)
    const jobID = await newJob([c1.id, c2.id])
    expect((await sender.post(`/email-jobs/${jobID}/queue`)).status).toBe(200)
    const pool = (payload.db as any).pool
    await pool.query('UPDATE email_jobs SET total = 99, pending = 0, failed = 7 WHERE id = $1', [jobID])
    await payload.jobs.queue({ task: 'reconcileJobCounters', input: {}, queue: 'maintenance' })
    await payload.jobs.run({ queue: 'maintenance' })
    const job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })
    expect(job).toEqual(expect.objectContaining({ total: 2, pending: 2, failed: 0, excluded: 0 }))
  })
})
