import { createHmac, timingSafeEqual } from 'node:crypto'

import { resolvePayloadSecret } from '../config/server-env'

export type ReplyClaim = { org: number; job: number }

/** Lower case only: mail systems may change the case of an address's local part. */
const sign = (body: string, secret: string) => createHmac('sha256', `outpost-reply:${secret}`).update(body).digest('hex').slice(0, 24)

/**
 * The token in a job's Reply-To (`reply+<token>@<reply domain>`): org and job in base 36 and 96 bits of
 * HMAC-SHA256 with the server secret, so it can be neither guessed nor altered to name another org or
 * job. One per job (SendGrid shares Reply-To across a request); the sender's address names the contact.
 */
export const createReplyToken = ({ org, job }: ReplyClaim, secret = resolvePayloadSecret()): string => {
  const body = `${org.toString(36)}-${job.toString(36)}`
  return `${body}-${sign(body, secret)}`
}

/** The org and job a reply address names (`reply+<token>@…`, any case), or null when it carries no valid token. */
export const readReplyAddress = (address: string, secret = resolvePayloadSecret()): ReplyClaim | null => {
  const match = /^reply\+([0-9a-z]{1,10})-([0-9a-z]{1,10})-([0-9a-f]{24})@/i.exec(address.trim())
  if (!match) return null
  const [, org36, job36, mac] = match.map((part) => part.toLowerCase()) as [string, string, string, string]
  const expected = Buffer.from(sign(`${org36}-${job36}`, secret))
  const given = Buffer.from(mac)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  const org = parseInt(org36, 36)
  const job = parseInt(job36, 36)
  return Number.isSafeInteger(org) && Number.isSafeInteger(job) && org > 0 && job > 0 ? { org, job } : null
}
