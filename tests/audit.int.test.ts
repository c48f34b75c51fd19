import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import type { User } from '@/payload-types'

import { type ApiClient, findOrgID, getTestPayload, loginAs } from './helpers/app'
import { makeUser } from './helpers/fixtures'

let payload: Payload
let demo: number
let entryID: number
let superAdmin: ApiClient

beforeAll(async () => {
  payload = await getTestPayload()
  demo = await findOrgID(payload, 'demo-org')
  superAdmin = await loginAs('super@demo.test')
  // a role change by an org admin creates an entry
  const admin = await loginAs('admin@demo.test')
  const user = await makeUser(payload, [{ org: demo, roles: ['viewer'] }])
  const res = await admin.patch(`/users/${user.id}`, { orgs: [{ org: demo, roles: ['approver'] }] })
  expect(res.status).toBe(200)
  const entries = await payload.find({ collection: 'audit-logs', where: { targetID: { equals: String(user.id) } } })
  expect(entries.docs[0]).toEqual(
    expect.objectContaining({ action: 'role.change', actorLabel: 'admin@demo.test', summary: expect.stringContaining('viewer → approver') }),
  )
  entryID = entries.docs[0]!.id
})

describe('audit log is append-only', () => {
  it('no one, super admin included, changes or deletes entries through REST or GraphQL', async () => {
    expect((await superAdmin.patch(`/audit-logs/${entryID}`, { summary: 'rewritten' })).status).toBe(403)
    expect((await superAdmin.delete(`/audit-logs/${entryID}`)).status).toBe(403)
    expect((await superAdmin.post('/audit-logs', { action: 'role.change', summary: 'forged' })).status).toBe(403)
    const gqlUpdate = await superAdmin.gql(`mutation { updateAuditLog(id: ${entryID}, data: { summary: "x" }) { id } }`)
    expect(gqlUpdate.body.errors?.length).toBeGreaterThan(0)
    const gqlDelete = await superAdmin.gql(`mutation { deleteAuditLog(id: ${entryID}) { id } }`)
    expect(gqlDelete.body.errors?.length).toBeGreaterThan(0)
    expect((await payload.findByID({ collection: 'audit-logs', id: entryID })).summary).toContain('viewer → approver')
  })

  it('nor through the Local API, with or without access control', async () => {
    const superUser = (await payload.find({ collection: 'users', where: { email: { equals: 'super@demo.test' } } })).docs[0] as User
    await expect(
      payload.update({ collection: 'audit-logs', id: entryID, data: { summary: 'x' }, user: superUser, overrideAccess: false }),
    ).rejects.toThrow()
    await expect(payload.delete({ collection: 'audit-logs', id: entryID, user: superUser, overrideAccess: false })).rejects.toThrow()
    await expect(payload.update({ collection: 'audit-logs', id: entryID, data: { summary: 'x' } })).rejects.toThrow(/cannot be changed/)
    await expect(payload.delete({ collection: 'audit-logs', id: entryID })).rejects.toThrow(/cannot be deleted/)
    expect(await payload.count({ collection: 'audit-logs', where: { id: { equals: entryID } } })).toEqual({ totalDocs: 1 })
  })

  it('org admins read their org’s entries; others cannot', async () => {
    const admin = await loginAs('admin@demo.test')
    const own = await admin.get('/audit-logs?limit=100&depth=0')
    expect(own.status).toBe(200)
    expect(own.body.docs.some((d: any) => d.id === entryID)).toBe(true)
    expect(own.body.docs.every((d: any) => d.org === demo)).toBe(true)
    const outsider = await loginAs('admin@other.test')
    const foreign = await outsider.get('/audit-logs?limit=100&depth=0')
    expect(foreign.body.docs.some((d: any) => d.id === entryID)).toBe(false)
    expect((await (await loginAs('sender@demo.test')).get('/audit-logs')).status).toBe(403)
    const filtered = await superAdmin.get(`/audit-logs?where[action][equals]=role.change&where[actorLabel][equals]=admin@demo.test`)
    expect(filtered.body.docs.some((d: any) => d.id === entryID)).toBe(true)
  })
})
