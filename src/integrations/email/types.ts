import type { OutboundPolicy } from '../outbound/outbound-policy'

/** One outgoing message, provider-neutral. */
export type OutgoingEmail = {
  from: { address: string; name?: string }
  to: string
  replyTo?: string
  subject: string
  html: string
  text: string
  headers?: Record<string, string>
  attachments?: { filename: string; content: Buffer; contentType?: string }[]
  /** Our own id for the message (recipient id), echoed back by providers that support it. */
  reference?: string
  /**
   * html, text and subject contain these keys; each is replaced by its value for this recipient.
   * Lets a provider send one shared body to many recipients (SendGrid personalizations); the SMTP
   * transport applies them locally before sending.
   */
  substitutions?: Record<string, string>
}

export type SendResult = { providerMessageID: string | null }

/** Failure classification drives retries: permanent ends at once, transient retries with backoff. */
export class EmailSendError extends Error {
  constructor(
    message: string,
    readonly kind: 'permanent' | 'transient',
    readonly providerCode: string | null,
    /** The receiving side refused the address itself (a hard bounce): it should receive nothing more. */
    readonly addressRejected = false,
  ) {
    super(message)
    this.name = 'EmailSendError'
  }
}

/** The outcome of one message of a batch: a batch never throws, each message succeeds or fails on its own. */
export type BatchResult = { ok: true; providerMessageID: string | null } | { ok: false; error: EmailSendError }

export type EmailTransport = {
  readonly kind: 'smtp' | 'sendgrid'
  /** Sends one message; throws an EmailSendError when it fails. */
  send: (message: OutgoingEmail) => Promise<SendResult>
  /** Sends many messages; resolves with one result per message, in the order given, and never rejects. */
  sendBatch: (messages: OutgoingEmail[]) => Promise<BatchResult[]>
  close: () => Promise<void>
}

export type SmtpSettings = {
  host: string
  port: number
  secure: boolean
  user?: string
  password?: string
  pool?: { maxConnections: number }
  /** Checks every connection against this policy (an org's own host); absent for the operator's SMTP_* server. */
  outbound?: OutboundPolicy
}
