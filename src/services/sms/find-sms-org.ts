import type { Payload } from 'payload'

import { reservedPool } from '@/db/reserved-pool'

import { parsePhoneNumber } from '../contacts/parse-phone-number'
import { decryptSecret } from '../crypto/secrets'

export type SmsOrg = { id: number; name: string; authToken: null | string; helpText: null | string }

/**
 * The org that receives SMS on this number (its sender number) or Messaging Service, with its Twilio
 * auth token (else TWILIO_AUTH_TOKEN) for checking the request's signature. A number belongs to one
 * org (a unique index); null when none. Read on the reserved connections, so replies are answered while
 * the admin's lists hold every other one.
 */
export const findSmsOrg = async ({ payload, to, messagingServiceSid, env = process.env }: { payload: Payload; to: string; messagingServiceSid?: null | string; env?: Record<string, string | undefined> }): Promise<null | SmsOrg> => {
  const parsed = parsePhoneNumber(to)
  const number = parsed.ok ? parsed.e164 : null
  if (!number && !messagingServiceSid) return null
  const { rows } = await reservedPool(payload).query<{ id: number; name: string; token: null | string; help: null | string }>(
    `SELECT id, name, sms_twilio_auth_token_encrypted AS token, sms_help_text AS help FROM organizations
      WHERE ($1::text IS NOT NULL AND sms_from_number = $1) OR ($2::text IS NOT NULL AND sms_messaging_service_sid = $2)
      ORDER BY (sms_from_number = $1) DESC NULLS LAST LIMIT 1`,
    [number, messagingServiceSid || null],
  )
  const row = rows[0]
  if (!row) return null
  let authToken: null | string = env.TWILIO_AUTH_TOKEN || null
  if (row.token) {
    try {
      authToken = decryptSecret(row.token)
    } catch {
      authToken = null // unreadable (FERNET_KEY changed): no signature can be checked, so nothing is accepted
    }
  }
  return { id: row.id, name: row.name, authToken, helpText: row.help }
}
