import type { PayloadRequest } from 'payload'

import { relationID } from '@/access/orgAccess'
import { dbPool } from '@/db/pool'
import type { Contact } from '@/payload-types'

import { recordAudit } from '../audit/record-audit'
import { AppError, nullIfNotFound } from '../errors/app-error'
import { parseStoredID } from '../http/stored-id'
import { readConversation } from './read-conversation'

/**
 * Links a conversation to a contact of its org (read as the user: another org's contact does not
 * exist). When the contact already has a conversation, this one's messages join it and this one goes,
 * so a person has one thread. Audited (`inbound.link`). Returns the conversation the messages are in.
 */
export const linkConversation = async ({ req, conversationID, contactID }: { req: PayloadRequest; conversationID: number; contactID: unknown }): Promise<{ conversation: number; contact: number; merged: boolean }> => {
  const conversation = await readConversation(req, conversationID, 'inbound.link', 'Your role cannot link conversations to contacts.')
  const org = relationID(conversation.org)!
  const storedContact = parseStoredID(contactID as never)
  const contact: Contact | null =
    storedContact === null ? null : await req.payload.findByID({ collection: 'contacts', id: storedContact, depth: 0, req, user: req.user, overrideAccess: false }).catch(nullIfNotFound)
  if (!contact || relationID(contact.org) !== org) throw new AppError('INVALID_INPUT', 'Choose a contact of this conversation’s organisation.')
  if (relationID(conversation.contact) === contact.id) return { conversation: conversation.id, contact: contact.id, merged: false }
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || contact.email
  const client = await dbPool(req.payload).connect()
  let target = conversation.id
  try {
    await client.query('BEGIN')
    const { rows } = await client.query<{ id: number }>(
      `SELECT id FROM conversations WHERE org_id = $1 AND contact_id = $2 AND id <> $3 ORDER BY last_message_at DESC NULLS LAST, id DESC LIMIT 1 FOR UPDATE`,
      [org, contact.id, conversation.id],
    )
    if (rows[0]) {
      target = rows[0].id
      await client.query(`UPDATE messages SET conversation_id = $1, updated_at = now() WHERE conversation_id = $2`, [target, conversation.id])
      await client.query(
        `INSERT INTO conversations_channels (parent_id, value, "order")
         SELECT $1, c.value, 100 + c."order" FROM conversations_channels c
          WHERE c.parent_id = $2 AND NOT EXISTS (SELECT 1 FROM conversations_channels t WHERE t.parent_id = $1 AND t.value = c.value)`,
        [target, conversation.id],
      )
      await client.query(
        `UPDATE conversations t SET last_message_at = greatest(t.last_message_at, s.last_message_at), unread = t.unread OR s.unread, status = CASE WHEN s.status = 'open' THEN 'open' ELSE t.status END, updated_at = now()
           FROM conversations s WHERE t.id = $1 AND s.id = $2`,
        [target, conversation.id],
      )
      await client.query('DELETE FROM conversations WHERE id = $1', [conversation.id])
    } else {
      await client.query(`UPDATE conversations SET contact_id = $2, title = $3, updated_at = now() WHERE id = $1`, [conversation.id, contact.id, name.slice(0, 200)])
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK')
    throw error
  } finally {
    client.release()
  }
  await recordAudit(req, {
    action: 'inbound.link',
    org,
    target: { collection: 'conversations', id: target },
    summary: `Linked the conversation with ${conversation.address ?? 'an unknown sender'} to ${name}${target !== conversation.id ? ' (joined their existing conversation)' : ''}`,
  })
  return { conversation: target, contact: contact.id, merged: target !== conversation.id }
}
