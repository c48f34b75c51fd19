import { type MessageTransport, SendError, type SendOutcome } from '../sending/types'
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
  /** Our id for an inbox reply (a message, not a job's recipient), echoed back by providers that support it. */
  replyReference?: string
  /**
   * html, text and subject contain these keys; each is replaced by its value for this recipient.
   * Lets a provider send one shared body to many recipients (SendGrid personalizations); the SMTP
   * transport applies them locally before sending.
   */
  substitutions?: Record<string, string>
}

export type SendResult = { providerMessageID: string | null }

/** An email failure: the channel-neutral SendError under the name the email code has always used. */
export class EmailSendError extends SendError {
  constructor(message: string, kind: 'permanent' | 'transient', providerCode: string | null, addressRejected = false, accountLevel = false) {
    super(message, kind, providerCode, addressRejected, accountLevel)
    this.name = 'EmailSendError'
  }
}

/** The outcome of one message of a batch: a batch never throws, each message succeeds or fails on its own. */
export type BatchResult = SendOutcome

export type EmailTransport = MessageTransport<OutgoingEmail> & {
  readonly kind: 'smtp' | 'sendgrid'
  /**
   * The provider sends one content to many recipients with per-recipient substitutions (SendGrid's
   * personalizations): the engine packs personalised bodies into substitutions for it.
   */
  readonly sharesContent?: boolean
  /** Sends one message; throws an EmailSendError when it fails. */
  send: (message: OutgoingEmail) => Promise<SendResult>
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
