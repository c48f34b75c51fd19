import type { OutgoingEmail } from '@/integrations/email'

import { BODY_KEYS } from '../templates/substitution-marker'

export const HTML_KEY = BODY_KEYS.html
export const TEXT_KEY = BODY_KEYS.text
/** SendGrid allows 10,000 bytes of substitutions per personalization; keep a margin. */
const MAX_SUBSTITUTION_BYTES = 9_500

/**
 * Providers that send one content to many recipients (SendGrid's personalizations) need messages that
 * differ only per recipient. A personalised body goes in as a substitution, so every message of a
 * batch shares the same content and one API request carries up to 1,000 of them. Bodies too large
 * for a substitution are left whole (they go out in a request of their own).
 */
export const packMessageContent = (message: OutgoingEmail): OutgoingEmail => {
  const size = Buffer.byteLength(message.html) + Buffer.byteLength(message.text)
  if (message.substitutions || size > MAX_SUBSTITUTION_BYTES) return message
  return { ...message, html: HTML_KEY, text: TEXT_KEY, substitutions: { [HTML_KEY]: message.html, [TEXT_KEY]: message.text } }
}
