import type { SendOutcome } from '../sending/types'
import { type OutgoingSms, SmsSendError, type SmsTransport } from './types'

/**
 * The SMS provider without an account (the two-command start, CI): every message is stored where a
 * person can read it (`store`, given by the caller: the admin's read-only SMS outbox), as the SMTP sink
 * does for email. `store` returns one id per message, in order.
 */
export const createOutboxTransport = ({ store }: { store: (messages: OutgoingSms[]) => Promise<string[]> }): SmsTransport => ({
  kind: 'outbox',
  maxInFlight: 50,
  // One store call keeps many messages (one INSERT): the engine hands them over together.
  packsMessages: true,
  sendBatch: async (messages): Promise<SendOutcome[]> => {
    try {
      const ids = await store(messages)
      return messages.map((_, index) => ({ ok: true, providerMessageID: ids[index] ?? null }))
    } catch (error) {
      const failed = new SmsSendError(`The SMS outbox could not store the message: ${(error as Error)?.message ?? String(error)}`, 'transient', null)
      return messages.map(() => ({ ok: false, error: failed }))
    }
  },
  close: async () => {},
})
