import { randomBytes } from 'node:crypto'

import { computeTwilioSignature } from '@/integrations/sms/twilio-signature'

import { type FakeRequest, startHttpFake } from './http-fake'

/** A message as the fake accepted it, from the form Twilio would have received. */
export type TwilioMessage = { sid: string; to: string; from: string | null; messagingServiceSid: string | null; body: string; statusCallback: string | null; receivedAt: Date }

/** What the fake answers for one request: a created message, or Twilio's error JSON with its status. */
export type TwilioRule = (form: URLSearchParams) => { status: number; code: number; message: string } | null

export type TwilioFake = {
  url: string
  accountSid: string
  authToken: string
  /** Every request, as received (method, path, headers, raw body). */
  requests: FakeRequest[]
  /** Messages created (201), in order (none kept when `record` is false). */
  messages: TwilioMessage[]
  /** How many messages were created, kept or not. */
  accepted: () => number
  /** Refuse some requests the way Twilio does; null accepts everything. */
  setRule: (rule: TwilioRule | null) => void
  close: () => Promise<void>
}

/** Signs a webhook the way Twilio does, for posting status callbacks and inbound messages to our endpoints. */
export const signTwilioWebhook = (authToken: string, url: string, params: Record<string, string>) => computeTwilioSignature(authToken, url, params)

/**
 * A loopback fake of Twilio's Programmable Messaging API: `POST /2010-04-01/Accounts/{Sid}/Messages.json`
 * with Basic auth and a form body, answering 201 with the message JSON, or Twilio's error JSON
 * (`{ code, message, more_info, status }`) with 400/401/429/5xx. Every request is logged.
 */
export const startTwilioFake = async ({
  accountSid = `AC${randomBytes(16).toString('hex')}`,
  authToken = randomBytes(16).toString('hex'),
  record = true,
  delayMs = 0,
}: {
  accountSid?: string
  authToken?: string
  /** Keep requests and messages (false: only count them, for benchmarks). */
  record?: boolean
  /** Answer each created message after this long (a slow provider, so crashes land mid-request). */
  delayMs?: number
} = {}): Promise<TwilioFake> => {
  const messages: TwilioMessage[] = []
  let accepted = 0
  let rule: TwilioRule | null = null
  const error = (status: number, code: number, message: string) => ({
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  })
  const fake = await startHttpFake({
    [`POST /2010-04-01/Accounts/${accountSid}/Messages.json`]: async (request) => {
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`
      if (request.headers.authorization !== expected) return error(401, 20003, 'Authentication Error - invalid username')
      if (!String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return error(400, 21600, 'Bad content type')
      const form = new URLSearchParams(request.body.toString('utf8'))
      if (!form.get('To')) return error(400, 21604, "A 'To' phone number is required.")
      if (!form.get('From') && !form.get('MessagingServiceSid')) return error(400, 21603, "A 'From' phone number is required.")
      if (!form.get('Body')) return error(400, 21602, 'Message body is required.')
      const refused = rule?.(form)
      if (refused) return error(refused.status, refused.code, refused.message)
      const sid = `SM${randomBytes(16).toString('hex')}`
      accepted += 1
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
      if (record) messages.push({
        sid,
        to: form.get('To')!,
        from: form.get('From'),
        messagingServiceSid: form.get('MessagingServiceSid'),
        body: form.get('Body')!,
        statusCallback: form.get('StatusCallback'),
        receivedAt: new Date(),
      })
      return {
        status: 201,
        body: {
          sid,
          account_sid: accountSid,
          to: form.get('To'),
          from: form.get('From'),
          messaging_service_sid: form.get('MessagingServiceSid'),
          body: form.get('Body'),
          status: 'queued',
          num_segments: '1',
          date_created: new Date().toUTCString(),
          uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
        },
      }
    },
  }, { keepRequests: record })
  return {
    url: fake.url,
    accountSid,
    authToken,
    requests: fake.requests,
    messages,
    accepted: () => accepted,
    setRule: (next) => {
      rule = next
    },
    close: fake.close,
  }
}
