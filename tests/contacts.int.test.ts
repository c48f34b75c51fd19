import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { type ApiClient, findOrgID, getTestPayload, loginAs } from './helpers/app'
import { unique, uploadForm } from './helpers/fixtures'

let payload: Payload
let demo: number
let other: number
let sender: ApiClient

beforeAll(async () => {
  payload = await getTestPayload()
  demo = await findOrgID(payload, 'demo-org')
  other = await findOrgID(payload, 'other-org')
  sender = await loginAs('sender@demo.test')
})

const fieldErrors = (body: any): { path: string; message: string }[] => body.errors?.[0]?.data?.errors ?? []

describe('contacts', () => {
  it('stores the email trimmed and lower-case', async () => {
    const local = unique('Mixed')
    const res = await sender.post('/contacts', { email: `  ${local}@Example.COM `, org: demo, firstName: 'Ada' })
    expect(res.status).toBe(201)
    expect(res.body.doc.email).toBe(`${local.toLowerCase()}@example.com`)
  })

  it('refuses an invalid email with a field error naming it', async () => {
    const res = await sender.post('/contacts', { email: 'not-an-email', org: demo })
    expect(res.status).toBe(400)
    expect(fieldErrors(res.body)).toEqual([expect.objectContaining({ path: 'email', message: '"not-an-email" is not a valid email address.' })])
    const missing = await sender.post('/contacts', { org: demo, firstName: 'No email' })
    expect(missing.status).toBe(400)
    expect(fieldErrors(missing.body).map((e) => e.path)).toContain('email')
  })

  it('keeps emails unique per org, case-insensitively, with a clear field error', async () => {
    const email = `${unique('dup')}@example.com`
    expect((await sender.post('/contacts', { email, org: demo })).status).toBe(201)
    const dup = await sender.post('/contacts', { email: email.toUpperCase(), org: demo })
    expect(dup.status).toBe(400)
    expect(fieldErrors(dup.body)).toEqual([
      expect.objectContaining({ path: 'email', message: 'A contact with this email already exists in this organisation.' }),
    ])
    const gql = await sender.gql(`mutation($e: String!) { createContact(data: { email: $e, org: ${demo} }) { id } }`, { e: email })
    expect(gql.body.errors?.[0]?.message).toMatch(/invalid: email/i)
    // the same address is fine in another org
    const elsewhere = await payload.create({ collection: 'contacts', data: { email, org: other } })
    expect(elsewhere.email).toBe(email)
  })

  it('refuses renaming a contact onto an address the org already has', async () => {
    const first = `${unique('a')}@example.com`
    await sender.post('/contacts', { email: first, org: demo })
    const second = await sender.post('/contacts', { email: `${unique('b')}@example.com`, org: demo })
    const res = await sender.patch(`/contacts/${second.body.doc.id}`, { email: first })
    expect(res.status).toBe(400)
    expect(fieldErrors(res.body)[0]?.path).toBe('email')
  })

  it('validates phone numbers and tag counts', async () => {
    const phone = await sender.post('/contacts', { email: `${unique('p')}@example.com`, org: demo, phone: 'call me maybe' })
    expect(phone.status).toBe(400)
    expect(fieldErrors(phone.body)[0]).toEqual(expect.objectContaining({ path: 'phone' }))
    const ok = await sender.post('/contacts', { email: `${unique('p')}@example.com`, org: demo, phone: '+44 (20) 7946-0958', tags: ['a', 'b'] })
    expect(ok.status).toBe(201)
    expect(ok.body.doc.tags).toEqual(['a', 'b'])
  })

  it('requires an organisation', async () => {
    const res = await sender.post('/contacts', { email: `${unique('n')}@example.com` })
    expect(res.status).toBe(400)
    expect(fieldErrors(res.body).map((e) => e.path)).toContain('org')
  })
})

describe('attachments', () => {
  it('refuses a file type outside the allow-list', async () => {
    const exe = { data: Buffer.from('MZ\x90\x00 not really a program'), mimetype: 'application/x-msdownload', name: 'run.exe', size: 26 }
    const res = await sender.rest('POST', '/media', { formData: uploadForm({ org: demo }, exe) })
    expect(res.status).toBe(400)
    expect(JSON.stringify(res.body)).toMatch(/file type|mime/i)
  })

  it('refuses a file over the size limit', async () => {
    const big = Buffer.alloc(11 * 1024 * 1024, 'a')
    const res = await sender.rest('POST', '/media', {
      formData: uploadForm({ org: demo }, { data: big, mimetype: 'text/plain', name: 'big.txt', size: big.length }),
    })
    expect([400, 413]).toContain(res.status)
    expect(JSON.stringify(res.body)).toMatch(/too large|limit|size/i)
  })

  it('accepts an allowed file into the sender’s org', async () => {
    const res = await sender.rest('POST', '/media', { formData: uploadForm({ org: demo, alt: 'logo' }) })
    expect(res.status).toBe(201)
    expect(res.body.doc.mimeType).toBe('image/png')
    expect(res.body.doc.org.id ?? res.body.doc.org).toBe(demo)
  })
})
