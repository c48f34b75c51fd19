import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { anonymous, type ApiClient, findOrgID, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeUser, unique } from './helpers/fixtures'

/**
 * GET /api/contacts/picker?org=: every contact of the org in compact rows with its active suppression,
 * for the recipient picker; only for members (through REST, as the admin panel calls it).
 */
let payload: Payload
let org: number
let other: number
let member: ApiClient
let viewer: ApiClient
let ids: Record<string, number>

beforeAll(async () => {
  payload = await getTestPayload()
  other = await findOrgID(payload, 'other-org')
  const slug = unique('picker')
  org = (await payload.create({ collection: 'organizations', data: { name: slug, slug, postalAddress: '1 Picker Lane' } })).id
  const contact = async (email: string, firstName?: string, lastName?: string, tags?: string[]) =>
    (await makeContact(payload, org, { email, firstName: firstName ?? null, lastName: lastName ?? null, tags })).id
  ids = {
    zoe: await contact(`zoe-${slug}@example.com`, 'Zoë', 'Adams', ['vip', 'donor']),
    anna: await contact(`Anna-${slug}@Example.com`, ' Anna ', 'Berg "the \\ one"', ['donor']),
    bounced: await contact(`bounced-${slug}@example.com`, 'Bea', 'Bounce'),
    global: await contact(`global-${slug}@example.com`, 'Gil', 'Global'),
    lifted: await contact(`lifted-${slug}@example.com`, 'Lia', 'Lifted'),
    otherOrgs: await contact(`elsewhere-${slug}@example.com`, 'Eli', 'Elsewhere'),
    nameless: await contact(`nameless-${slug}@example.com`),
  }
  const suppress = (address: string, reason: string, data: Record<string, unknown> = {}) =>
    payload.create({ collection: 'suppressions', data: { org, address, reason, channel: 'email', status: 'active', ...data } as never })
  await suppress(`bounced-${slug}@example.com`, 'bounce')
  await suppress(`global-${slug}@example.com`, 'spamreport', { org: null })
  await suppress(`lifted-${slug}@example.com`, 'manual', { status: 'lifted' })
  await suppress(`elsewhere-${slug}@example.com`, 'unsubscribe', { org: other })
  // An SMS suppression with Anna's address as its text (the admin refuses that now; older data may hold
  // it, so it goes in by SQL) is another channel: her email is not suppressed.
  await (payload.db as unknown as { pool: { query: (sql: string, values: unknown[]) => Promise<unknown> } }).pool.query(
    `INSERT INTO suppressions (org_id, address, channel, reason, status) VALUES ($1, $2, 'sms', 'keyword', 'active')`,
    [org, `anna-${slug}@example.com`],
  )
  // A contact of another org with the same name never shows up here.
  await makeContact(payload, other, { email: `zoe-${slug}@example.com`, firstName: 'Zoë', lastName: 'Adams' })

  const senderUser = await makeUser(payload, [{ org, roles: ['sender'] }])
  const viewerUser = await makeUser(payload, [{ org, roles: ['viewer'] }])
  member = await loginAs(senderUser.email, 'fixture-password')
  viewer = await loginAs(viewerUser.email, 'fixture-password')
})

describe('GET /api/contacts/picker', () => {
  it('returns every contact of the org, sorted by name (unnamed last), with its active suppression and tags', async () => {
    const res = await member.get(`/contacts/picker?org=${org}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toContain('no-store')
    expect(res.body.mode).toBe('local')
    // The org's tags, alphabetically; each contact's tags are indexes into them, in the contact's order.
    expect(res.body.tags).toEqual(['donor', 'vip'])
    const rows = res.body.contacts as [number, string, string, string | null, number[]][]
    expect(rows.find(([id]) => id === ids.zoe)?.[4]).toEqual([1, 0])
    expect(rows.find(([id]) => id === ids.nameless)?.[4]).toEqual([])
    expect(rows.map(([id]) => id)).toEqual([ids.anna, ids.bounced, ids.otherOrgs, ids.global, ids.lifted, ids.zoe, ids.nameless])
    const byID = new Map(rows.map((row) => [row[0], row]))
    // quotes and backslashes survive the JSON built by PostgreSQL; spaces around names are trimmed
    expect(byID.get(ids.anna)).toEqual([ids.anna, 'Anna Berg "the \\ one"', expect.stringMatching(/^anna-.*@example\.com$/), null, [0]])
    expect(byID.get(ids.bounced)?.[3]).toBe('bounce')
    expect(byID.get(ids.global)?.[3]).toBe('spamreport')
    // lifted, another org's and another channel's suppressions do not count
    expect(byID.get(ids.lifted)?.[3]).toBeNull()
    expect(byID.get(ids.otherOrgs)?.[3]).toBeNull()
    expect(byID.get(ids.nameless)?.[1]).toBe('')
  })

  it('answers any role of the org that may read contacts (a viewer too)', async () => {
    const res = await viewer.get(`/contacts/picker?org=${org}`)
    expect(res.status).toBe(200)
    expect(res.body.contacts).toHaveLength(7)
  })

  it('refuses a user of another org, with a reason, and leaks nothing', async () => {
    const outsider = await loginAs('admin@other.test')
    const res = await outsider.get(`/contacts/picker?org=${org}`)
    expect([403, 404]).toContain(res.status)
    expect(res.body.errors[0].message).toMatch(/not a member|cannot/)
    expect(res.body.contacts).toBeUndefined()
    // and a member of this org cannot read Demo Org's either
    const demo = await findOrgID(payload, 'demo-org')
    const cross = await member.get(`/contacts/picker?org=${demo}`)
    expect([403, 404]).toContain(cross.status)
  })

  it('a super admin may list any org', async () => {
    const res = await (await loginAs('super@demo.test')).get(`/contacts/picker?org=${org}`)
    expect(res.status).toBe(200)
    expect(res.body.contacts).toHaveLength(7)
  })

  it('needs a login', async () => {
    const res = await anonymous().get(`/contacts/picker?org=${org}`)
    expect(res.status).toBe(401)
    expect(res.body.errors[0].message).toMatch(/Log in/)
  })

  it.each([
    ['', /Say which organisation/],
    ['?org=', /Say which organisation/],
    ['?org=abc', /positive whole number/],
    ['?org=0', /positive whole number/],
    ['?org=-4', /positive whole number/],
    ['?org=1.5', /positive whole number/],
    ['?org=12345678901', /positive whole number/],
  ])('refuses a bad org parameter %j with 400 and a reason', async (query, reason) => {
    const res = await member.get(`/contacts/picker${query}`)
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).toMatch(reason)
  })

  it('an org without contacts gets an empty list', async () => {
    const slug = unique('empty')
    const empty = (await payload.create({ collection: 'organizations', data: { name: slug, slug, postalAddress: '2 Picker Lane' } })).id
    const res = await (await loginAs('super@demo.test')).get(`/contacts/picker?org=${empty}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ mode: 'local', tags: [], contacts: [] })
  })

  it('an org that does not exist is 404', async () => {
    const res = await member.get('/contacts/picker?org=999999999')
    expect(res.status).toBe(404)
    expect(res.body.errors[0].message).toMatch(/No such organisation/)
  })
})
