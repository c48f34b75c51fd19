import type { Endpoint } from 'payload'

import { isTwilioStatus } from '@/integrations/sms'
import { verifyTwilioSignature } from '@/integrations/sms/twilio-signature'
import { applyTwilioStatus } from '@/services/sms/apply-twilio-status'
import { findSmsMessage } from '@/services/sms/find-sms-message'

import { readTwilioForm, twilioProblem, twilioPublicUrl } from './twilio-request'

const PATH = '/callbacks/twilio/status'
const SID = /^(SM|MM)[0-9a-fA-F]{32}$/

/** Twilio's RawDlrDoneDate (the carrier's report, YYMMDDhhmm in UTC), if present and believable. */
const carrierTime = (raw: string | undefined, receivedAt: Date): Date => {
  const match = raw?.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/)
  if (!match) return receivedAt
  const [, yy, mo, dd, hh, mi] = match.map(Number) as number[]
  const at = new Date(Date.UTC(2000 + yy!, mo! - 1, dd!, hh!, mi!))
  // A minute of skew ahead, and no more than a week back, or it is not this message's report.
  return Number.isNaN(at.getTime()) || at.getTime() > receivedAt.getTime() + 60_000 || at.getTime() < receivedAt.getTime() - 7 * 86_400_000 ? receivedAt : at
}

/**
 * POST /api/callbacks/twilio/status: Twilio's StatusCallback for the messages we sent (form-encoded).
 * The signature must be made with the auth token of the org whose message (or account) it names: 403
 * otherwise. The recipient moves forwards only, and a replay is a no-op (see applyTwilioStatus).
 */
export const twilioStatusEndpoint: Endpoint = {
  path: PATH,
  method: 'post',
  handler: async (req) => {
    const receivedAt = new Date()
    const params = await readTwilioForm(req)
    if (params instanceof Response) return params
    const messageSid = params.MessageSid ?? params.SmsSid ?? ''
    const status = (params.MessageStatus ?? params.SmsStatus ?? '').toLowerCase()
    if (!SID.test(messageSid)) return twilioProblem(400, 'MessageSid is missing or is not a Twilio message id (SM or MM and 32 hexadecimal characters).')
    if (!isTwilioStatus(status)) return twilioProblem(400, `MessageStatus "${status.slice(0, 40)}" is not a status Twilio sends.`)
    const target = await findSmsMessage({ payload: req.payload, messageSid, accountSid: params.AccountSid || null })
    if (!target.authToken) return twilioProblem(404, 'No message or Twilio account here matches this callback, so it cannot be verified.')
    if (!verifyTwilioSignature(target.authToken, twilioPublicUrl(req, PATH), params, req.headers.get('x-twilio-signature'))) {
      return twilioProblem(403, 'The X-Twilio-Signature header is missing or does not match this request.')
    }
    const outcome = await applyTwilioStatus({
      payload: req.payload,
      target,
      receivedAt,
      report: { messageSid, status, errorCode: params.ErrorCode || null, to: params.To || null, occurredAt: carrierTime(params.RawDlrDoneDate, receivedAt), params },
    })
    return Response.json({ status: 'ok', outcome })
  },
}
