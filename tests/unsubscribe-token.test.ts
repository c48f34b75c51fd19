import { describe, expect, it } from 'vitest'

import { createUnsubscribeToken, verifyUnsubscribeToken } from '@/services/unsubscribe/unsubscribe-token'

const SECRET = 'x'.repeat(40)

describe('unsubscribe tokens', () => {
  it('round-trip the normalised claim', () => {
    const token = createUnsubscribeToken({ org: 12, address: ' Ada@Example.com ', channel: 'email' }, SECRET)
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    expect(verifyUnsubscribeToken(token, SECRET)).toEqual({ org: 12, address: 'ada@example.com', channel: 'email' })
  })

  it('refuse tampering, another secret, and malformed input', () => {
    const token = createUnsubscribeToken({ org: 12, address: 'ada@example.com', channel: 'email' }, SECRET)
    const [body, signature] = token.split('.')
    const otherBody = Buffer.from(JSON.stringify([13, 'ada@example.com', 'email'])).toString('base64url')
    expect(verifyUnsubscribeToken(`${otherBody}.${signature}`, SECRET)).toBeNull()
    expect(verifyUnsubscribeToken(`${body}.${signature!.slice(0, -2)}AA`, SECRET)).toBeNull()
    expect(verifyUnsubscribeToken(token, 'y'.repeat(40))).toBeNull()
    for (const bad of ['', 'abc', 'a.b.c', `${body}.`, '.x', 'preview']) expect(verifyUnsubscribeToken(bad, SECRET)).toBeNull()
  })

  it('differ per org, address and channel', () => {
    const tokens = new Set([
      createUnsubscribeToken({ org: 1, address: 'a@x.example', channel: 'email' }, SECRET),
      createUnsubscribeToken({ org: 2, address: 'a@x.example', channel: 'email' }, SECRET),
      createUnsubscribeToken({ org: 1, address: 'b@x.example', channel: 'email' }, SECRET),
      createUnsubscribeToken({ org: 1, address: 'a@x.example', channel: 'sms' }, SECRET),
    ])
    expect(tokens.size).toBe(4)
  })
})
