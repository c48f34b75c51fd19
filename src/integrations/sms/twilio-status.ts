/**
 * Twilio's message statuses (StatusCallback's MessageStatus) and delivery error codes, in our words.
 * https://www.twilio.com/docs/messaging/api/message-resource#message-status-values
 */
export const TWILIO_STATUSES = ['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'canceled', 'receiving', 'received', 'partially_delivered'] as const
export type TwilioStatus = (typeof TWILIO_STATUSES)[number]

export const isTwilioStatus = (value: string): value is TwilioStatus => (TWILIO_STATUSES as readonly string[]).includes(value)

/** What a status says of a message we sent: on its way, at the carrier, delivered, or failed for good. */
export const twilioStatusOutcome = (status: TwilioStatus): 'delivered' | 'failed' | 'progress' | 'sent' => {
  if (status === 'sent') return 'sent'
  if (status === 'delivered' || status === 'read') return 'delivered'
  if (status === 'undelivered' || status === 'failed' || status === 'canceled') return 'failed'
  return 'progress'
}

const DELIVERY_ERRORS: Record<string, { sentence: string; suppress?: 'bounce' | 'unsubscribe' }> = {
  '21610': { sentence: 'The recipient has replied STOP to this sender', suppress: 'unsubscribe' },
  '30001': { sentence: 'Twilio’s queue for this sender overflowed' },
  '30002': { sentence: 'The Twilio account was suspended' },
  '30003': { sentence: 'The handset was unreachable (switched off or out of coverage)' },
  '30004': { sentence: 'The message was blocked by the carrier or the recipient' },
  '30005': { sentence: 'The number is unknown or no longer in service', suppress: 'bounce' },
  '30006': { sentence: 'The number is a landline or its carrier cannot take SMS', suppress: 'bounce' },
  '30007': { sentence: 'The carrier filtered the message as spam' },
  '30008': { sentence: 'The carrier could not deliver the message (unknown error)' },
  '30010': { sentence: 'The message cost more than the account’s maximum price' },
}

/** Why a message was not delivered, as a sentence with the code, and whether the number should get nothing more. */
export const describeTwilioDeliveryError = (status: TwilioStatus, errorCode: null | string): { sentence: string; suppress: 'bounce' | 'unsubscribe' | null } => {
  const code = errorCode && /^\d{3,6}$/.test(errorCode) ? errorCode : null
  const known = code ? DELIVERY_ERRORS[code] : undefined
  const tag = code ? ` (${code})` : ''
  if (known) return { sentence: `${known.sentence}${tag}.`, suppress: known.suppress ?? null }
  if (status === 'canceled') return { sentence: 'The message was canceled before it was sent.', suppress: null }
  return { sentence: `Twilio reports the message ${status}${tag}.`, suppress: null }
}
