import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { ensureDefaultTemplates } from '@/services/templates/ensure-default-template'

import { type ApiClient, findOrgID, getTestPayload, loginAs } from './helpers/app'
import { makeContact, unique } from './helpers/fixtures'
import { type SmtpSink, startSmtpSink } from './fakes/smtp-sink'

let payload: Payload
let demo: number
let other: number
let sender: ApiClient
let approver: ApiClient
let admin: ApiClient
let viewer: ApiClient
let outsider: ApiClient
let ids: Record<string, number>

const BODY = '<p>Hello {{first_name}}</p><p><a href="{{unsubscribe_link}}">Unsubscribe</a></p>'
const fieldErrors = (body: any): { message: string; path: string }[] => body.errors?.[0]?.data?.errors ?? []

const createDraft = async (client: ApiClient, extra: Record<string, unknown> = {}) => {
  const res = await client.post('/email-templates', { name: unique('tpl'), subject: 'Hi {{first_name}}', html: BODY, org: demo, ...extra })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.doc as { id: number; status: string }
}
const setStatus = (client: ApiClient, id: number, status: string, extra: Record<string, unknown> = {}) =>
  client.patch(`/email-templates/${id}`, { status, ...extra })
const auditFor = async (id: number) =>
  (
    await payload.find({ collection: 'audit-logs', where: { and: [{ targetCollection: { equals: 'email-templates' } }, { targetID: { equals: String(id) } }] }, sort: 'createdAt', depth: 0 })
  ).docs.map((d) => d.action)

beforeAll(async () => {
  payload = await getTestPayload()
  demo = await findOrgID(payload, 'demo-org')
  other = await findOrgID(payload, 'other-org')
  ;[sender, approver, admin, viewer, outsider] = await Promise.all(
    ['sender@demo.test', 'approver@demo.test', 'admin@demo.test', 'viewer@demo.test', 'admin@other.test'].map((e) => loginAs(e)),
  )
  // The demo users by email (other test files add users of their own, newer ones first).
  const users = await payload.find({ collection: 'users', where: { email: { in: ['sender@demo.test', 'approver@demo.test', 'admin@demo.test', 'viewer@demo.test', 'admin@other.test'] } }, limit: 10, depth: 0 })
  ids = Object.fromEntries(users.docs.map((u) => [u.email, u.id]))
})

describe('template validation', () => {
  it('requires {{unsubscribe_link}} in the body or the footer', async () => {
    const res = await sender.post('/email-templates', { name: 'x', subject: 's', html: '<p>no link</p>', org: demo })
    expect(res.status).toBe(400)
    expect(fieldErrors(res.body)).toEqual([
      expect.objectContaining({ path: 'html', message: expect.stringContaining('{{unsubscribe_link}}') }),
    ])
    const inFooter = await sender.post('/email-templates', {
      name: unique('f'),
      subject: 's',
      html: '<p>Hi</p>',
      footer: '<a href="{{ unsubscribe_link }}">stop</a>',
      org: demo,
    })
    expect(inFooter.status).toBe(201)
  })

  it('names an unknown variable and refuses unsafe syntax', async () => {
    const res = await sender.post('/email-templates', { name: 'x', subject: 'Hi {{frist_name}}', html: BODY, org: demo })
    expect(res.status).toBe(400)
    expect(fieldErrors(res.body)).toEqual([expect.objectContaining({ path: 'subject', message: 'Unknown variable {{frist_name}}.' })])
    const raw = await sender.post('/email-templates', { name: 'x', subject: 's', html: `${BODY}{{{first_name}}}`, org: demo })
    expect(fieldErrors(raw.body)[0]?.message).toMatch(/Triple braces/)
    const helper = await sender.post('/email-templates', { name: 'x', subject: 's', html: `${BODY}{{#each contacts}}x{{/each}}`, org: demo })
    expect(fieldErrors(helper.body)[0]?.message).toMatch(/Only \{\{#if/)
  })

  it('a missing subject or one over 500 characters is a field error, not a server error', async () => {
    const missing = await sender.post('/email-templates', { name: unique('ns'), html: BODY, org: demo })
    expect(missing.status).toBe(400)
    expect(fieldErrors(missing.body)).toEqual([expect.objectContaining({ path: 'subject' })])
    const long = await sender.post('/email-templates', { name: unique('ls'), subject: 'x'.repeat(5000), html: BODY, org: demo })
    expect(long.status).toBe(400)
    expect(fieldErrors(long.body)).toEqual([expect.objectContaining({ path: 'subject', message: expect.stringMatching(/500/) })])
  })
})

describe('approval workflow', () => {
  it('draft → pending → approved, recorded and audited', async () => {
    const tpl = await createDraft(sender)
    expect(tpl.status).toBe('draft')
    const submitted = await setStatus(sender, tpl.id, 'pending')
    expect(submitted.status).toBe(200)
    expect(submitted.body.doc.submittedBy.id ?? submitted.body.doc.submittedBy).toBe(ids['sender@demo.test'])
    expect((await setStatus(sender, tpl.id, 'approved')).status).toBe(403)
    const approved = await setStatus(approver, tpl.id, 'approved')
    expect(approved.status).toBe(200)
    expect(approved.body.doc.status).toBe('approved')
    expect(approved.body.doc.approvedBy.id ?? approved.body.doc.approvedBy).toBe(ids['approver@demo.test'])
    expect(Date.parse(approved.body.doc.approvedAt)).toBeGreaterThan(Date.now() - 60_000)
    expect(await auditFor(tpl.id)).toEqual(['template.submit', 'template.approve'])
  })

  it('refuses skipping review, rejecting without reason, and new templates that are not drafts', async () => {
    const tpl = await createDraft(sender)
    const skip = await setStatus(approver, tpl.id, 'approved')
    expect(skip.status).toBe(400)
    expect(skip.body.errors[0].message).toMatch(/Only a pending template/)
    await setStatus(sender, tpl.id, 'pending')
    const noReason = await setStatus(approver, tpl.id, 'rejected')
    expect(noReason.status).toBe(400)
    const oddReason = await setStatus(approver, tpl.id, 'rejected', { rejectionReason: 123 })
    expect(oddReason.status).toBe(400)
    expect(oddReason.body.errors[0].message).toMatch(/Say why/)
    const rejected = await setStatus(approver, tpl.id, 'rejected', { rejectionReason: 'Too salesy' })
    expect(rejected.status).toBe(200)
    expect(rejected.body.doc.rejectionReason).toBe('Too salesy')
    const born = await sender.post('/email-templates', { name: 'x', subject: 's', html: BODY, org: demo, status: 'approved' })
    expect(born.status).toBe(400)
  })

  it('ignores workflow fields a client sets directly', async () => {
    const tpl = await createDraft(sender)
    const res = await sender.patch(`/email-templates/${tpl.id}`, { approvedBy: ids['sender@demo.test'], approvedAt: new Date().toISOString() })
    expect(res.status).toBe(200)
    const stored = await payload.findByID({ collection: 'email-templates', id: tpl.id, depth: 0 })
    expect(stored.approvedBy ?? null).toBeNull()
    expect(stored.status).toBe('draft')
  })

  it('enforces four-eyes unless the org turns it off', async () => {
    const tpl = await createDraft(admin)
    await setStatus(admin, tpl.id, 'pending')
    const own = await setStatus(admin, tpl.id, 'approved')
    expect(own.status).toBe(403)
    expect(own.body.errors[0].message).toMatch(/Four-eyes/)
    const ownReject = await setStatus(admin, tpl.id, 'rejected', { rejectionReason: 'Not mine to judge' })
    expect(ownReject.status).toBe(403)
    await payload.update({ collection: 'organizations', id: demo, data: { requireFourEyes: false } })
    try {
      // Without four-eyes the submitter may decide either way.
      const selfRejected = await createDraft(admin)
      await setStatus(admin, selfRejected.id, 'pending')
      expect((await setStatus(admin, selfRejected.id, 'rejected', { rejectionReason: 'Withdrawn: wrong offer' })).status).toBe(200)
      expect((await setStatus(admin, tpl.id, 'approved')).status).toBe(200)
    } finally {
      await payload.update({ collection: 'organizations', id: demo, data: { requireFourEyes: true } })
    }
  })

  it('sends an approved or pending template back to draft when its content changes', async () => {
    const tpl = await createDraft(sender)
    await setStatus(sender, tpl.id, 'pending')
    await setStatus(approver, tpl.id, 'approved')
    const edited = await sender.patch(`/email-templates/${tpl.id}`, { subject: 'Changed {{first_name}}' })
    expect(edited.status).toBe(200)
    expect(edited.body.doc.status).toBe('draft')
    expect(edited.body.doc.approvedBy ?? null).toBeNull()
    expect(edited.body.doc.approvedAt ?? null).toBeNull()
    expect((await auditFor(tpl.id)).at(-1)).toBe('template.reset_to_draft')
    const both = await setStatus(approver, tpl.id, 'approved', { html: `${BODY}<p>sneaky</p>` })
    expect([400, 403]).toContain(both.status)
    // renaming is not content: the approval stays
    await setStatus(sender, tpl.id, 'pending')
    await setStatus(approver, tpl.id, 'approved')
    const renamed = await sender.patch(`/email-templates/${tpl.id}`, { name: unique('renamed') })
    expect(renamed.body.doc.status).toBe('approved')
  })

  it('viewers cannot move templates; approvers cannot edit content', async () => {
    const tpl = await createDraft(sender)
    expect((await setStatus(viewer, tpl.id, 'pending')).status).toBe(403)
    const edit = await approver.patch(`/email-templates/${tpl.id}`, { html: `${BODY}<p>x</p>` })
    expect(edit.status).toBe(403)
    expect((await viewer.post('/email-templates', { name: 'x', subject: 's', html: BODY, org: demo })).status).toBe(403)
  })

  it('approvers cannot rename a template or make it the default (403), and the admin shows those fields read-only to them', async () => {
    const tpl = await createDraft(sender)
    const original = await payload.findByID({ collection: 'email-templates', id: tpl.id, depth: 0 })
    const rename = await approver.patch(`/email-templates/${tpl.id}`, { name: 'Renamed by approver' })
    expect(rename.status).toBe(403)
    expect(rename.body.errors[0].message).toBe('Your role cannot rename templates.')
    const makeDefault = await approver.patch(`/email-templates/${tpl.id}`, { isDefault: true })
    expect(makeDefault.status).toBe(403)
    expect(makeDefault.body.errors[0].message).toBe('Your role cannot choose the default template.')
    const gql = await approver.gql(`mutation { updateEmailTemplate(id: ${tpl.id}, data: { name: "Renamed" }) { name } }`)
    expect(gql.body.errors?.[0]?.message).toBe('Your role cannot rename templates.')
    const stored = await payload.findByID({ collection: 'email-templates', id: tpl.id, depth: 0 })
    expect([stored.name, stored.isDefault]).toEqual([original.name, false])
    // Sending the stored values back (as the admin's form does with read-only fields) is no change, so it passes.
    expect((await approver.patch(`/email-templates/${tpl.id}`, { name: original.name, isDefault: false, html: stored.html })).status).toBe(200)
    // The same field access drives the admin form: read-only for the approver, editable for the sender.
    const permissionsOf = async (client: ApiClient) => (await client.post(`/email-templates/access/${tpl.id}`)).body.fields
    const forApprover = await permissionsOf(approver)
    const forSender = await permissionsOf(sender)
    for (const field of ['name', 'subject', 'html', 'text', 'footer', 'isDefault']) {
      expect(forApprover[field], field).toEqual({ read: true })
      // Payload shortens "every permission" to true.
      expect(forSender[field], field).toEqual(true)
    }
  })

  it('works the same through GraphQL', async () => {
    const tpl = await createDraft(sender)
    const submit = await sender.gql(`mutation { updateEmailTemplate(id: ${tpl.id}, data: { status: pending }) { status } }`)
    expect(submit.body.data?.updateEmailTemplate?.status).toBe('pending')
    const selfApprove = await sender.gql(`mutation { updateEmailTemplate(id: ${tpl.id}, data: { status: approved }) { status } }`)
    expect(selfApprove.body.errors?.[0]?.message).toMatch(/cannot approve/)
    const approve = await approver.gql(`mutation { updateEmailTemplate(id: ${tpl.id}, data: { status: approved }) { status approvedBy { email } } }`)
    expect(approve.body.data.updateEmailTemplate).toEqual({ status: 'approved', approvedBy: { email: 'approver@demo.test' } })
  })

  it('another org can neither read nor approve Demo Org templates', async () => {
    const tpl = await createDraft(sender)
    await setStatus(sender, tpl.id, 'pending')
    expect([403, 404]).toContain((await outsider.get(`/email-templates/${tpl.id}`)).status)
    expect([403, 404]).toContain((await setStatus(outsider, tpl.id, 'approved')).status)
    const gql = await outsider.gql(`mutation { updateEmailTemplate(id: ${tpl.id}, data: { status: approved }) { status } }`)
    expect(gql.body.errors?.length).toBeGreaterThan(0)
    const list = await outsider.gql(`{ EmailTemplates(limit: 200) { docs { org { id } } } }`)
    expect(list.body.data.EmailTemplates.docs.every((d: any) => d.org.id === other)).toBe(true)
    expect((await payload.findByID({ collection: 'email-templates', id: tpl.id })).status).toBe('pending')
  })

  it('duplicating an approved template gives a new draft with none of the original decisions', async () => {
    const tpl = await createDraft(sender, { isDefault: true })
    await setStatus(sender, tpl.id, 'pending')
    expect((await setStatus(approver, tpl.id, 'approved')).status).toBe(200)
    const copy = await sender.post(`/email-templates/${tpl.id}/duplicate`, {})
    expect(copy.status, JSON.stringify(copy.body)).toBe(200)
    expect(copy.body.doc).toEqual(expect.objectContaining({ status: 'draft', isDefault: false, approvedBy: null, approvedAt: null, submittedBy: null }))
    expect(copy.body.doc.name).toMatch(/ \(copy\)$/)
    expect((await payload.findByID({ collection: 'email-templates', id: tpl.id, depth: 0 })).status).toBe('approved')
  })

  it('keeps version history', async () => {
    const tpl = await createDraft(sender)
    await sender.patch(`/email-templates/${tpl.id}`, { subject: 'Second {{first_name}}' })
    const versions = await sender.get(`/email-templates/versions?where[parent][equals]=${tpl.id}`)
    expect(versions.status).toBe(200)
    expect(versions.body.totalDocs).toBeGreaterThanOrEqual(2)
  })
})

describe('default template', () => {
  it('exactly one per org: marking one default unmarks the other', async () => {
    const a = await createDraft(sender, { isDefault: true })
    const b = await createDraft(sender)
    await sender.patch(`/email-templates/${b.id}`, { isDefault: true })
    const defaults = await payload.find({ collection: 'email-templates', where: { and: [{ org: { equals: demo } }, { isDefault: { equals: true } }] } })
    expect(defaults.docs.map((d) => d.id)).toEqual([b.id])
    expect((await payload.findByID({ collection: 'email-templates', id: a.id })).isDefault).toBe(false)
    // Submitting while taking the default flag: the entry names the submitted template, not the one unmarked.
    const c = await createDraft(sender)
    expect((await sender.patch(`/email-templates/${c.id}`, { status: 'pending', isDefault: true })).status).toBe(200)
    expect(await auditFor(c.id)).toEqual(['template.submit'])
    expect(await auditFor(b.id)).toEqual([])
  })

  it('the seeder is idempotent and never overwrites an edited default', async () => {
    const snapshot = async () =>
      (await payload.find({ collection: 'email-templates', limit: 0, pagination: false, sort: 'id', depth: 0 })).docs.map((d) => [
        d.id,
        d.updatedAt,
        d.subject,
        d.isDefault,
      ])
    const slug = unique('neworg')
    const org = await payload.create({ collection: 'organizations', data: { name: `New ${slug}`, slug } })
    const created = await payload.find({ collection: 'email-templates', where: { org: { equals: org.id } } })
    expect(created.docs).toHaveLength(1)
    expect(created.docs[0]).toEqual(expect.objectContaining({ isDefault: true, status: 'approved' }))
    expect(created.docs[0]!.html + (created.docs[0]!.footer ?? '')).toContain('{{unsubscribe_link}}')
    expect(created.docs[0]!.approvedAt).toBeTruthy()

    const first = await ensureDefaultTemplates(payload)
    const before = await snapshot()
    const second = await ensureDefaultTemplates(payload)
    expect(second.every((r) => r.outcome === 'kept')).toBe(true)
    expect(first.every((r) => r.outcome === 'kept')).toBe(true)
    expect(await snapshot()).toEqual(before)
  })
})

describe('preview and test send', () => {
  let sink: SmtpSink
  beforeAll(async () => {
    sink = await startSmtpSink()
    process.env.SMTP_HOST = '127.0.0.1'
    process.env.SMTP_PORT = String(sink.port)
  })
  afterAll(async () => {
    delete process.env.SMTP_HOST
    delete process.env.SMTP_PORT
    await sink.close()
  })

  it('renders with a chosen contact, HTML-escaped, with footer and address', async () => {
    const tpl = await createDraft(sender)
    const contact = await makeContact(payload, demo, { firstName: '<b>Zoë</b>' })
    const res = await viewer.post(`/email-templates/${tpl.id}/preview`, { contactID: contact.id })
    expect(res.status).toBe(200)
    expect(res.body.subject).toBe('Hi <b>Zoë</b>')
    expect(res.body.html).toContain('Hello &lt;b&gt;Zoë&lt;/b&gt;')
    const { postalAddress } = await payload.findByID({ collection: 'organizations', id: demo })
    expect(postalAddress).toBeTruthy()
    expect(res.body.html).toContain(postalAddress)
    expect(res.body.html).toContain('/api/unsubscribe/preview')
    expect(res.body.text).toContain('Hello <b>Zoë</b>')
    const sample = await viewer.post(`/email-templates/${tpl.id}/preview`, {})
    expect(sample.body.subject).toBe('Hi Ada')
  })

  it('refuses other orgs’ contacts and templates, and bad unsaved content', async () => {
    const tpl = await createDraft(sender)
    const foreign = await makeContact(payload, other)
    expect((await sender.post(`/email-templates/${tpl.id}/preview`, { contactID: foreign.id })).status).toBe(404)
    expect((await outsider.post(`/email-templates/${tpl.id}/preview`, {})).status).toBe(404)
    for (const id of ['abc', '1e3', '99999999999']) expect((await sender.post(`/email-templates/${id}/preview`, {})).status, id).toBe(404)
    expect((await sender.post(`/email-templates/${tpl.id}/preview`, undefined, { raw: { type: 'application/json', body: '[1,2]' } })).status).toBe(400)
    const bad = await sender.post(`/email-templates/${tpl.id}/preview`, { content: { subject: '{{nope}}' } })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0].message).toContain('{{nope}}')
    const huge = await sender.post(`/email-templates/${tpl.id}/preview`, { content: { html: `<p>{{unsubscribe_link}}</p>${'x'.repeat(200_001)}` } })
    expect(huge.status).toBe(400)
    expect(huge.body.errors[0].message).toMatch(/html is longer than 200,000 characters/)
  })

  it('sends a marked test to the requesting user only, and audits it', async () => {
    const tpl = await createDraft(sender)
    sink.reset()
    const res = await sender.post(`/email-templates/${tpl.id}/test-send`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const [message] = await sink.waitFor(1)
    expect(message!.to).toEqual(['sender@demo.test'])
    expect(message!.parsed.subject).toBe('[TEST] Hi Sasha')
    // sent with the org's own identity (no from settings here: its name, the default address)
    expect(message!.parsed.from?.value[0]).toEqual(expect.objectContaining({ name: 'Demo Org', address: 'outpost@localhost' }))
    expect(message!.parsed.headers.get('x-outpost-test')).toBe('true')
    expect(await auditFor(tpl.id)).toContain('template.test_send')
    expect((await viewer.post(`/email-templates/${tpl.id}/test-send`)).status).toBe(403)
    expect((await outsider.post(`/email-templates/${tpl.id}/test-send`)).status).toBe(404)
  })
})

describe('system writes that bypass the workflow', () => {
  it('do not leak the bypass into later writes of the same request', async () => {
    const { createLocalReq } = await import('payload')
    const user = (await payload.find({ collection: 'users', where: { email: { equals: 'sender@demo.test' } } })).docs[0]!
    const req = await createLocalReq({ user: { ...user, collection: 'users' } as never }, payload)
    const a = await createDraft(sender)
    const approved = await payload.create({
      collection: 'email-templates',
      data: { org: demo, name: unique('appr'), subject: 's', html: BODY, status: 'approved' },
    })
    // moving the default flag runs a workflow-bypassing system update inside this request…
    await payload.update({ collection: 'email-templates', id: a.id, data: { isDefault: true }, req, user, overrideAccess: false })
    // …and a content change later in the same request still goes through the workflow
    const edited = await payload.update({
      collection: 'email-templates',
      id: approved.id,
      data: { subject: 'Changed' },
      req,
      user,
      overrideAccess: false,
    })
    expect(edited.status).toBe('draft')
    expect(req.context.skipWorkflow).toBeUndefined()
  })
})
