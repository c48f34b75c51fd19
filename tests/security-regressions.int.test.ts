import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { anonymous, type ApiClient, findOrgID, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeMedia, makeUser, pngFile, unique, uploadForm } from './helpers/fixtures'

/**
 * The defects found by the attacker's walk through the product (issue 13), one by one, each as it was
 * reproduced. The general proofs are tests/isolation.int.test.ts and tests/fuzz.int.test.ts.
 */
let payload: Payload
let demo: number
let other: number
let admin: ApiClient
let outsider: ApiClient
let viewer: ApiClient

const sentence = (body: { errors?: { message?: string }[] }) => body.errors?.[0]?.message ?? ''

beforeAll(async () => {
  payload = await getTestPayload()
  demo = await findOrgID(payload, 'demo-org')
  other = await findOrgID(payload, 'other-org')
  admin = await loginAs('admin@demo.test')
  outsider = await loginAs('admin@other.test')
  viewer = await loginAs('viewer@demo.test')
})

describe('ids with trailing junk never act on the real row', () => {
  it('DELETE /api/contacts/<id>abc and /<id>;DROP are 404s and the contact stays', async () => {
    const contact = await makeContact(payload, demo)
    for (const path of [`${contact.id}abc`, `${contact.id};DROP`, `${contact.id}.0`, `+${contact.id}`, `${contact.id}%20`]) {
      const res = await admin.delete(`/contacts/${path}`)
      expect(res.status, path).toBe(404)
      expect(sentence(res.body), path).toMatch(/^No such contact: ".*" is not an id\.$/)
      expect((await admin.get(`/contacts/${path}`)).status, path).toBe(404)
      expect((await admin.patch(`/contacts/${path}`, { firstName: 'Changed' })).status, path).toBe(404)
    }
    const after = await payload.findByID({ collection: 'contacts', id: contact.id, depth: 0 })
    expect(after.firstName).toBe('Fix')
  })
})

describe('bad input is a 4xx with a sentence', () => {
  it('ids that are not ids', async () => {
    for (const id of ['abc', '1e309', '9999999999999', '1.5', 'null']) {
      const res = await admin.get(`/contacts/${id}`)
      expect(res.status, id).toBe(404)
      expect(sentence(res.body), id).toMatch(/is not an id/)
    }
  })

  it('a preview for contact 9999999999999, a body of null, NUL in text', async () => {
    const template = (await payload.find({ collection: 'email-templates', where: { org: { equals: demo } }, limit: 1 })).docs[0]!
    const preview = await admin.post(`/email-templates/${template.id}/preview`, { contactID: 9_999_999_999_999 })
    expect(preview.status).toBe(404)
    expect(sentence(preview.body)).toBe('No such contact in this organisation.')
    const nullBody = await admin.rest('POST', '/contacts', { raw: { type: 'application/json', body: 'null' } })
    expect(nullBody.status).toBe(400)
    expect(sentence(nullBody.body)).toBe('The request body must be a JSON object.')
    const email = `${unique('nul')}@example.com`
    const nul = await admin.post('/contacts', { org: demo, email, firstName: 'a\u0000b' })
    expect(nul.status).toBe(400)
    expect(sentence(nul.body)).toMatch(/NUL characters/)
    expect((await payload.count({ collection: 'contacts', where: { email: { equals: email } } })).totalDocs).toBe(0)
  })

  it('filters and paging that used to reach the database as a 500, or return every row', async () => {
    const cases: [string, RegExp][] = [
      ['where[id][near]=1,2', /"near" cannot filter "id"/],
      ['where[tags][all]=x', /"all" cannot filter "tags"/],
      ['limit=1e309', /"limit" must be a whole number from 1 to 1000/],
      ['limit=-1', /"limit" must be a whole number from 1 to 1000/],
      ['limit=99999999', /"limit" must be a whole number from 1 to 1000/],
      ['limit=0', /"limit" must be a whole number from 1 to 1000/],
      ['page=-5', /"page" must be a whole number/],
      ['pagination=false', /needs a "limit"/],
    ]
    for (const [query, message] of cases) {
      const res = await admin.get(`/contacts?${query}`)
      expect(res.status, query).toBe(400)
      expect(sentence(res.body), query).toMatch(message)
    }
    // A bounded list still works, and so does a bulk change the admin's list makes (limit 0 = all matching).
    expect((await admin.get('/contacts?limit=1000&pagination=false')).status).toBe(200)
    const contact = await makeContact(payload, demo)
    expect((await admin.patch(`/contacts?limit=0&where[id][in]=${contact.id}`, { firstName: 'Bulk' })).body.docs).toHaveLength(1)
  })

  it('versions of a collection that keeps none are a 404', async () => {
    for (const path of ['/contacts/versions', '/contacts/versions/1', '/media/versions']) {
      const res = await admin.get(path)
      expect(res.status, path).toBe(404)
      expect(sentence(res.body), path).toMatch(/keep no version history/)
    }
  })

  it('deleting an organisation that has data is a 409 naming what is left, and deletes nothing; an empty one goes', async () => {
    const superAdmin = await loginAs('super@demo.test')
    const before = await payload.count({ collection: 'contacts', where: { org: { equals: demo } } })
    const refused = await superAdmin.delete(`/organizations/${demo}`)
    expect(refused.status).toBe(409)
    expect(sentence(refused.body)).toMatch(/^"Demo Org" still has \d+ members, \d+ contacts.*: delete or move them first\. Nothing was deleted\.$/)
    expect(await payload.count({ collection: 'contacts', where: { org: { equals: demo } } })).toEqual(before)
    expect((await payload.findByID({ collection: 'organizations', id: demo })).name).toBe('Demo Org')
    const gql = await superAdmin.gql(`mutation { deleteOrganization(id: ${demo}) { id } }`)
    expect(gql.body.errors?.[0]?.message).toMatch(/still has/)

    const slug = unique('empty')
    const empty = await payload.create({ collection: 'organizations', data: { name: `Empty ${slug}`, slug } })
    // Its seeded default template is data too: once removed, the org can go.
    await payload.delete({ collection: 'email-templates', where: { org: { equals: empty.id } } })
    expect((await superAdmin.delete(`/organizations/${empty.id}`)).status).toBe(200)
  })
})

describe('smaller leaks and role gaps', () => {
  it('whether an account is a super admin cannot be probed through the membership guard', async () => {
    const superID = (await payload.find({ collection: 'users', where: { email: { equals: 'super@demo.test' } } })).docs[0]!.id
    const plain = await makeUser(payload, [{ org: demo, roles: ['viewer'] }])
    // An admin of another org sees neither account: both answers are the same.
    const onSuper = await outsider.patch(`/users/${superID}`, { isSuperAdmin: false })
    const onPlain = await outsider.patch(`/users/${plain.id}`, { isSuperAdmin: false })
    expect(onSuper.status).toBe(onPlain.status)
    expect(onSuper.body).toEqual(onPlain.body)
    expect(sentence(onSuper.body)).not.toMatch(/super admin/)
  })

  it('a viewer cannot run Payload jobs over the API (every org’s queued work, in the web process)', async () => {
    await payload.jobs.queue({ task: 'reconcileJobCounters', input: {}, queue: 'security-test' })
    for (const client of [viewer, admin, anonymous()]) {
      const res = await client.get('/payload-jobs/run?queue=security-test')
      expect([401, 403]).toContain(res.status)
    }
    const waiting = await payload.find({ collection: 'payload-jobs', where: { and: [{ queue: { equals: 'security-test' } }, { completedAt: { exists: false } }] } })
    expect(waiting.totalDocs).toBe(1)
    const superAdmin = await loginAs('super@demo.test')
    expect((await superAdmin.get('/payload-jobs/run?queue=security-test')).status).toBe(200)
  })

  it('an upload’s stored name never tells which file names another org has', async () => {
    const name = `${unique('quarterly-plan')}.png`
    const demoFile = await payload.create({ collection: 'media', data: { org: demo, alt: 'x' }, file: { ...pngFile(), name } })
    const otherUpload = await outsider.rest('POST', '/media', { formData: uploadForm({ org: other, alt: 'y' }, { ...pngFile(), name }) })
    expect(otherUpload.status, JSON.stringify(otherUpload.body)).toBe(201)
    const stored = otherUpload.body.doc.filename as string
    // Same name in both orgs: no "-1" suffix that would reveal the other one.
    expect(stored).toMatch(new RegExp(`^[0-9a-f]{16}-${name.replace('.', '\\.')}$`))
    expect(demoFile.filename).not.toBe(stored)
    expect(stored.endsWith('-1.png')).toBe(false)
  })

  it('document locks: nobody locks another org’s document, nor one they cannot change, nor in someone else’s name', async () => {
    const contact = await makeContact(payload, demo)
    const demoAdmin = (await payload.find({ collection: 'users', where: { email: { equals: 'admin@demo.test' } } })).docs[0]!
    const lock = (userID: number) => ({ document: { relationTo: 'contacts', value: contact.id }, user: { relationTo: 'users', value: userID } })
    const outsiderID = (await outsider.get('/users/me')).body.user.id
    // Another org's admin, in the victim's name or its own.
    expect((await outsider.post('/payload-locked-documents', lock(demoAdmin.id))).status).toBe(403)
    expect((await outsider.post('/payload-locked-documents', lock(outsiderID))).status).toBe(403)
    // A viewer of the org cannot change contacts, so cannot lock one.
    const viewerID = (await viewer.get('/users/me')).body.user.id
    expect((await viewer.post('/payload-locked-documents', lock(viewerID))).status).toBe(403)
    // A sender can, but only in their own name.
    const sender = await loginAs('sender@demo.test')
    const senderID = (await sender.get('/users/me')).body.user.id
    expect((await sender.post('/payload-locked-documents', lock(demoAdmin.id))).status).toBe(403)
    const own = await sender.post('/payload-locked-documents', lock(senderID))
    expect(own.status, JSON.stringify(own.body)).toBe(201)
    // The other org does not see it; the org's admin does, and may take it over (in their own name only).
    expect((await outsider.get(`/payload-locked-documents?where[id][equals]=${own.body.doc.id}`)).body.totalDocs).toBe(0)
    expect((await admin.get(`/payload-locked-documents?where[id][equals]=${own.body.doc.id}`)).body.totalDocs).toBe(1)
    expect((await admin.patch(`/payload-locked-documents/${own.body.doc.id}`, { user: { relationTo: 'users', value: viewerID } })).status).toBe(403)
    expect((await admin.patch(`/payload-locked-documents/${own.body.doc.id}`, { user: { relationTo: 'users', value: demoAdmin.id } })).status).toBe(200)
    expect([403, 404]).toContain((await outsider.delete(`/payload-locked-documents/${own.body.doc.id}`)).status)
    expect((await admin.delete(`/payload-locked-documents/${own.body.doc.id}`)).status).toBe(200)
  })

  it('a media file of another org cannot be downloaded, even by its stored name', async () => {
    const file = await makeMedia(payload, demo)
    expect([403, 404]).toContain((await outsider.get(`/media/file/${file.filename}`)).status)
  })
})

describe('custom endpoints ask who is calling before they read their input', () => {
  it('an anonymous caller gets 401 with a sentence, with or without parameters', async () => {
    const calls: [string, string, unknown?][] = [
      ['GET', '/bookings/agenda'],
      ['GET', '/assistant/usage'],
      ['GET', '/calendar-connections/connect'],
      ['GET', '/exports/direct'],
      ['POST', '/suppressions/bulk', {}],
      ['GET', `/bookings/agenda?org=${demo}&from=2027-01-01T00:00:00Z&to=2027-01-08T00:00:00Z`],
      ['GET', `/exports/direct?org=${demo}&kind=contacts`],
    ]
    for (const [method, path, body] of calls) {
      const res = await anonymous().rest(method as 'GET', path, body === undefined ? {} : { body })
      expect([method, path, res.status]).toEqual([method, path, 401])
      expect(res.body.errors[0].message).toMatch(/^(Log|Sign) in to /)
    }
  })
})
