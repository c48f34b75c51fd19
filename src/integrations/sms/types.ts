import type { MessageTransport } from '../sending/types'
import { SendError } from '../sending/types'

/** One outgoing SMS, provider-neutral. Numbers are E.164. */
export type OutgoingSms = {
  to: string
  /** The sender number (E.164), or… */
  from?: string
  /** …a Twilio Messaging Service, which picks the sender. */
  messagingServiceSid?: string
  body: string
  /** Where the provider posts delivery statuses. */
  statusCallback?: string
  /** Our own id for the message (recipient id). */
  reference?: string
}

/** An SMS failure, classified for the engine (see SendError). */
export class SmsSendError extends SendError {
  constructor(message: string, kind: 'permanent' | 'transient', providerCode: string | null, addressRejected = false, accountLevel = false) {
    super(message, kind, providerCode, addressRejected, accountLevel)
    this.name = 'SmsSendError'
  }
}

export type SmsTransport = MessageTransport<OutgoingSms> & { readonly kind: 'twilio' | 'outbox' }
