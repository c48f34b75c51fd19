import crypto from 'node:crypto'

import { type FakeRequest, type FakeResponse, startHttpFake } from './http-fake'

/** One personalization as SendGrid would deliver it: substitutions already applied. */
export type SendGridDelivery = {
  /** The personalization's `to` addresses, comma-separated (Outpost sends one per personalization). */
  to: string
  from: { email: string; name?: string }
  replyTo: string | null
  subject: string
  html: string | null
  text: string | null
  headers: Record<string, string>
  customArgs: Record<string, string>
  messageID: string
  attachments: { filename: string; type: string | null; disposition: string | null; content: Buffer }[]
}

/** Makes the whole request fail when any of its recipients matches, the way SendGrid refuses a request. */
export type SendGridRecipientRule = (address: string) => { status: 400 | 429 | 500; message: string } | null

export type SendGridFake = {
  url: string
  deliveries: SendGridDelivery[]
  /** Personalizations accepted so far (counted even when not recorded). */
  accepted: () => number
  requests: FakeRequest[]
  setRecipientRule: (rule: SendGridRecipientRule | null) => void
  /** Resolves when at least `count` deliveries have been recorded (rejects after `timeoutMs`). */
  waitFor: (count: number, timeoutMs?: number) => Promise<SendGridDelivery[]>
  close: () => Promise<void>
}

const MAX_PERSONALIZATIONS = 1000

type Address = { email?: unknown; name?: unknown }
type Personalization = {
  to?: Address[]
  subject?: unknown
  headers?: Record<string, string>
  substitutions?: Record<string, string>
  custom_args?: Record<string, string>
}
type MailSendBody = {
  personalizations?: Personalization[]
  from?: Address
  reply_to?: Address
  subject?: unknown
  content?: { type?: unknown; value?: unknown }[]
  attachments?: { filename?: unknown; content?: unknown; type?: unknown; disposition?: unknown }[]
  headers?: Record<string, string>
  custom_args?: Record<string, string>
}

/** SendGrid's error envelope. */
const sendGridError = (status: number, message: string, field: string | null = null, help: string | null = null): FakeResponse => ({
  status,
  body: { errors: [{ message, field, help }] },
})

/** Legacy substitutions as SendGrid applies them: each key replaced verbatim, longest keys first. */
const substitute = (input: string, substitutions: Record<string, string> | undefined) =>
  Object.entries(substitutions ?? {})
    .sort(([a], [b]) => b.length - a.length)
    .reduce((out, [key, value]) => (key ? out.split(key).join(String(value)) : out), input)

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0

/** The 400 SendGrid answers for a body it cannot accept, or null when the body is valid. */
const validate = (body: MailSendBody): FakeResponse | null => {
  const personalizations = body.personalizations
  if (!Array.isArray(personalizations) || personalizations.length === 0) {
    return sendGridError(400, 'The personalizations field is required and must have at least one personalization.', 'personalizations', 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#-Personalizations-Errors')
  }
  if (personalizations.length > MAX_PERSONALIZATIONS) {
    return sendGridError(400, `The personalizations field must have no more than ${MAX_PERSONALIZATIONS} personalizations.`, 'personalizations', null)
  }
  for (const [index, p] of personalizations.entries()) {
    if (!Array.isArray(p.to) || p.to.length === 0 || !p.to.every((address) => isNonEmptyString(address?.email))) {
      return sendGridError(400, 'The to array is required for all personalization objects, and must have at least one email object with a valid email address.', `personalizations.${index}.to`, null)
    }
  }
  if (!body.from || !isNonEmptyString(body.from.email)) {
    return sendGridError(400, 'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.', 'from.email', null)
  }
  if (!Array.isArray(body.content) || body.content.length === 0 || !body.content.every((c) => isNonEmptyString(c?.value) && isNonEmptyString(c?.type))) {
    return sendGridError(400, 'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.', 'content', null)
  }
  if (body.content.length > 1 && body.content[0].type !== 'text/plain') {
    return sendGridError(400, 'If present, text/plain content must be first, followed by any other content.', 'content', null)
  }
  for (const [index, p] of personalizations.entries()) {
    if (!isNonEmptyString(p.subject) && !isNonEmptyString(body.subject)) {
      return sendGridError(400, 'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.', `personalizations.${index}.subject`, null)
    }
  }
  for (const [index, a] of (body.attachments ?? []).entries()) {
    if (!isNonEmptyString(a.filename) || !isNonEmptyString(a.content)) {
      return sendGridError(400, 'The attachment content and filename are required.', `attachments.${index}`, null)
    }
  }
  return null
}

/**
 * SendGrid's v3 Mail Send endpoint on loopback: `POST /v3/mail/send` with Bearer auth, SendGrid's
 * validation and error envelope, 202 with an `X-Message-Id` per accepted request, and one recorded
 * delivery per personalization with its substitutions applied.
 */
export const startSendGridFake = async ({ apiKey, record = true }: { apiKey: string; record?: boolean }): Promise<SendGridFake> => {
  const deliveries: SendGridDelivery[] = []
  let accepted = 0
  const waiters: { count: number; resolve: (d: SendGridDelivery[]) => void }[] = []
  let rule: SendGridRecipientRule | null = null

  const notify = () => {
    for (const waiter of [...waiters]) {
      if (deliveries.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(deliveries.slice())
      }
    }
  }

  const mailSend = (request: FakeRequest): FakeResponse => {
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      return sendGridError(401, 'The provided authorization grant is invalid, expired, or revoked', null, null)
    }
    let body: MailSendBody
    try {
      body = request.json()
    } catch {
      return sendGridError(400, 'Bad Request', null, null)
    }
    const invalid = validate(body ?? {})
    if (invalid) return invalid

    const personalizations = body.personalizations as Personalization[]
    for (const p of personalizations) {
      for (const address of p.to ?? []) {
        const refusal = rule?.(String(address.email))
        if (refusal) return sendGridError(refusal.status, refusal.message, 'personalizations', null)
      }
    }

    const messageID = crypto.randomBytes(16).toString('base64url')
    const contentOf = (type: string) => {
      const part = body.content?.find((c) => c.type === type)
      return part ? String(part.value) : null
    }
    const html = contentOf('text/html')
    const text = contentOf('text/plain')
    const attachments = (body.attachments ?? []).map((a) => ({
      filename: String(a.filename),
      type: isNonEmptyString(a.type) ? a.type : null,
      disposition: isNonEmptyString(a.disposition) ? a.disposition : null,
      content: Buffer.from(String(a.content), 'base64'),
    }))
    accepted += personalizations.length
    // Benchmarks only count (recording 100,000 rendered messages would measure the fake's memory).
    if (!record) return { status: 202, headers: { 'X-Message-Id': messageID }, body: undefined }
    for (const p of personalizations) {
      const subject = isNonEmptyString(p.subject) ? p.subject : String(body.subject)
      deliveries.push({
        to: (p.to ?? []).map((address) => String(address.email)).join(', '),
        from: { email: String(body.from?.email), ...(isNonEmptyString(body.from?.name) ? { name: body.from.name } : {}) },
        replyTo: isNonEmptyString(body.reply_to?.email) ? body.reply_to.email : null,
        subject: substitute(subject, p.substitutions),
        html: html === null ? null : substitute(html, p.substitutions),
        text: text === null ? null : substitute(text, p.substitutions),
        headers: { ...body.headers, ...p.headers },
        customArgs: { ...body.custom_args, ...p.custom_args },
        messageID,
        attachments,
      })
    }
    notify()
    return { status: 202, headers: { 'X-Message-Id': messageID }, body: undefined }
  }

  const fake = await startHttpFake({ 'POST /v3/mail/send': mailSend }, { keepRequests: record })

  return {
    url: fake.url,
    deliveries,
    accepted: () => accepted,
    requests: fake.requests,
    setRecipientRule: (next) => {
      rule = next
    },
    waitFor: (count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        if (deliveries.length >= count) return resolve(deliveries.slice())
        const timer = setTimeout(
          () => reject(new Error(`SendGrid fake: expected ${count} deliveries, got ${deliveries.length} in ${timeoutMs} ms`)),
          timeoutMs,
        )
        waiters.push({ count, resolve: (d) => (clearTimeout(timer), resolve(d)) })
      }),
    close: fake.close,
  }
}
