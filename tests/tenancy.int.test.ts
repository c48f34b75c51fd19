import { describe, expect, it } from 'vitest'

import { findOrgID, getTestPayload, loginAs } from './helpers/app'

describe('smoke', () => {
  it('logs in and lists contacts', async () => {
    const payload = await getTestPayload()
    const demo = await findOrgID(payload, 'demo-org')
    const client = await loginAs('sender@demo.test')
    const res = await client.get('/contacts?limit=100')
    expect(res.status).toBe(200)
    expect(res.body.totalDocs).toBe(50)
    expect(res.body.docs.every((d: any) => d.org.id === demo || d.org === demo)).toBe(true)
  })
})
