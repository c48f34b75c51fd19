import { type SendOutcome } from '../sending/types'
import { type OutgoingSms, SmsSendError, type SmsTransport } from './types'

export type TwilioSettings = {
  accountSid: string
  authToken: string
  /** The API origin, e.g. a loopback fake in tests; https://api.twilio.com when omitted. */
  baseUrl?: string
  /** Requests open at once (one message each); 4 when omitted. */
  concurrency?: number
  timeoutMs?: number
  /** Replaces fetch (tests; an outbound policy that pins the checked address). */
  fetch?: typeof fetch
}

const DEFAULT_BASE_URL = 'https://api.twilio.com'

/**
 * Twilio's error codes we act on, said in our words (Twilio's own text is never passed on).
 * https://www.twilio.com/docs/api/errors
 */
const KNOWN: Record<number, { sentence: string; kind: 'permanent' | 'transient'; addressRejected?: boolean; accountLevel?: boolean }> = {
  21610: { sentence: 'The recipient has replied STOP to this sender, so Twilio will not deliver to them', kind: 'permanent', addressRejected: true },
  21211: { sentence: 'The number is not a valid phone number', kind: 'permanent' },
  21614: { sentence: 'The number is not a mobile number that can receive SMS', kind: 'permanent' },
  21612: { sentence: 'Twilio cannot route a message from this sender to that number', kind: 'permanent' },
  21408: { sentence: 'Sending to this country is not enabled on the Twilio account', kind: 'permanent', accountLevel: true },
  21606: { sentence: 'The sender number cannot send SMS (it is not an SMS-capable number of this account)', kind: 'permanent', accountLevel: true },
  21659: { sentence: 'The sender number is not an SMS-capable number of this account', kind: 'permanent', accountLevel: true },
  21602: { sentence: 'The message body is empty', kind: 'permanent' },
  21617: { sentence: 'The message body is too long for Twilio (1,600 characters at most)', kind: 'permanent' },
  20003: { sentence: 'Twilio refused the account SID or auth token', kind: 'permanent', accountLevel: true },
  20429: { sentence: 'Twilio is limiting how fast this account may send', kind: 'transient' },
  30001: { sentence: 'Twilio’s queue for this sender is full', kind: 'transient' },
}

/** A sentence and a code for a Twilio answer that is not a created message. */
export const describeTwilioError = (status: number, body: unknown): SmsSendError => {
  const code = body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'number' ? (body as { code: number }).code : null
  const known = code !== null ? KNOWN[code] : undefined
  const tag = code !== null ? `${code}, HTTP ${status}` : `HTTP ${status}`
  if (known) return new SmsSendError(`${known.sentence} (${tag}).`, known.kind, String(code), known.addressRejected, known.accountLevel)
  if (status === 401 || status === 403) return new SmsSendError(`Twilio refused the account SID or auth token (${tag}).`, 'permanent', code !== null ? String(code) : String(status), false, true)
  if (status === 429) return new SmsSendError(`Twilio is limiting how fast this account may send; try again later (${tag}).`, 'transient', code !== null ? String(code) : '429')
  if (status >= 500) return new SmsSendError(`Twilio had a problem on its side; try again later (${tag}).`, 'transient', code !== null ? String(code) : String(status))
  return new SmsSendError(`Twilio rejected the message (${tag}).`, 'permanent', code !== null ? String(code) : String(status))
}

const networkError = (error: unknown): SmsSendError => {
  const failure = error as { name?: string; cause?: { code?: unknown } }
  if (failure?.name === 'TimeoutError' || failure?.name === 'AbortError') return new SmsSendError('Twilio did not answer in time (ETIMEDOUT).', 'transient', 'ETIMEDOUT')
  const code = typeof failure?.cause?.code === 'string' && /^[A-Z_]{3,40}$/.test(failure.cause.code) ? failure.cause.code : 'ENETWORK'
  return new SmsSendError(`Could not reach Twilio (${code}).`, 'transient', code)
}

/**
 * Twilio's Programmable Messaging REST API over fetch: `POST /2010-04-01/Accounts/{Sid}/Messages.json`,
 * form-encoded `To`, `From` or `MessagingServiceSid`, `Body`, `StatusCallback`, Basic auth with the
 * account SID and auth token. One request per message, `concurrency` at once.
 */
export const createTwilioTransport = (settings: TwilioSettings): SmsTransport => {
  const base = (settings.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '')
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`
  const authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`
  const doFetch = settings.fetch ?? fetch
  const concurrency = Math.max(1, settings.concurrency ?? 4)
  const timeoutMs = settings.timeoutMs ?? 30_000

  const sendOne = async (message: OutgoingSms): Promise<SendOutcome> => {
    const form = new URLSearchParams({ To: message.to, Body: message.body })
    if (message.messagingServiceSid) form.set('MessagingServiceSid', message.messagingServiceSid)
    else if (message.from) form.set('From', message.from)
    if (message.statusCallback) form.set('StatusCallback', message.statusCallback)
    let response: Response
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (error) {
      return { ok: false, error: networkError(error) }
    }
    let body: unknown = null
    try {
      body = await response.json()
    } catch {
      // not JSON: only the status says anything
    }
    if (response.status === 201 || response.status === 200) {
      const sid = body && typeof body === 'object' && typeof (body as { sid?: unknown }).sid === 'string' ? (body as { sid: string }).sid : null
      return { ok: true, providerMessageID: sid }
    }
    return { ok: false, error: describeTwilioError(response.status, body) }
  }

  return {
    kind: 'twilio',
    maxInFlight: concurrency,
    sendBatch: async (messages) => {
      const results: SendOutcome[] = new Array(messages.length)
      let next = 0
      const worker = async () => {
        while (next < messages.length) {
          const index = next++
          results[index] = await sendOne(messages[index]!)
        }
      }
      await Promise.all(Array.from({ length: Math.min(concurrency, messages.length) }, worker))
      return results
    },
    close: async () => {},
  }
}
