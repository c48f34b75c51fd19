import type { KeyObject } from 'node:crypto'

import type { Endpoint, Payload, PayloadRequest } from 'payload'

import {
  parseSendgridPublicKey,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySendgridSignature,
} from '@/integrations/email/sendgrid-event-signature'
import { readBoundedBody } from '@/services/http/read-bounded-body'
import { applySendgridEvents } from '@/services/events/apply-sendgrid-events'
import { needsCleaning, parseSendgridEvents, storable } from '@/services/events/parse-sendgrid-events'

/** SendGrid posts at most a few MB; anything larger is refused before it is read to the end. */
const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024

const problem = (status: number, message: string) => Response.json({ status: 'error', errors: [{ message }] }, { status })

let cachedKey: { source: string; key: KeyObject } | undefined
/** The verification key, or null when the webhook runs unsigned. Throws when the key is set but unusable. */
const verificationKey = (): KeyObject | null => {
  const source = process.env.SENDGRID_WEBHOOK_PUBLIC_KEY?.trim()
  if (!source) return null
  if (cachedKey?.source !== source) cachedKey = { source, key: parseSendgridPublicKey(source) }
  return cachedKey.key
}

/** Said once at start-up (from onInit): whether posts are verified, and a key that cannot be used. */
export const logWebhookSigningMode = (payload: Payload): void => {
  try {
    if (verificationKey()) payload.logger.info('SendGrid event webhook: signed posts only (SENDGRID_WEBHOOK_PUBLIC_KEY).')
    else payload.logger.warn('SendGrid event webhook accepts unsigned posts: set SENDGRID_WEBHOOK_PUBLIC_KEY to verify them.')
  } catch (error) {
    payload.logger.error((error as Error).message)
  }
}

class BodyTooLarge extends Error {}

const readBody = async (req: PayloadRequest): Promise<Buffer> => {
  const body = await readBoundedBody(req as unknown as Request, MAX_WEBHOOK_BYTES)
  if (body === null) throw new BodyTooLarge()
  return body
}

/**
 * POST /api/callbacks/sendgrid (with or without the trailing slash; Next is told not to redirect):
 * SendGrid's Event Webhook. No login; signed posts are verified when SENDGRID_WEBHOOK_PUBLIC_KEY is
 * set. Answers `{"status":"ok","failed_updated":X,"updated":Y,…}`.
 */
export const sendgridWebhookEndpoints: Endpoint[] = [
  {
    path: '/callbacks/sendgrid',
    method: 'post',
    handler: async (req) => {
      let key: KeyObject | null
      try {
        key = verificationKey()
      } catch (error) {
        req.payload.logger.error((error as Error).message)
        // Not the sender's fault: a 5xx makes SendGrid retry once the key is fixed.
        return problem(500, 'The webhook verification key on this server is not usable; the operator has to fix SENDGRID_WEBHOOK_PUBLIC_KEY.')
      }
      let raw: Buffer
      try {
        raw = await readBody(req)
      } catch (error) {
        if (error instanceof BodyTooLarge) return problem(400, `The body is larger than ${MAX_WEBHOOK_BYTES / 1024 / 1024} MB.`)
        throw error
      }
      if (key) {
        const check = verifySendgridSignature({ key, signature: req.headers.get(SIGNATURE_HEADER), timestamp: req.headers.get(TIMESTAMP_HEADER), rawBody: raw })
        if (!check.ok) return problem(403, check.reason)
      }
      let body: unknown
      let source: string
      try {
        source = raw.toString('utf8')
        body = JSON.parse(source)
        if (needsCleaning(source)) {
          body = storable(body)
          source = JSON.stringify(body)
        }
      } catch {
        return problem(400, 'The body is not JSON: SendGrid posts a JSON array of events.')
      }
      const parsed = parseSendgridEvents(body)
      if (!parsed) return problem(400, 'The body is not a JSON array of events.')
      const applied = await applySendgridEvents({ payload: req.payload, events: parsed.events, source })
      if (parsed.skipped) req.payload.logger.warn({ skipped: parsed.skipped, problems: parsed.problems.slice(0, 5) }, 'SendGrid webhook: skipped malformed or unknown events')
      return Response.json({
        status: 'ok',
        failed_updated: applied.failedUpdated,
        updated: applied.updated,
        received: parsed.received,
        stored: applied.stored,
        duplicates: applied.duplicates + (parsed.received - parsed.events.length - parsed.skipped),
        skipped: parsed.skipped,
        suppressed: applied.suppressed,
        review: applied.review,
        unmatched: applied.unmatched,
        ...(parsed.problems.length ? { problems: parsed.problems } : {}),
      })
    },
  },
]
