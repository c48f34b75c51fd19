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

const firstErrorMessage = (body: unknown): string | null => {
  if (body && typeof body === 'object' && Array.isArray((body as { errors?: unknown }).errors)) {
    const first = (body as { errors: { message?: unknown }[] }).errors[0]
    if (first && typeof first.message === 'string' && first.message) return first.message
  }
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 200)
  return null
}

/** 4xx other than 429 is permanent (the same request would fail again); 429, 5xx and the network are transient. */
export const describeSendGridError = (error: unknown): EmailSendError => {
  const failure = error as HttpFailure & NetworkFailure
  if (typeof failure?.code === 'number' && failure.response) {
    const status = failure.code
    const reason = firstErrorMessage(failure.response.body) ?? failure.message ?? 'no details given'
    const detail = `HTTP ${status}: ${reason.replace(/\.$/, '')}`
    if (status === 401 || status === 403) {
      return new EmailSendError(`SendGrid refused the API key, so nothing was sent (${detail}).`, 'permanent', String(status))
    }
    if (status === 429) {
      return new EmailSendError(`SendGrid is limiting how fast this account may send; try again later (${detail}).`, 'transient', '429')
    }
    if (status >= 500) {
      return new EmailSendError(`SendGrid had a problem on its side; try again later (${detail}).`, 'transient', String(status))
    }
    return new EmailSendError(`SendGrid rejected the message (${detail}).`, 'permanent', String(status))
  }
  if (failure?.isAxiosError || typeof failure?.code === 'string') {
    const code = typeof failure.code === 'string' ? failure.code : null
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
      return new EmailSendError(`SendGrid did not answer in time (${code}).`, 'transient', code)
    }
    return new EmailSendError(
      `Could not reach SendGrid: ${failure.message || 'network error'}${code ? ` (${code})` : ''}.`,
      'transient',
      code,
    )
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
 * subject, headers, substitutions and our recipient id (custom_args.outpost_recipient_id) travel in
 * its personalization, so SendGrid renders the per-recipient differences.
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

  const personalization = (message: OutgoingEmail) => ({
    to: message.to,
    subject: message.subject,
    ...(message.headers && Object.keys(message.headers).length > 0 ? { headers: message.headers } : {}),
    ...(message.substitutions && Object.keys(message.substitutions).length > 0 ? { substitutions: message.substitutions } : {}),
    ...(message.reference !== undefined ? { customArgs: { outpost_recipient_id: message.reference } } : {}),
  })

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
    send: async (message) => {
      const [result] = await sendBatch([message])
      if (!result.ok) throw result.error
      return { providerMessageID: result.providerMessageID }
    },
    sendBatch,
    close: async () => {},
  }
}
