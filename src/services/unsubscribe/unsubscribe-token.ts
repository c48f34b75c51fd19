import { createHmac, timingSafeEqual } from 'node:crypto'

import { resolvePayloadSecret } from '../config/server-env'

export type UnsubscribeClaim = { org: number; address: string; channel: 'email' | 'sms' }

const CHANNELS = ['email', 'sms'] as const
const b64 = (value: Buffer | string) => Buffer.from(value).toString('base64url')

const sign = (body: string, secret: string) =>
  createHmac('sha256', `outpost-unsubscribe:${secret}`).update(body).digest().subarray(0, 20)

/**
 * A token for one-click unsubscribe: HMAC-SHA256 (server secret) over org, normalised address and
 * channel, so it can be neither guessed nor enumerated, and needs no database row. The address travels
 * inside (base64url, not encrypted): the page that shows it is the recipient's own.
 */
export const createUnsubscribeToken = (claim: UnsubscribeClaim, secret = resolvePayloadSecret()): string => {
  const body = b64(JSON.stringify([claim.org, claim.address.trim().toLowerCase(), claim.channel]))
  return `${body}.${b64(sign(body, secret))}`
}

/** The claim a token carries, or null when it is malformed or its signature does not match. */
export const verifyUnsubscribeToken = (token: string, secret = resolvePayloadSecret()): UnsubscribeClaim | null => {
  const [body, signature, extra] = token.split('.')
  if (!body || !signature || extra !== undefined || token.length > 1024) return null
  const expected = sign(body, secret)
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  try {
    const [org, address, channel] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as [unknown, unknown, unknown]
    if (!Number.isInteger(org) || typeof address !== 'string' || !CHANNELS.includes(channel as never)) return null
    return { org: org as number, address, channel: channel as UnsubscribeClaim['channel'] }
  } catch {
    return null
  }
}
