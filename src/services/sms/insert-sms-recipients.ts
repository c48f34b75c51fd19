import type { PoolClient } from 'pg'

import { parsePhoneNumber } from '../contacts/parse-phone-number'

export type SmsAddress = { status: 'pending'; address: string } | { status: 'excluded'; reason: string }

/**
 * Where one contact's SMS goes: their number in E.164 (read in the org's default country when written
 * without a country code), or why they are left out: no number, not a number, or a number known not
 * to take SMS (a fixed line, toll-free, premium).
 */
export const smsAddressOf = (phone: null | string | undefined, defaultCountry: null | string): SmsAddress => {
  if (!phone?.trim()) return { status: 'excluded', reason: 'No mobile number' }
  const parsed = parsePhoneNumber(phone, defaultCountry)
  if (!parsed.ok) return { status: 'excluded', reason: `Not a valid mobile number: ${parsed.reason}`.slice(0, 200) }
  if (!parsed.canReceiveSms) return { status: 'excluded', reason: `Not a mobile number (${String(parsed.type).toLowerCase().replace(/_/g, ' ')})` }
  return { status: 'pending', address: parsed.e164 }
}

/**
 * Writes an SMS job's recipients from its audience (`who`: a condition over `contacts c` whose
 * parameters start at $3; $1 is the job, $2 the org): one row per number, the first contact with a
 * number keeps it (a shared family number gets one message), and one excluded row per contact without
 * a usable number, with the reason, so the job says who was left out and why. Returns the rows written.
 */
export const insertSmsRecipients = async (
  client: PoolClient,
  { jobID, org, who, defaultCountry }: { jobID: number; org: number; who: { sql: string; params: unknown[] }; defaultCountry: null | string },
): Promise<number> => {
  const { rows } = await client.query<{ id: number; phone: null | string }>(
    `SELECT c.id, c.phone FROM contacts c WHERE c.org_id = $2 AND ${who.sql} AND $1::int IS NOT NULL ORDER BY c.id`,
    [jobID, org, ...who.params],
  )
  const contacts: number[] = []
  const addresses: string[] = []
  const statuses: string[] = []
  const reasons: (null | string)[] = []
  for (const row of rows) {
    const where = smsAddressOf(row.phone, defaultCountry)
    contacts.push(row.id)
    statuses.push(where.status)
    if (where.status === 'pending') {
      addresses.push(where.address)
      reasons.push(null)
    } else {
      // Unique within the job like every address, and saying whose it is.
      addresses.push(`${(row.phone?.trim() || 'no number').slice(0, 40)} (contact ${row.id})`)
      reasons.push(where.reason)
    }
  }
  if (!contacts.length) return 0
  const inserted = await client.query(
    `INSERT INTO email_recipients (org_id, job_id, contact_id, email, channel, status, excluded_reason, attempts, created_at, updated_at)
     SELECT $1, $2, t.contact, t.address, 'sms', t.status::enum_email_recipients_status, t.reason, 0, now(), now()
       FROM unnest($3::int[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(contact, address, status, reason, n)
      ORDER BY t.n
     ON CONFLICT (job_id, email) DO NOTHING`,
    [org, jobID, contacts, addresses, statuses, reasons],
  )
  return inserted.rowCount ?? 0
}
