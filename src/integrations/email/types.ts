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
}

export type SendResult = { providerMessageID: string | null }

/** Failure classification drives retries: permanent ends at once, transient retries with backoff. */
export class EmailSendError extends Error {
  constructor(
    message: string,
    readonly kind: 'permanent' | 'transient',
    readonly providerCode: string | null,
  ) {
    super(message)
    this.name = 'EmailSendError'
  }
}

export type EmailTransport = {
  readonly kind: 'smtp' | 'sendgrid'
  send: (message: OutgoingEmail) => Promise<SendResult>
  close: () => Promise<void>
}

export type SmtpSettings = {
  host: string
  port: number
  secure: boolean
  user?: string
  password?: string
  pool?: { maxConnections: number }
}
