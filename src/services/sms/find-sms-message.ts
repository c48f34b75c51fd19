import type { Payload } from 'payload'

import { reservedPool } from '@/db/reserved-pool'

import { decryptSecret } from '../crypto/secrets'

export type SmsMessageTarget = {
  /** Our recipient the message id names (an SMS job's row), if any. */
  recipient: null | { id: number; org: number; job: number; address: string }
  /** Our SMS reply from the inbox the message id names, if any. */
  message: null | { id: number; org: number }
  /** The org the request is checked against: the recipient's, else the one whose Twilio account it names. */
  org: null | number
  /** That org's auth token, else TWILIO_AUTH_TOKEN; null when none can be read (nothing is then accepted). */
  authToken: null | string
}

/**
 * Who a Twilio status callback is about, and the token its signature must be made with: the recipient
 * whose provider message id it names, else the org whose account SID it names (its message may predate
 * us or be a test). Read on the reserved connections, so callbacks are answered while lists are busy.
 */
export const findSmsMessage = async ({
  payload,
  messageSid,
  accountSid,
  env = process.env,
}: {
  payload: Payload
  messageSid: string
  accountSid: null | string
  env?: Record<string, string | undefined>
}): Promise<SmsMessageTarget> => {
  const { rows } = await reservedPool(payload).query<{ id: null | number; message: null | number; org: null | number; job: null | number; address: null | string; token: null | string }>(
    `SELECT r.id, NULL::int AS message, o.id AS org, r.job_id AS job, r.email AS address, o.sms_twilio_auth_token_encrypted AS token
       FROM email_recipients r JOIN organizations o ON o.id = r.org_id
      WHERE r.provider_message_i_d = $1 AND r.channel = 'sms'
     UNION ALL
     SELECT NULL, m.id, o.id, NULL, NULL, o.sms_twilio_auth_token_encrypted
       FROM messages m JOIN organizations o ON o.id = m.org_id
      WHERE m.provider = 'twilio' AND m.direction = 'outbound' AND m.provider_message_i_d = $1
     UNION ALL
     SELECT NULL, NULL, o.id, NULL, NULL, o.sms_twilio_auth_token_encrypted FROM organizations o
      WHERE $2::text IS NOT NULL AND o.sms_twilio_account_sid = $2
     LIMIT 1`,
    [messageSid, accountSid],
  )
  const row = rows[0]
  let authToken: null | string = env.TWILIO_AUTH_TOKEN || null
  if (row?.token) {
    try {
      authToken = decryptSecret(row.token)
    } catch {
      authToken = null
    }
  }
  return {
    recipient: row && row.id !== null ? { id: row.id, org: row.org!, job: row.job!, address: row.address! } : null,
    message: row && row.message !== null ? { id: row.message, org: row.org! } : null,
    org: row?.org ?? null,
    authToken,
  }
}
