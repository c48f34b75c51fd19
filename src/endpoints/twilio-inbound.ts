import type { Endpoint, PayloadRequest } from 'payload'

import { verifyTwilioSignature } from '@/integrations/sms/twilio-signature'
import { readBoundedBody } from '@/services/http/read-bounded-body'
import { applyInboundSms } from '@/services/sms/apply-inbound-sms'
import { findSmsOrg } from '@/services/sms/find-sms-org'

/** Twilio posts a few KB at most. */
const MAX_BYTES = 64 * 1024
const PATH = '/callbacks/twilio/inbound'

const problem = (status: number, message: string) => Response.json({ status: 'error', errors: [{ message }] }, { status })

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)

/** TwiML: one message back, or an empty response (nothing is sent). */
const twiml = (reply: null | string) =>
  new Response(`<?xml version="1.0" encoding="UTF-8"?><Response>${reply ? `<Message>${escapeXml(reply)}</Message>` : ''}</Response>`, {
    status: 200,
    headers: { 'content-type': 'text/xml; charset=utf-8' },
  })

/**
 * The URL Twilio called, which its signature covers: behind a proxy the request's own URL is not the
 * public one, so it is rebuilt from SITE_URL (with the query string as received).
 */
const publicUrl = (req: PayloadRequest): string => {
  const received = new URL(req.url ?? `http://localhost/api${PATH}`)
  const site = process.env.SITE_URL?.trim().replace(/\/+$/, '')
  return site ? `${site}${received.pathname}${received.search}` : received.toString()
}

/**
 * POST /api/callbacks/twilio/inbound: Twilio's "A message comes in" webhook (form-encoded). The org is
 * the one whose sender number (or Messaging Service) received the message; the request must carry
 * Twilio's signature made with that org's auth token (403 otherwise). Opt-out keywords suppress the
 * sender for SMS within the request, START lifts it, HELP is answered; the answer is TwiML.
 */
export const twilioInboundEndpoint: Endpoint = {
  path: PATH,
  method: 'post',
  handler: async (req) => {
    if (!String(req.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
      return problem(415, 'Twilio posts application/x-www-form-urlencoded.')
    }
    const raw = await readBoundedBody(req as unknown as Request, MAX_BYTES)
    if (raw === null) return problem(413, `The body is larger than ${MAX_BYTES / 1024} KB.`)
    const form = new URLSearchParams(raw.toString('utf8'))
    const params: Record<string, string> = {}
    for (const [name, value] of form) params[name] = value
    const to = params.To ?? ''
    const from = params.From ?? ''
    if (!to || !from) return problem(400, 'The message has no To or From number.')
    const org = await findSmsOrg({ payload: req.payload, to, messagingServiceSid: params.MessagingServiceSid })
    if (!org) return problem(404, 'No organisation here receives SMS on this number.')
    if (!org.authToken) return problem(403, 'The organisation that owns this number has no Twilio auth token stored, so the request cannot be verified.')
    if (!verifyTwilioSignature(org.authToken, publicUrl(req), params, req.headers.get('x-twilio-signature'))) {
      return problem(403, 'The X-Twilio-Signature header is missing or does not match this request.')
    }
    const result = await applyInboundSms({ payload: req.payload, org, from, body: params.Body ?? '', handledByTwilio: Boolean(params.OptOutType) })
    req.payload.logger.info({ org: org.id, action: result.action }, 'Inbound SMS')
    return twiml(result.reply)
  },
}
