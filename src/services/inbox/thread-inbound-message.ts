import type { Payload } from 'payload'

import { reservedPool } from '@/db/reserved-pool'
import { inTransactionOn } from '@/db/transaction'

export type InboundMessage = {
  org: number
  channel: 'email' | 'sms'
  provider: 'sendgrid' | 'twilio'
  providerMessageID: string
  /** The sender's address: a lower-case email address, or an E.164 number. */
  from: string
  to: null | string
  subject?: null | string
  bodyText: string
  /** Already sanitised (sanitizeEmailHtml). */
  bodyHtml?: null | string
  receivedAt?: Date
  /** The org's job it answers, if known (checked by the caller to be this org's). */
  job?: null | number
  /** Message-IDs it answers (In-Reply-To, References): a thread of this org holding one of them wins. */
  answers?: string[]
}

export type ThreadedMessage = { duplicate: true } | { duplicate: false; conversation: number; message: number; contact: null | number; created: boolean }

/** PostgreSQL cannot store NUL in text. */
const clean = (text: null | string | undefined, max: number) => (text ?? '').replace(/\u0000/g, '').slice(0, max)

/**
 * Puts an inbound message in its conversation, in one transaction: the thread of a message of this org
 * it answers (In-Reply-To, References), else by the sender: the org's contact with the sender's address
 * (email, or phone in E.164) if there is one, else none ("unlinked"); that contact's latest
 * conversation (or, unlinked, the one of that address), else a new one; the message stored once
 * (a provider's retry of the same message id is a no-op); the conversation reopened, marked unread,
 * its time and channels moved on. Concurrent messages of one new sender make one conversation (a lock
 * per org and address for the transaction).
 */
export const threadInboundMessage = async ({ payload, message }: { payload: Payload; message: InboundMessage }): Promise<ThreadedMessage> =>
  inTransactionOn(reservedPool(payload), async (client) => {
    const at = message.receivedAt ?? new Date()
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`inbox:${message.org}:${message.from}`])
    const { rows: contacts } = await client.query<{ id: number; name: string }>(
      message.channel === 'sms'
        ? `SELECT id, trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) AS name FROM contacts WHERE org_id = $1 AND phone = $2::varchar ORDER BY id LIMIT 1`
        : `SELECT id, trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) AS name FROM contacts WHERE org_id = $1 AND email = lower($2::varchar) ORDER BY id LIMIT 1`,
      [message.org, message.from],
    )
    const contact = contacts[0] ?? null
    // A reply to one of this org's messages (ours or theirs) stays in that message's thread, whoever sends it.
    const { rows: answered } = message.answers?.length
      ? await client.query<{ id: number; contact_id: null | number }>(
          `SELECT c.id, c.contact_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE m.org_id = $1 AND m.provider_message_i_d = ANY($2::varchar[]) ORDER BY m.created_at DESC LIMIT 1 FOR UPDATE OF c`,
          [message.org, message.answers.slice(0, 50)],
        )
      : { rows: [] as { id: number; contact_id: null | number }[] }
    const { rows: found } = answered[0] ? { rows: [{ id: answered[0].id }] } : await client.query<{ id: number }>(
      contact
        ? `SELECT id FROM conversations WHERE org_id = $1 AND contact_id = $2 ORDER BY last_message_at DESC NULLS LAST, id DESC LIMIT 1 FOR UPDATE`
        : `SELECT id FROM conversations WHERE org_id = $1 AND contact_id IS NULL AND address = $2::varchar ORDER BY last_message_at DESC NULLS LAST, id DESC LIMIT 1 FOR UPDATE`,
      [message.org, contact ? contact.id : message.from],
    )
    let conversation = found[0]?.id
    const created = conversation === undefined
    const title = contact?.name || message.from
    if (conversation === undefined) {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO conversations (org_id, title, contact_id, address, status, last_message_at, unread, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'open', $5, true, now(), now()) RETURNING id`,
        [message.org, title.slice(0, 200), contact?.id ?? null, message.from, at],
      )
      conversation = rows[0]!.id
    }
    const stored = await client.query<{ id: number }>(
      `INSERT INTO messages (org_id, conversation_id, direction, channel, provider, provider_message_i_d, "from", "to", subject, body_text, body_html, job_id, status, created_at, updated_at)
       VALUES ($1, $2, 'inbound', $3, $4, $5, $6, $7, $8, $9, $11, $12, 'received', $10, now())
       ON CONFLICT DO NOTHING RETURNING id`,
      [message.org, conversation, message.channel, message.provider, message.providerMessageID.slice(0, 255), message.from, message.to, clean(message.subject, 500) || null, clean(message.bodyText, 100_000), at, clean(message.bodyHtml, 500_000) || null, message.job ?? null],
    )
    const messageID = stored.rows[0]?.id
    if (messageID === undefined) {
      // Stored before: undo a conversation made for it just now.
      if (created) await client.query('DELETE FROM conversations WHERE id = $1', [conversation])
      return { duplicate: true }
    }
    await client.query(
      `UPDATE conversations SET last_message_at = greatest(coalesce(last_message_at, $2), $2), unread = true, status = 'open', title = $3, updated_at = now() WHERE id = $1`,
      [conversation, at, title.slice(0, 200)],
    )
    await client.query(
      `INSERT INTO conversations_channels (parent_id, value, "order")
       SELECT $1, $2::enum_conversations_channels, coalesce((SELECT max("order") FROM conversations_channels WHERE parent_id = $1), 0) + 1
        WHERE NOT EXISTS (SELECT 1 FROM conversations_channels WHERE parent_id = $1 AND value = $2::enum_conversations_channels)`,
      [conversation, message.channel],
    )
    return { duplicate: false, conversation, message: messageID, contact: contact?.id ?? null, created }
  })
