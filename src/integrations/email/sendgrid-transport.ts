import { createHash } from 'node:crypto'

import { MailService } from '@sendgrid/mail'

import { type BatchResult, EmailSendError, type EmailTransport, type OutgoingEmail } from './types'

export type SendGridSettings = {
  apiKey: string
  /** The API origin, e.g. a loopback fake in tests; SendGrid's global endpoint when omitted. */
  baseUrl?: string
  /** Per-request timeout; 30 s when omitted. */
  timeoutMs?: number
  /** How many requests of one batch are in flight at once; 4 when omitted. */
  concurrency?: number
}

/** SendGrid accepts at most 1,000 personalizations in one /v3/mail/send request. */
export const SENDGRID_MAX_PERSONALIZATIONS = 1000

const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_CONCURRENCY = 4

type SendGridAttachment = { filename: string; content: string; type?: string; disposition: 'attachment' }

/** What a request's recipients share: one group per distinct value, keyed by its JSON. */
type SharedContent = {
  from: { email: string; name?: string }
  replyTo?: string
  html: string
  text: string
  attachments: SendGridAttachment[]
}

type Group = { shared: SharedContent; items: { index: number; message: OutgoingEmail }[] }

type HttpFailure = { code: number; message?: string; response?: { body?: unknown } }
type NetworkFailure = { code?: string; message?: string; isAxiosError?: boolean }

/** SendGrid's own explanations, recognised and said in our words (its text is never passed on as it came). */
const KNOWN_REASONS: [RegExp, string][] = [
  [/verified sender identity|sender identity/i, 'the from address is not a verified sender of this SendGrid account'],
  [/does not contain a valid address|invalid (recipient |email )?address|invalid email|email address.*(invalid|not valid)/i, 'an address in the message is not valid'],
  [/permission|scope/i, 'the API key lacks the Mail Send permission'],
  [/authorization grant is invalid|expired|revoked|api key/i, 'the API key is invalid, expired or revoked'],
  [/credits|exceeded|maximum credits/i, 'the account has used up its sending credits'],
  [/too large|size/i, 'the message is too large'],
]

const reasonOf = (body: unknown): null | string => {
  const first = body && typeof body === 'object' && Array.isArray((body as { errors?: unknown }).errors) ? (body as { errors: { message?: unknown; field?: unknown }[] }).errors[0] : undefined
  const message = typeof first?.message === 'string' ? first.message : typeof body === 'string' ? body : ''
  const known = KNOWN_REASONS.find(([pattern]) => pattern.test(message))?.[1]
  if (known) return known
  const field = typeof first?.field === 'string' && /^[A-Za-z0-9_.[\]-]{1,80}$/.test(first.field) ? first.field : null
  return field ? `the field "${field}" was not accepted` : null
}

/**
 * A sentence and a code for a SendGrid failure; SendGrid's own words are recognised and rephrased,
 * never passed on. 4xx other than 429 is permanent (the same request would fail again); 429, 5xx and
 * the network are transient.
 */
export const describeSendGridError = (error: unknown): EmailSendError => {
  const failure = error as HttpFailure & NetworkFailure
  if (typeof failure?.code === 'number' && failure.response) {
    const status = failure.code
    const reason = reasonOf(failure.response.body)
    const because = reason ? `: ${reason}` : ''
    if (status === 401 || status === 403) {
      return new EmailSendError(`SendGrid refused the API key, so nothing was sent${because} (HTTP ${status}).`, 'permanent', String(status), false, true)
    }
    if (status === 429) {
      return new EmailSendError(`SendGrid is limiting how fast this account may send; try again later (HTTP 429).`, 'transient', '429')
    }
    if (status >= 500) {
      return new EmailSendError(`SendGrid had a problem on its side; try again later (HTTP ${status}).`, 'transient', String(status))
    }
    return new EmailSendError(`SendGrid rejected the message${because} (HTTP ${status}).`, 'permanent', String(status))
  }
  if (failure?.isAxiosError || typeof failure?.code === 'string') {
    const code: string = typeof failure.code === 'string' && /^[A-Z_]{3,40}$/.test(failure.code) ? failure.code : 'ENETWORK'
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
      return new EmailSendError(`SendGrid did not answer in time (${code}).`, 'transient', code)
    }
    return new EmailSendError(`Could not reach SendGrid (${code}).`, 'transient', code)
  }
  // The SDK validates the body before sending; a message it refuses to build would be refused again.
  return new EmailSendError(
    `The message could not be prepared for SendGrid: ${(error as Error)?.message ?? String(error)}.`,
    'permanent',
    null,
  )
}

/** Runs `task` over `items` with at most `limit` in flight. */
const runLimited = async <T>(items: T[], limit: number, task: (item: T) => Promise<void>) => {
  let next = 0
  const worker = async () => {
    while (next < items.length) await task(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker))
}

/**
 * SendGrid's v3 Mail Send API through the official SDK. A batch is grouped by shared content (from,
 * reply-to, html, text, attachments) into requests of up to 1,000 personalizations; each recipient's
 * subject, headers, substitutions and our recipient or reply id (custom_args.outpost_recipient_id,
 * outpost_reply_id) travel in its personalization, so SendGrid renders the per-recipient differences.
 */
export const createSendGridTransport = (settings: SendGridSettings): EmailTransport => {
  const service = new MailService()
  service.setApiKey(settings.apiKey)
  // Keys are used verbatim: `substitutions` holds the exact strings that appear in the content.
  service.setSubstitutionWrappers('', '')
  service.setTimeout(settings.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  // setApiKey resets the base URL to the region's host, so the override goes after it.
  // (MailService's typings leave out its `client`, which is public at runtime.)
  if (settings.baseUrl) {
    const { client } = service as unknown as { client: { setDefaultRequest: (key: 'baseUrl', value: string) => unknown } }
    client.setDefaultRequest('baseUrl', settings.baseUrl)
  }

  // Batches usually share one attachment Buffer across recipients: encode and fingerprint it once.
  const encoded = new WeakMap<Buffer, { base64: string; digest: string }>()
  const encode = (content: Buffer) => {
    let entry = encoded.get(content)
    if (!entry) {
      entry = { base64: content.toString('base64'), digest: createHash('sha256').update(content).digest('hex') }
      encoded.set(content, entry)
    }
    return entry
  }

  /** The shared content and its grouping key (attachments by digest, not by their full base64). */
  const sharedContent = (message: OutgoingEmail): { shared: SharedContent; key: string } => {
    const attachments = (message.attachments ?? []).map((attachment) => ({ attachment, ...encode(attachment.content) }))
    const shared: SharedContent = {
      from: message.from.name ? { email: message.from.address, name: message.from.name } : { email: message.from.address },
      replyTo: message.replyTo || undefined,
      html: message.html,
      text: message.text,
      attachments: attachments.map(({ attachment, base64 }) => ({
        filename: attachment.filename,
        content: base64,
        type: attachment.contentType,
        disposition: 'attachment' as const,
      })),
    }
    const key = JSON.stringify([
      shared.from,
      shared.replyTo ?? null,
      shared.html,
      shared.text,
      attachments.map(({ attachment, digest }) => [attachment.filename, attachment.contentType ?? null, digest]),
    ])
    return { shared, key }
  }

  const personalization = (message: OutgoingEmail) => {
    const customArgs = {
      ...(message.reference !== undefined ? { outpost_recipient_id: message.reference } : {}),
      ...(message.replyReference !== undefined ? { outpost_reply_id: message.replyReference } : {}),
    }
    return {
      to: message.to,
      subject: message.subject,
      ...(message.headers && Object.keys(message.headers).length > 0 ? { headers: message.headers } : {}),
      ...(message.substitutions && Object.keys(message.substitutions).length > 0 ? { substitutions: message.substitutions } : {}),
      ...(Object.keys(customArgs).length > 0 ? { customArgs } : {}),
    }
  }

  const sendRequest = async (shared: SharedContent, messages: OutgoingEmail[]): Promise<string | null> => {
    const [response] = await service.send({
      from: shared.from,
      ...(shared.replyTo ? { replyTo: shared.replyTo } : {}),
      // SendGrid refuses empty content values; text/plain goes first, as the API requires.
      ...(shared.text ? { text: shared.text } : {}),
      ...(shared.html ? { html: shared.html } : {}),
      ...(shared.attachments.length > 0 ? { attachments: shared.attachments } : {}),
      personalizations: messages.map(personalization),
    } as Parameters<MailService['send']>[0])
    const id = (response.headers as Record<string, unknown>)['x-message-id']
    return typeof id === 'string' && id ? id : null
  }

  const sendBatch = async (messages: OutgoingEmail[]): Promise<BatchResult[]> => {
    const results: BatchResult[] = new Array(messages.length)
    const groups = new Map<string, Group>()
    messages.forEach((message, index) => {
      const { shared, key } = sharedContent(message)
      const group = groups.get(key) ?? { shared, items: [] }
      group.items.push({ index, message })
      groups.set(key, group)
    })
    const requests: Group[] = []
    for (const group of groups.values()) {
      for (let start = 0; start < group.items.length; start += SENDGRID_MAX_PERSONALIZATIONS) {
        requests.push({ shared: group.shared, items: group.items.slice(start, start + SENDGRID_MAX_PERSONALIZATIONS) })
      }
    }
    await runLimited(requests, settings.concurrency ?? DEFAULT_CONCURRENCY, async ({ shared, items }) => {
      let outcome: BatchResult
      try {
        outcome = { ok: true, providerMessageID: await sendRequest(shared, items.map((item) => item.message)) }
      } catch (error) {
        outcome = { ok: false, error: describeSendGridError(error) }
      }
      for (const item of items) results[item.index] = outcome
    })
    return results
  }

  return {
    kind: 'sendgrid',
    sharesContent: true,
    packsMessages: true,
    // Every open request carries up to 1,000 messages.
    maxInFlight: SENDGRID_MAX_PERSONALIZATIONS * Math.max(1, settings.concurrency ?? DEFAULT_CONCURRENCY),
    send: async (message) => {
      const [result] = await sendBatch([message])
      if (!result.ok) throw result.error
      return { providerMessageID: result.providerMessageID }
    },
    sendBatch,
    close: async () => {},
  }
}
