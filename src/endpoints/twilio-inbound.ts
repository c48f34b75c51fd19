import type { Endpoint } from 'payload'

import { verifyTwilioSignature } from '@/integrations/sms/twilio-signature'
import { applyInboundSms } from '@/services/sms/apply-inbound-sms'
import { findSmsOrg } from '@/services/sms/find-sms-org'
import { parsePhoneNumber } from '@/services/contacts/parse-phone-number'
import { threadInboundMessage } from '@/services/inbox/thread-inbound-message'

import { readTwilioForm, twilioProblem, twilioPublicUrl } from './twilio-request'

const PATH = '/callbacks/twilio/inbound'

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)

/** TwiML: one message back, or an empty response (nothing is sent). */
const twiml = (reply: null | string) =>
  new Response(`<?xml version="1.0" encoding="UTF-8"?><Response>${reply ? `<Message>${escapeXml(reply)}</Message>` : ''}</Response>`, {
    status: 200,
    headers: { 'content-type': 'text/xml; charset=utf-8' },
  })

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
    const params = await readTwilioForm(req)
    if (params instanceof Response) return params
    const to = params.To ?? ''
    const from = params.From ?? ''
    if (!to || !from) return twilioProblem(400, 'The message has no To or From number.')
    const org = await findSmsOrg({ payload: req.payload, to, messagingServiceSid: params.MessagingServiceSid })
    if (!org) return twilioProblem(404, 'No organisation here receives SMS on this number.')
    if (!org.authToken) return twilioProblem(403, 'The organisation that owns this number has no Twilio auth token stored, so the request cannot be verified.')
    if (!verifyTwilioSignature(org.authToken, twilioPublicUrl(req, PATH), params, req.headers.get('x-twilio-signature'))) {
      return twilioProblem(403, 'The X-Twilio-Signature header is missing or does not match this request.')
    }
    const result = await applyInboundSms({ payload: req.payload, org, from, body: params.Body ?? '', handledByTwilio: Boolean(params.OptOutType) })
    // Anything that was not a keyword is a reply for the inbox.
    if (result.action === 'message' && params.MessageSid) {
      const parsed = parsePhoneNumber(from)
      await threadInboundMessage({
        payload: req.payload,
        message: { org: org.id, channel: 'sms', provider: 'twilio', providerMessageID: params.MessageSid, from: parsed.ok ? parsed.e164 : from.slice(0, 40), to, bodyText: params.Body ?? '' },
      })
    }
    req.payload.logger.info({ org: org.id, action: result.action }, 'Inbound SMS')
    return twiml(result.reply)
  },
}
