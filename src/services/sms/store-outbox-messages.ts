import { randomBytes } from 'node:crypto'

import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'
import type { OutgoingSms } from '@/integrations/sms'

import { countSmsSegments } from '../templates/count-sms-segments'

/** An id shaped like Twilio's (SM + 32 hex), so the outbox and Twilio look alike on a recipient. */
const newMessageSid = () => `SM${randomBytes(16).toString('hex')}`

/**
 * Keeps messages in the org's SMS outbox (the admin's read-only list) in one statement, each with its
 * segment count and the job and recipient its reference names (only a recipient of this org). Returns
 * the message ids, in order.
 */
export const storeOutboxMessages = async ({ payload, org, messages }: { payload: Payload; org: number; messages: OutgoingSms[] }): Promise<string[]> => {
  if (!messages.length) return []
  const sids = messages.map(newMessageSid)
  const counts = messages.map((m) => countSmsSegments(m.body))
  const references = messages.map((m) => (m.reference && /^\d{1,10}$/.test(m.reference) ? Number(m.reference) : null))
  await dbPool(payload).query(
    `INSERT INTO sms_outbox (org_id, "to", "from", body, segments, encoding, job_id, recipient_id, message_sid, created_at, updated_at)
     SELECT $1, m.to_number, m.from_number, m.body, m.segments, m.encoding, r.job_id, r.id, m.sid, now(), now()
       FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::int[], $8::text[]) AS m(to_number, from_number, body, segments, encoding, ref, sid)
       LEFT JOIN email_recipients r ON r.id = m.ref AND r.org_id = $1`,
    [
      org,
      messages.map((m) => m.to),
      messages.map((m) => m.from ?? m.messagingServiceSid ?? null),
      messages.map((m) => m.body),
      counts.map((c) => c.segments),
      counts.map((c) => c.encoding),
      references,
      sids,
    ],
  )
  return sids
}
