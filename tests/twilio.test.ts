import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { computeTwilioSignature, createTwilioTransport, verifyTwilioSignature } from '@/integrations/sms'

import { startTwilioFake, type TwilioFake } from './fakes/twilio-fake'

describe('Twilio request signatures', () => {
  const params = {
    From: '+14155550100',
    To: '+14155550199',
    Body: 'STOP',
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
  }
  const url = 'https://example.com/sms/inbound?org=7'

  it('reproduces Twilio’s test vector', () => {
    expect(computeTwilioSignature('12345', url, params)).toBe('gLqmUtpHKiz27VyAA4GLZ/z78j4=')
    expect(verifyTwilioSignature('12345', url, params, 'gLqmUtpHKiz27VyAA4GLZ/z78j4=')).toBe(true)
  })

  it('refuses a missing, wrong or tampered signature, another token, URL or parameter', () => {
    const good = 'gLqmUtpHKiz27VyAA4GLZ/z78j4='
    expect(verifyTwilioSignature('12345', url, params, undefined)).toBe(false)
    expect(verifyTwilioSignature('12345', url, params, '')).toBe(false)
    expect(verifyTwilioSignature('12345', url, params, 'gLqmUtpHKiz27VyAA4GLZ/z78j4')).toBe(false)
    expect(verifyTwilioSignature('12346', url, params, good)).toBe(false)
    expect(verifyTwilioSignature('12345', 'https://example.com/sms/inbound?org=8', params, good)).toBe(false)
    expect(verifyTwilioSignature('12345', url, { ...params, Body: 'START' }, good)).toBe(false)
    expect(verifyTwilioSignature('', url, params, good)).toBe(false)
  })
})

describe('the Twilio transport against a loopback fake', () => {
  let fake: TwilioFake
  beforeAll(async () => {
    fake = await startTwilioFake()
  })
  afterAll(async () => {
    await fake.close()
  })
  const transport = () => createTwilioTransport({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url })

  it('posts each message form-encoded with Basic auth and keeps Twilio’s message sid', async () => {
    const before = fake.requests.length
    const results = await transport().sendBatch([
      { to: '+14155550101', from: '+14155550100', body: 'Hello Ann', statusCallback: 'https://outpost.example/api/callbacks/twilio/status' },
      { to: '+14155550102', messagingServiceSid: 'MG0123456789abcdef0123456789abcdef', body: 'Hello Bob' },
    ])
    expect(results.map((r) => r.ok)).toEqual([true, true])
    const sids = results.map((r) => (r.ok ? r.providerMessageID : null))
    expect(sids.every((sid) => /^SM[0-9a-f]{32}$/.test(sid ?? ''))).toBe(true)
    const sent = fake.requests.slice(before)
    expect(sent).toHaveLength(2)
    expect(sent.every((r) => r.path === `/2010-04-01/Accounts/${fake.accountSid}/Messages.json` && r.method === 'POST')).toBe(true)
    const forms = sent.map((r) => Object.fromEntries(new URLSearchParams(r.body.toString('utf8'))))
    expect(forms).toContainEqual({ To: '+14155550101', From: '+14155550100', Body: 'Hello Ann', StatusCallback: 'https://outpost.example/api/callbacks/twilio/status' })
    expect(forms).toContainEqual({ To: '+14155550102', MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef', Body: 'Hello Bob' })
  })

  it('maps Twilio’s errors to sentences and classes, never its own words', async () => {
    fake.setRule((form) => {
      const to = form.get('To')!
      if (to.endsWith('610')) return { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient <script>' }
      if (to.endsWith('211')) return { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." }
      if (to.endsWith('429')) return { status: 429, code: 20429, message: 'Too Many Requests' }
      if (to.endsWith('500')) return { status: 503, code: 30001, message: 'Queue overflow' }
      return null
    })
    const results = await transport().sendBatch(['+14155550610', '+14155550211', '+14155550429', '+14155550500'].map((to) => ({ to, from: '+14155550100', body: 'x' })))
    const errors = results.map((r) => (r.ok ? null : r.error))
    expect(errors.map((e) => [e?.kind, e?.providerCode, e?.addressRejected])).toEqual([
      ['permanent', '21610', true],
      ['permanent', '21211', false],
      ['transient', '20429', false],
      ['transient', '30001', false],
    ])
    expect(errors[0]!.message).toMatch(/replied STOP/)
    for (const error of errors) expect(error!.message).not.toMatch(/<script>|Too Many|Queue overflow|not a valid phone number\./)
    fake.setRule(null)

    const wrongToken = await createTwilioTransport({ accountSid: fake.accountSid, authToken: 'wrong', baseUrl: fake.url }).sendBatch([{ to: '+14155550101', from: '+14155550100', body: 'x' }])
    expect(wrongToken[0]).toEqual({ ok: false, error: expect.objectContaining({ kind: 'permanent', accountLevel: true, providerCode: '20003' }) })

    const unreachable = await createTwilioTransport({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: 'http://127.0.0.1:9' }).sendBatch([{ to: '+14155550101', from: '+14155550100', body: 'x' }])
    expect(unreachable[0]).toEqual({ ok: false, error: expect.objectContaining({ kind: 'transient', message: expect.stringMatching(/^Could not reach Twilio \(E[A-Z]+\)\.$/) }) })
  })
})
