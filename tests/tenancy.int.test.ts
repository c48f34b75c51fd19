import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { type ApiClient, type ApiResponse, findOrgID, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeMedia, makeUser, unique, uploadForm } from './helpers/fixtures'

/**
 * A user of Other Org can neither list, read, create in, update nor delete anything of Demo Org,
 * through REST and GraphQL, for every collection that exists.
 */
let payload: Payload
let demo: number
let other: number
let outsider: ApiClient

const expectRestDenied = (res: ApiResponse) => {
  expect([403, 404]).toContain(res.status)
  expect(res.body.errors?.length).toBeGreaterThan(0)
}

const expectGqlDenied = (res: ApiResponse, field: string) => {
  expect(res.body.errors?.length).toBeGreaterThan(0)
  expect(res.body.data?.[field] ?? null).toBeNull()
}

const orgOf = (doc: any) => (typeof doc.org === 'object' && doc.org ? doc.org.id : doc.org)

beforeAll(async () => {
  payload = await getTestPayload()
  demo = await findOrgID(payload, 'demo-org')
  other = await findOrgID(payload, 'other-org')
  outsider = await loginAs('admin@other.test')
})

describe('contacts are isolated per org', () => {
  it('lists only own-org contacts (REST and GraphQL)', async () => {
    const rest = await outsider.get('/contacts?limit=1000&depth=0')
    expect(rest.status).toBe(200)
    expect(rest.body.totalDocs).toBeGreaterThanOrEqual(5)
    expect(rest.body.docs.every((d: any) => orgOf(d) === other)).toBe(true)

    const gql = await outsider.gql(`{ Contacts(limit: 1000) { totalDocs docs { email org { id } } } }`)
    expect(gql.body.errors).toBeUndefined()
    expect(gql.body.data.Contacts.docs.every((d: any) => d.org.id === other)).toBe(true)
    expect(gql.body.data.Contacts.totalDocs).toBe(rest.body.totalDocs)
  })

  it('cannot find Demo Org contacts by filtering on org or email', async () => {
    const target = await makeContact(payload, demo)
    const byOrg = await outsider.get(`/contacts?where[org][equals]=${demo}`)
    expect(byOrg.body.totalDocs).toBe(0)
    const byEmail = await outsider.gql(`query($e: EmailAddress) { Contacts(where: { email: { equals: $e } }) { totalDocs } }`, {
      e: target.email,
    })
    expect(byEmail.body.data?.Contacts?.totalDocs ?? 0).toBe(0)
  })

  it('cannot read, update or delete a Demo Org contact by id', async () => {
    const target = await makeContact(payload, demo, { firstName: 'Original' })
    expectRestDenied(await outsider.get(`/contacts/${target.id}`))
    expectRestDenied(await outsider.patch(`/contacts/${target.id}`, { firstName: 'Hacked' }))
    expectRestDenied(await outsider.delete(`/contacts/${target.id}`))
    expectGqlDenied(await outsider.gql(`{ Contact(id: ${target.id}) { email } }`), 'Contact')
    expectGqlDenied(
      await outsider.gql(`mutation { updateContact(id: ${target.id}, data: { firstName: "Hacked" }) { id } }`),
      'updateContact',
    )
    expectGqlDenied(await outsider.gql(`mutation { deleteContact(id: ${target.id}) { id } }`), 'deleteContact')

    const after = await payload.findByID({ collection: 'contacts', id: target.id })
    expect(after.firstName).toBe('Original')
  })

  it('bulk update and delete by where touch nothing in Demo Org', async () => {
    const target = await makeContact(payload, demo, { firstName: 'Bulk' })
    const update = await outsider.patch(`/contacts?where[id][equals]=${target.id}`, { firstName: 'Hacked' })
    expect(update.body.docs ?? []).toHaveLength(0)
    const del = await outsider.delete(`/contacts?where[id][equals]=${target.id}`)
    expect(del.body.docs ?? []).toHaveLength(0)
    const after = await payload.findByID({ collection: 'contacts', id: target.id })
    expect(after.firstName).toBe('Bulk')
  })

  it('cannot create a contact in Demo Org, nor move one there', async () => {
    const email = `${unique('x')}@example.com`
    expectRestDenied(await outsider.post('/contacts', { email, org: demo }))
    expectGqlDenied(
      await outsider.gql(`mutation($e: String!) { createContact(data: { email: $e, org: ${demo} }) { id } }`, { e: email }),
      'createContact',
    )
    const own = await makeContact(payload, other)
    const moved = await outsider.patch(`/contacts/${own.id}`, { org: demo })
    expect(moved.status).toBe(400)
    expect((await payload.findByID({ collection: 'contacts', id: own.id, depth: 0 })).org).toBe(other)
    expect(await payload.count({ collection: 'contacts', where: { email: { equals: email } } })).toEqual({ totalDocs: 0 })
  })
})

describe('organizations are isolated', () => {
  it('sees only its own org', async () => {
    const rest = await outsider.get('/organizations')
    expect(rest.body.docs.map((d: any) => d.id)).toEqual([other])
    const gql = await outsider.gql(`{ Organizations { docs { id } } }`)
    expect(gql.body.data.Organizations.docs.map((d: any) => d.id)).toEqual([other])
  })

  it('cannot read, rename, delete or create orgs', async () => {
    expectRestDenied(await outsider.get(`/organizations/${demo}`))
    expectRestDenied(await outsider.patch(`/organizations/${demo}`, { name: 'Pwned' }))
    expectRestDenied(await outsider.delete(`/organizations/${demo}`))
    expectRestDenied(await outsider.post('/organizations', { name: 'Sneaky', slug: unique('sneaky') }))
    expectGqlDenied(await outsider.gql(`{ Organization(id: ${demo}) { name } }`), 'Organization')
    expectGqlDenied(
      await outsider.gql(`mutation { updateOrganization(id: ${demo}, data: { name: "Pwned" }) { id } }`),
      'updateOrganization',
    )
    expectGqlDenied(await outsider.gql(`mutation { deleteOrganization(id: ${demo}) { id } }`), 'deleteOrganization')
    expect((await payload.findByID({ collection: 'organizations', id: demo })).name).toBe('Demo Org')
  })
})

describe('users are isolated', () => {
  it('lists only users of its own org (and itself)', async () => {
    const rest = await outsider.get('/users?limit=100&depth=0')
    const emails = rest.body.docs.map((d: any) => d.email)
    expect(emails).toContain('admin@other.test')
    expect(emails.some((e: string) => e.endsWith('@demo.test'))).toBe(false)
    const gql = await outsider.gql(`{ Users(limit: 100) { docs { email } } }`)
    expect(gql.body.data.Users.docs.some((d: any) => d.email.endsWith('@demo.test'))).toBe(false)
  })

  it('cannot read, edit, delete or create Demo Org users', async () => {
    const victim = await makeUser(payload, [{ org: demo, roles: ['sender'] }])
    expectRestDenied(await outsider.get(`/users/${victim.id}`))
    expectRestDenied(await outsider.patch(`/users/${victim.id}`, { email: `${unique('stolen')}@example.test` }))
    expectRestDenied(await outsider.delete(`/users/${victim.id}`))
    expectGqlDenied(await outsider.gql(`{ User(id: ${victim.id}) { email } }`), 'User')
    expectGqlDenied(
      await outsider.gql(`mutation { updateUser(id: ${victim.id}, data: { name: "Pwned" }) { id } }`),
      'updateUser',
    )
    expectGqlDenied(await outsider.gql(`mutation { deleteUser(id: ${victim.id}) { id } }`), 'deleteUser')
    const created = await outsider.post('/users', {
      email: `${unique('intruder')}@example.test`,
      password: 'intruder-password',
      orgs: [{ org: demo, roles: ['admin'] }],
    })
    expect([400, 403]).toContain(created.status)
    const after = await payload.findByID({ collection: 'users', id: victim.id })
    expect(after.email).toBe(victim.email)
    expect(after.name).toBe('Fixture User')
  })

  it('cannot add itself to Demo Org', async () => {
    const me = (await outsider.get('/users/me')).body.user
    const res = await outsider.patch(`/users/${me.id}`, {
      orgs: [...me.orgs.map((m: any) => ({ org: m.org.id ?? m.org, roles: m.roles })), { org: demo, roles: ['admin'] }],
    })
    expect([400, 403]).toContain(res.status)
    const after = await payload.findByID({ collection: 'users', id: me.id, depth: 0 })
    expect(after.orgs?.map((m) => m.org)).toEqual([other])
  })
})

describe('media (attachments) are private to their org', () => {
  it('lists, reads and downloads only own-org files', async () => {
    const file = await makeMedia(payload, demo)
    const list = await outsider.get('/media?limit=100&depth=0')
    expect(list.body.docs.some((d: any) => d.id === file.id)).toBe(false)
    expectRestDenied(await outsider.get(`/media/${file.id}`))
    const download = await outsider.get(`/media/file/${file.filename}`)
    expect([403, 404]).toContain(download.status)
    const gql = await outsider.gql(`{ allMedia { docs { id } } }`)
    expect(gql.body.data.allMedia.docs.some((d: any) => d.id === file.id)).toBe(false)
    expectGqlDenied(await outsider.gql(`{ Media(id: ${file.id}) { filename } }`), 'Media')

    const member = await loginAs('viewer@demo.test')
    const allowed = await member.get(`/media/file/${file.filename}`)
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('content-type')).toContain('image/png')
    const anonymousDownload = await (await import('./helpers/app')).anonymous().get(`/media/file/${file.filename}`)
    expect([401, 403, 404]).toContain(anonymousDownload.status)
  })

  it('cannot upload into, change or delete Demo Org files', async () => {
    const file = await makeMedia(payload, demo)
    const upload = await outsider.rest('POST', '/media', { formData: uploadForm({ org: demo, alt: 'x' }) })
    expect([400, 403]).toContain(upload.status)
    expectRestDenied(await outsider.patch(`/media/${file.id}`, { alt: 'Pwned' }))
    expectRestDenied(await outsider.delete(`/media/${file.id}`))
    expectGqlDenied(await outsider.gql(`mutation { updateMedia(id: ${file.id}, data: { alt: "Pwned" }) { id } }`), 'updateMedia')
    expectGqlDenied(await outsider.gql(`mutation { deleteMedia(id: ${file.id}) { id } }`), 'deleteMedia')
    expect((await payload.findByID({ collection: 'media', id: file.id })).alt).toBe('fixture')
  })
})

describe('anonymous requests', () => {
  it('see nothing org-scoped', async () => {
    const { anonymous } = await import('./helpers/app')
    for (const path of ['/contacts', '/organizations', '/users', '/media']) {
      const res = await anonymous().get(path)
      expect(res.status, path).toBe(403)
    }
    const gql = await anonymous().gql(`{ Contacts { docs { id } } }`)
    expect(gql.body.errors?.length).toBeGreaterThan(0)
  })
})
