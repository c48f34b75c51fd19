import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { getTestPayload, loginAs } from './helpers/app'
import { makeUser, unique } from './helpers/fixtures'

let payload: Payload

beforeAll(async () => {
  payload = await getTestPayload()
})

describe('a new suppression’s organisation', () => {
  it('defaults to the org of an admin of one org (not the global list); an admin of two must choose', async () => {
    const orgs = await Promise.all(
      [1, 2].map(async () => {
        const name = unique('supp-org')
        return (await payload.create({ collection: 'organizations', data: { name, slug: name, postalAddress: '1 Road' } })).id
      }),
    )
    const single = await makeUser(payload, [{ org: orgs[0]!, roles: ['admin'] }], { password: 'fixture-password' })
    const client = await loginAs(single.email, 'fixture-password')
    const created = await client.post('/suppressions', { channel: 'email', address: `${unique('x')}@example.com`, reason: 'manual' })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.body.doc.org).toEqual(expect.objectContaining({ id: orgs[0] }))

    const double = await makeUser(payload, [{ org: orgs[0]!, roles: ['admin'] }, { org: orgs[1]!, roles: ['admin'] }], { password: 'fixture-password' })
    const both = await loginAs(double.email, 'fixture-password')
    const refused = await both.post('/suppressions', { channel: 'email', address: `${unique('x')}@example.com`, reason: 'manual' })
    expect(refused.status).toBe(403)
    expect(JSON.stringify(refused.body)).toMatch(/choose your organisation/)
  })
})
