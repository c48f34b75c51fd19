import { createHash } from 'node:crypto'

import type { Payload } from 'payload'

import { reservedPool } from '@/db/reserved-pool'
import { inTransactionOn } from '@/db/transaction'

import { AppError } from '../errors/app-error'
import { findMessageID, InboundPostError, parseInboundPost } from './parse-inbound-post'
import { MAX_INBOUND_EMAIL_BYTES } from './process-inbound-email'

export const INBOUND_EMAIL_TASK = 'processInboundEmail'
export const INBOUND_QUEUE = 'inbound'

export type AcceptedInboundEmail = { status: 'queued' | 'duplicate' | 'failed'; id: null | number; reason?: string }

/** The org whose inbound secret this is, or null. */
const orgOfSecret = async (payload: Payload, secret: string): Promise<null | number> => {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(secret)) return null
  const { rows } = await reservedPool(payload).query<{ id: number }>('SELECT id FROM organizations WHERE inbound_email_secret = $1', [secret])
  return rows[0]?.id ?? null
}

/**
 * The endpoint's part of an inbound email, kept short so SendGrid gets its answer at once: the secret
 * names the org (else 404); the post must be multipart and readable (else it is kept as a dead letter,
 * raw body and reason, and the caller answers 5xx so SendGrid retries); it is stored once per org and
 * Message-ID (a SHA-256 of the post when it has none) with its raw body, and the worker is triggered.
 */
export const acceptInboundEmail = async ({ payload, secret, contentType, body }: { payload: Payload; secret: string; contentType: string; body: Buffer }): Promise<AcceptedInboundEmail> => {
  const org = await orgOfSecret(payload, secret)
  if (org === null) throw new AppError('NOT_FOUND', 'No organisation receives email at this address.')
  if (!/^multipart\/form-data;\s*boundary=/i.test(contentType.trim())) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'SendGrid Inbound Parse posts multipart/form-data.')
  }
  let mode: 'parsed' | 'raw' = 'parsed'
  let messageID: null | string = null
  let failure: null | string = null
  let from: null | string = null
  let subject: null | string = null
  try {
    const post = await parseInboundPost(body, contentType, MAX_INBOUND_EMAIL_BYTES)
    const raw = post.fields.get('email')
    mode = raw ? 'raw' : 'parsed'
    const headerText = raw ? raw.subarray(0, 256 * 1024).toString('latin1').split(/\r?\n\r?\n/, 1)[0]! : (post.fields.get('headers')?.toString('latin1') ?? '')
    messageID = findMessageID(headerText)
    from = raw ? null : (post.fields.get('from')?.toString('utf8') ?? null)
    subject = raw ? null : (post.fields.get('subject')?.toString('utf8') ?? null)
    if (!raw && !post.fields.has('from') && !post.fields.has('headers')) failure = 'The post has neither a raw "email" field nor the parsed "from" and "headers" fields.'
  } catch (error) {
    if (!(error instanceof InboundPostError)) throw error
    failure = `The post is not readable multipart/form-data: ${error.message}`
  }
  // PostgreSQL cannot store NUL, which a hostile header may carry.
  const key = messageID?.replace(/\u0000/g, '') || `sha256:${createHash('sha256').update(body).digest('hex')}`
  const id = await inTransactionOn(reservedPool(payload), async (client) => {
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO inbound_emails (org_id, status, reason, mode, message_i_d, "from", subject, size, received_at, created_at, updated_at)
       VALUES ($1, $2::enum_inbound_emails_status, $3, $4::enum_inbound_emails_mode, $5, $6, $7, $8, now(), now(), now())
       ON CONFLICT DO NOTHING RETURNING id`,
      [org, failure ? 'failed' : 'queued', failure, mode, key.slice(0, 1000), from?.replace(/\u0000/g, '').slice(0, 320) ?? null, subject?.replace(/\u0000/g, '').slice(0, 500) ?? null, body.length],
    )
    const stored = rows[0]?.id
    if (stored !== undefined) await client.query('INSERT INTO inbound_email_bodies (inbound_email_id, content_type, body) VALUES ($1, $2, $3)', [stored, contentType.slice(0, 500), body])
    return stored ?? null
  })
  if (failure) return { status: 'failed', id, reason: failure }
  if (id === null) return { status: 'duplicate', id: null }
  await payload.jobs.queue({ task: INBOUND_EMAIL_TASK as never, input: { id } as never, queue: INBOUND_QUEUE })
  return { status: 'queued', id }
}
