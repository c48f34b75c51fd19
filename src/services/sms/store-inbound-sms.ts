import type { Payload } from 'payload'

import { reservedPool } from '@/db/reserved-pool'

import { parsePhoneNumber } from '../contacts/parse-phone-number'

/**
 * Keeps an SMS reply that was no keyword, once (Twilio's retries of the same MessageSid are no-ops),
 * linked to the org's contact with the sender's number when there is one (numbers are stored in
 * E.164). NUL, which PostgreSQL cannot store, is dropped from the text. Returns whether it was new.
 */
export const storeInboundSms = async ({
  payload,
  org,
  messageSid,
  from,
  to,
  body,
  receivedAt = new Date(),
}: {
  payload: Payload
  org: number
  messageSid: string
  from: string
  to: string
  body: string
  receivedAt?: Date
}): Promise<boolean> => {
  const parsed = parsePhoneNumber(from)
  const sender = parsed.ok ? parsed.e164 : from.slice(0, 40)
  const { rowCount } = await reservedPool(payload).query(
    `INSERT INTO inbound_messages (org_id, channel, provider, provider_message_i_d, "from", "to", body, contact_id, received_at, created_at, updated_at)
     VALUES ($1, 'sms', 'twilio', $2, $3::varchar, $4, $5,
             (SELECT id FROM contacts WHERE org_id = $1 AND phone = $3::varchar ORDER BY id LIMIT 1), $6, now(), now())
     ON CONFLICT DO NOTHING`,
    [org, messageSid.slice(0, 64), sender, to.slice(0, 40), body.replace(/\u0000/g, '').slice(0, 10_000), receivedAt],
  )
  return rowCount === 1
}
