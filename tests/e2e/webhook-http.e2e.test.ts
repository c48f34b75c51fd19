import { randomBytes } from 'node:crypto'

import { describe, expect, inject, it } from 'vitest'

const baseURL = inject('baseURL')

/** SendGrid does not follow redirects: the production server must answer both URL forms itself. */
describe('the SendGrid webhook URL on the production server (next start)', () => {
  it.each(['/api/callbacks/sendgrid/', '/api/callbacks/sendgrid'])('POST %s answers 200 without a redirect', async (path) => {
    const event = { email: 'nobody@example.net', event: 'open', timestamp: Math.floor(Date.now() / 1000), sg_event_id: randomBytes(12).toString('hex') }
    const response = await fetch(`${baseURL}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: JSON.stringify([event]) })
    expect(response.status).toBe(200)
    expect(response.headers.get('location')).toBeNull()
    expect(await response.json()).toEqual(expect.objectContaining({ status: 'ok', failed_updated: 0, updated: 0, stored: 1 }))
  })

  it('a body that is not an array gets a 400 with the reason, on the trailing-slash URL too', async () => {
    const response = await fetch(`${baseURL}/api/callbacks/sendgrid/`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: '{"event":"open"}' })
    expect(response.status).toBe(400)
    expect((await response.json()).errors[0].message).toMatch(/not a JSON array/)
  })
})
