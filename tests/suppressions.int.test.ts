import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { type ApiClient, findOrgID, getTestPayload, loginAs } from './helpers/app'
import { unique } from './helpers/fixtures'

let payload: Payload
let demo: number
let admin: ApiClient
let sender: ApiClient
let outsider: ApiClient
let superAdmin: ApiClient

beforeAll(async () => {
  payload = await getTestPayload()
  demo = await findOrgID(payload, 'demo-org')
  ;[admin, sender, outsider, superAdmin] = await Promise.all(
    ['admin@demo.test', 'sender@demo.test', 'admin@other.test', 'super@demo.test'].map((e) => loginAs(e)),
  )
})

describe('suppressions', () => {
  it('an org admin adds one; the address is normalised; it is audited', async () => {
    const address = `${unique('Stop')}@Example.com`
    const res = await admin.post('/suppressions', { org: demo, address: `  ${address} `, reason: 'manual', note: 'asked by phone' })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.doc).toEqual(expect.objectContaining({ address: address.toLowerCase(), status: 'active', channel: 'email' }))
    const audit = await payload.find({ collection: 'audit-logs', where: { and: [{ targetCollection: { equals: 'suppressions' } }, { targetID: { equals: String(res.body.doc.id) } }] } })
    expect(audit.docs.map((d) => d.action)).toEqual(['suppression.create'])
    // An org admin cannot move the entry to the global list (which only a super admin manages).
    const moved = await admin.patch(`/suppressions/${res.body.doc.id}`, { org: null })
    expect(moved.status).toBe(403)
    expect((await payload.findByID({ collection: 'suppressions', id: res.body.doc.id, depth: 0 })).org).toBe(demo)
  })

  it('refuses invalid addresses, senders, other orgs and non-super global entries', async () => {
    expect((await admin.post('/suppressions', { org: demo, address: 'not-an-email' })).status).toBe(400)
    expect((await sender.post('/suppressions', { org: demo, address: `${unique('s')}@example.com` })).status).toBe(403)
    expect((await outsider.post('/suppressions', { org: demo, address: `${unique('o')}@example.com` })).status).toBe(403)
    // Asking for the global list outright is refused; without an org, the admin's own is taken.
    const global = await admin.post('/suppressions', { org: null, address: `${unique('g')}@example.com` })
    expect(global.status).toBe(403)
    expect(global.body.errors[0].message).toMatch(/global opt-out list/)
    const defaulted = await admin.post('/suppressions', { address: `${unique('g')}@example.com` })
    expect(defaulted.status, JSON.stringify(defaulted.body)).toBe(201)
    expect(defaulted.body.doc.org).toEqual(expect.objectContaining({ id: demo }))
    expect((await superAdmin.post('/suppressions', { address: `${unique('g')}@example.com`, reason: 'manual' })).status).toBe(201)
  })

  it('is isolated per org through REST and GraphQL; the global list is visible to members', async () => {
    const mine = await payload.create({ collection: 'suppressions', data: { channel: 'email', reason: 'manual', status: 'active', org: demo, address: `${unique('iso')}@example.com` } })
    const globalEntry = await payload.create({ collection: 'suppressions', data: { channel: 'email', reason: 'manual', status: 'active', address: `${unique('glob')}@example.com` } })
    const list = await outsider.get('/suppressions?limit=1000&depth=0')
    const ids = list.body.docs.map((d: any) => d.id)
    expect(ids).not.toContain(mine.id)
    expect(ids).toContain(globalEntry.id)
    expect([403, 404]).toContain((await outsider.get(`/suppressions/${mine.id}`)).status)
    expect([403, 404]).toContain((await outsider.patch(`/suppressions/${mine.id}`, { status: 'lifted', note: 'x' })).status)
    const gql = await outsider.gql(`{ Suppressions(limit: 1000) { docs { id } } }`)
    expect(gql.body.data.Suppressions.docs.map((d: any) => d.id)).not.toContain(mine.id)
    const gqlLift = await outsider.gql(`mutation { updateSuppression(id: ${mine.id}, data: { status: lifted, note: "x" }) { id } }`)
    expect(gqlLift.body.errors?.length).toBeGreaterThan(0)
    expect((await payload.findByID({ collection: 'suppressions', id: mine.id })).status).toBe('active')
  })

  it('lifting needs a reason and is audited; nobody deletes', async () => {
    const entry = await payload.create({ collection: 'suppressions', data: { channel: 'email', reason: 'manual', status: 'active', org: demo, address: `${unique('lift')}@example.com` } })
    expect((await admin.patch(`/suppressions/${entry.id}`, { status: 'lifted' })).status).toBe(400)
    const lifted = await admin.patch(`/suppressions/${entry.id}`, { status: 'lifted', note: 'Confirmed typo fixed' })
    expect(lifted.status).toBe(200)
    const audit = await payload.find({ collection: 'audit-logs', where: { and: [{ targetCollection: { equals: 'suppressions' } }, { targetID: { equals: String(entry.id) } }] } })
    expect(audit.docs.map((d) => d.action)).toContain('suppression.lift')
    expect((await superAdmin.delete(`/suppressions/${entry.id}`)).status).toBe(403)
  })
})
