import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { ORG_ROLES, roleAllows } from '@/access/roles'

import { type ApiClient, findOrgID, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeUser, unique, uploadForm } from './helpers/fixtures'

/** Behaviour follows the role matrix in src/access/roles.ts, for every role, through the API. */
let payload: Payload
let demo: number
const clients = {} as Record<(typeof ORG_ROLES)[number], ApiClient>

beforeAll(async () => {
  payload = await getTestPayload()
  demo = await findOrgID(payload, 'demo-org')
  for (const role of ORG_ROLES) clients[role] = await loginAs(`${role}@demo.test`)
})

describe.each(ORG_ROLES)('role %s in Demo Org', (role) => {
  it(`contacts.read: ${roleAllows(role, 'contacts.read') ? 'lists' : 'cannot list'} contacts`, async () => {
    const res = await clients[role].get('/contacts?limit=1')
    expect(res.status).toBe(200)
    expect(res.body.totalDocs > 0).toBe(roleAllows(role, 'contacts.read'))
  })

  it(`contacts.edit: ${roleAllows(role, 'contacts.edit') ? 'may' : 'may not'} create, edit and delete contacts`, async () => {
    const allowed = roleAllows(role, 'contacts.edit')
    const email = `${unique(role)}@example.com`
    const created = await clients[role].post('/contacts', { email, org: demo })
    expect(created.status).toBe(allowed ? 201 : 403)
    const viaGql = await clients[role].gql(`mutation($e: String!) { createContact(data: { email: $e, org: ${demo} }) { id } }`, {
      e: `gql-${email}`,
    })
    expect(Boolean(viaGql.body.data?.createContact?.id)).toBe(allowed)

    const target = await makeContact(payload, demo, { firstName: 'Before' })
    const updated = await clients[role].patch(`/contacts/${target.id}`, { firstName: 'After' })
    expect(updated.status).toBe(allowed ? 200 : 403)
    const deleted = await clients[role].delete(`/contacts/${target.id}`)
    expect(deleted.status).toBe(allowed ? 200 : 403)
    expect(await payload.count({ collection: 'contacts', where: { id: { equals: target.id } } })).toEqual({
      totalDocs: allowed ? 0 : 1,
    })
  })

  it(`media.upload: ${roleAllows(role, 'media.upload') ? 'may' : 'may not'} upload attachments`, async () => {
    const res = await clients[role].rest('POST', '/media', { formData: uploadForm({ org: demo, alt: role }) })
    expect(res.status).toBe(roleAllows(role, 'media.upload') ? 201 : 403)
  })

  it(`bookings.edit: ${roleAllows(role, 'bookings.edit') ? 'may' : 'may not'} make, move and cancel bookings; everyone reads them`, async () => {
    const allowed = roleAllows(role, 'bookings.edit')
    const admin = (await payload.find({ collection: 'users', where: { email: { equals: 'admin@demo.test' } }, limit: 1 })).docs[0]!
    const slot = Date.UTC(2028, 0, 1) + ORG_ROLES.indexOf(role) * 86_400_000
    const created = await clients[role].post('/bookings', { org: demo, owner: admin.id, title: unique('Visit'), start: new Date(slot).toISOString(), end: new Date(slot + 1_800_000).toISOString(), allowOverlap: true })
    expect(created.status).toBe(allowed ? 201 : 403)
    const target = await payload.create({ collection: 'bookings', data: { org: demo, owner: admin.id, title: unique('Call'), start: new Date(slot + 7_200_000).toISOString(), end: new Date(slot + 9_000_000).toISOString(), allowOverlap: true } as never })
    expect((await clients[role].get(`/bookings/${target.id}`)).status).toBe(200)
    expect((await clients[role].patch(`/bookings/${target.id}`, { status: 'cancelled' })).status).toBe(allowed ? 200 : 403)
    expect((await clients[role].delete(`/bookings/${target.id}`)).status).toBe(allowed ? 200 : 403)
  })

  it(`kb.edit: ${roleAllows(role, 'kb.edit') ? 'may' : 'may not'} write, publish and delete knowledge-base articles; everyone reads them`, async () => {
    const allowed = roleAllows(role, 'kb.edit')
    const created = await clients[role].post('/kb-articles', { org: demo, title: unique('Hours'), body: '## Weekdays\n\nOpen at 9.', status: 'published' })
    expect(created.status).toBe(allowed ? 201 : 403)
    const target = await payload.create({ collection: 'kb-articles', data: { org: demo, title: unique('Prices'), body: 'A cup of tea costs £1.', status: 'draft' } })
    expect((await clients[role].get(`/kb-articles/${target.id}`)).status).toBe(200)
    expect((await clients[role].patch(`/kb-articles/${target.id}`, { status: 'published' })).status).toBe(allowed ? 200 : 403)
    expect((await clients[role].delete(`/kb-articles/${target.id}`)).status).toBe(allowed ? 200 : 403)
  })

  it(`assistant.logs: ${roleAllows(role, 'assistant.logs') ? 'reads' : 'cannot read'} the assistant log; nobody writes it`, async () => {
    const entry = await payload.create({ collection: 'assistant-logs', data: { org: demo, kind: 'ask', question: unique('q'), outcome: 'unknown' } })
    const list = await clients[role].get(`/assistant-logs?where[id][equals]=${entry.id}`)
    if (roleAllows(role, 'assistant.logs')) expect(list.body.totalDocs).toBe(1)
    else expect(list.status).toBe(403)
    expect((await clients[role].patch(`/assistant-logs/${entry.id}`, { answer: 'changed' })).status).toBeGreaterThanOrEqual(403)
    expect((await clients[role].post('/assistant-logs', { org: demo, kind: 'ask', question: 'forged', outcome: 'answered' })).status).toBe(403)
  })

  it(`users.manage: ${roleAllows(role, 'users.manage') ? 'may' : 'may not'} add users and change roles`, async () => {
    const allowed = roleAllows(role, 'users.manage')
    const created = await clients[role].post('/users', {
      email: `${unique('new')}@example.test`,
      password: 'new-user-password',
      orgs: [{ org: demo, roles: ['viewer'] }],
    })
    expect(created.status).toBe(allowed ? 201 : 403)

    const colleague = await makeUser(payload, [{ org: demo, roles: ['viewer'] }])
    const promoted = await clients[role].patch(`/users/${colleague.id}`, { orgs: [{ org: demo, roles: ['sender'] }] })
    expect(promoted.status).toBe(allowed ? 200 : 403)
    const after = await payload.findByID({ collection: 'users', id: colleague.id, depth: 0 })
    expect(after.orgs?.[0]?.roles).toEqual(allowed ? ['sender'] : ['viewer'])
  })

  it(`org.settings: ${roleAllows(role, 'org.settings') ? 'may' : 'may not'} change the org`, async () => {
    const allowed = roleAllows(role, 'org.settings')
    const address = `${unique('addr')} Street`
    const res = await clients[role].patch(`/organizations/${demo}`, { postalAddress: address })
    expect(res.status).toBe(allowed ? 200 : 403)
    const org = await payload.findByID({ collection: 'organizations', id: demo })
    expect(org.postalAddress === address).toBe(allowed)
  })

  it('cannot raise its own role or make itself super admin', async () => {
    const me = (await clients[role].get('/users/me')).body.user
    const selfPromote = await clients[role].patch(`/users/${me.id}`, { isSuperAdmin: true })
    expect(selfPromote.status).toBe(403)
    const roleUp = await clients[role].patch(`/users/${me.id}`, { orgs: [{ org: demo, roles: ['admin'] }] })
    expect(roleUp.status).toBe(role === 'admin' ? 200 : 403)
    const after = await payload.findByID({ collection: 'users', id: me.id, depth: 0 })
    expect(after.isSuperAdmin).toBe(false)
    expect(after.orgs?.[0]?.roles).toEqual([role])
  })
})

describe('users', () => {
  it('any member may change their own name', async () => {
    const client = await loginAs('viewer@demo.test')
    const me = (await client.get('/users/me')).body.user
    const res = await client.patch(`/users/${me.id}`, { name: 'Vic Viewer' })
    expect(res.status).toBe(200)
  })

  it("an org admin cannot change the email of a user who also belongs to an org they don't administer", async () => {
    const other = await findOrgID(payload, 'other-org')
    const shared = await makeUser(payload, [
      { org: demo, roles: ['sender'] },
      { org: other, roles: ['sender'] },
    ])
    const admin = await loginAs('admin@demo.test')
    const res = await admin.patch(`/users/${shared.id}`, { email: `${unique('taken')}@example.test` })
    expect(res.status).toBe(403)
    expect(res.body.errors[0].message).toMatch(/only they can change/)
    const del = await admin.delete(`/users/${shared.id}`)
    expect(del.status).toBe(403)
    // but may still change the roles in the org they administer
    const roles = await admin.patch(`/users/${shared.id}`, {
      orgs: [
        { org: demo, roles: ['approver'] },
        { org: other, roles: ['sender'] },
      ],
    })
    expect(roles.status).toBe(200)
  })

  it('malformed memberships get a 400, not a server error', async () => {
    const admin = await loginAs('admin@demo.test')
    const colleague = await makeUser(payload, [{ org: demo, roles: ['viewer'] }])
    for (const orgs of [{ org: demo }, 'admin', [{ org: demo, roles: ['superuser'] }]]) {
      const res = await admin.patch(`/users/${colleague.id}`, { orgs })
      expect(res.status, JSON.stringify(orgs)).toBe(400)
    }
    const after = await payload.findByID({ collection: 'users', id: colleague.id, depth: 0 })
    expect(after.orgs?.[0]?.roles).toEqual(['viewer'])
  })

  it('a super admin may do anything, in every org', async () => {
    const superClient = await loginAs('super@demo.test')
    const orgs = await superClient.get('/organizations')
    expect(orgs.body.totalDocs).toBeGreaterThanOrEqual(2)
    const slug = unique('org')
    const created = await superClient.post('/organizations', { name: `Org ${slug}`, slug })
    expect(created.status).toBe(201)
  })

  it('locks an account after 5 failed logins', async () => {
    const { anonymous } = await import('./helpers/app')
    const user = await makeUser(payload, [{ org: demo, roles: ['viewer'] }])
    for (let i = 0; i < 5; i++) {
      const res = await anonymous().post('/users/login', { email: user.email, password: 'wrong-password' })
      expect(res.status).toBe(401)
    }
    const locked = await anonymous().post('/users/login', { email: user.email, password: 'fixture-password' })
    expect(locked.status).toBe(401)
    expect(JSON.stringify(locked.body)).toMatch(/locked/i)
  })

  it('a wrong password, a locked account and an unknown address get the same answer (REST and GraphQL)', async () => {
    const { anonymous } = await import('./helpers/app')
    const user = await makeUser(payload, [{ org: demo, roles: ['viewer'] }])
    const wrong = await anonymous().post('/users/login', { email: user.email, password: 'wrong-password' })
    const unknown = await anonymous().post('/users/login', { email: `${unique('nobody')}@example.test`, password: 'wrong-password' })
    for (let i = 0; i < 5; i++) await anonymous().post('/users/login', { email: user.email, password: 'wrong-password' })
    const locked = await anonymous().post('/users/login', { email: user.email, password: 'fixture-password' })
    expect([wrong.status, unknown.status, locked.status]).toEqual([401, 401, 401])
    expect(locked.body).toEqual(wrong.body)
    expect(unknown.body).toEqual(wrong.body)
    expect(wrong.body.errors[0].message).toMatch(/incorrect, or the account is locked/)
    const gql = async (email: string, password: string) =>
      (await anonymous().gql(`mutation($e: String!, $p: String!) { loginUser(email: $e, password: $p) { token } }`, { e: email, p: password })).body.errors?.[0]?.message
    expect(await gql(user.email, 'fixture-password')).toBe(wrong.body.errors[0].message)
    expect(await gql(`${unique('nobody')}@example.test`, 'x')).toBe(wrong.body.errors[0].message)
  })

  it('only an admin of one of the account’s orgs (or a super admin) unlocks it; the unlock is audited', async () => {
    const { anonymous } = await import('./helpers/app')
    const lockOut = async (email: string) => {
      for (let i = 0; i < 5; i++) await anonymous().post('/users/login', { email, password: 'wrong-password' })
    }
    const user = await makeUser(payload, [{ org: demo, roles: ['sender'] }])
    await lockOut(user.email)
    // A viewer, a sender and another org's admin may not, and cannot tell whether the account exists.
    for (const email of ['viewer@demo.test', 'sender@demo.test', 'admin@other.test']) {
      const client = await loginAs(email)
      const res = await client.post('/users/unlock', { email: user.email })
      expect(res.status, email).toBe(403)
      const ghost = await client.post('/users/unlock', { email: `${unique('ghost')}@example.test` })
      expect(ghost.status, email).toBe(403)
      expect(ghost.body).toEqual(res.body)
    }
    expect((await anonymous().post('/users/unlock', { email: user.email })).status).toBe(403)
    expect((await anonymous().post('/users/login', { email: user.email, password: 'fixture-password' })).status).toBe(401)

    const orgAdmin = await loginAs('admin@demo.test')
    const unlocked = await orgAdmin.post('/users/unlock', { email: user.email })
    expect(unlocked.status).toBe(200)
    expect((await anonymous().post('/users/login', { email: user.email, password: 'fixture-password' })).status).toBe(200)
    const audit = await payload.find({ collection: 'audit-logs', where: { and: [{ action: { equals: 'user.unlock' } }, { targetID: { equals: String(user.id) } }] }, depth: 0 })
    expect(audit.docs.map((entry) => [entry.org, entry.actorLabel, entry.summary])).toEqual([[demo, 'admin@demo.test', `Unlocked ${user.email} (failed logins reset)`]])

    await lockOut(user.email)
    expect((await (await loginAs('super@demo.test')).post('/users/unlock', { email: user.email })).status).toBe(200)
  })

  it('API keys act under exactly the same access rules', async () => {
    const { withApiKey } = await import('./helpers/app')
    const other = await findOrgID(payload, 'other-org')
    const sender = await loginAs('sender@demo.test')
    const me = (await sender.get('/users/me')).body.user
    const apiKey = unique('key').padEnd(40, 'x')
    const enabled = await sender.patch(`/users/${me.id}`, { enableAPIKey: true, apiKey })
    expect(enabled.status).toBe(200)
    const client = withApiKey(apiKey)
    const list = await client.get('/contacts?limit=1000&depth=0')
    expect(list.status).toBe(200)
    expect(list.body.docs.every((d: any) => d.org === demo)).toBe(true)
    const gql = await client.gql(`{ Contacts(limit: 1) { totalDocs } }`)
    expect(gql.body.data.Contacts.totalDocs).toBe(list.body.totalDocs)
    expect((await client.post('/contacts', { email: `${unique('k')}@example.com`, org: other })).status).toBe(403)
    expect((await client.post('/users', { email: `${unique('k')}@example.test`, password: 'x'.repeat(12) })).status).toBe(403)
    expect((await withApiKey('not-a-real-key'.padEnd(40, 'y')).get('/contacts')).status).toBe(403)
  })
})
