import type { PayloadRequest } from 'payload'

import { relationID } from '@/access/orgAccess'

import { AppError } from '../errors/app-error'
import { linkConversation } from './link-conversation'
import { readConversation } from './read-conversation'

const text = (value: unknown, what: string): string | undefined => {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string') throw new AppError('INVALID_INPUT', `${what} must be text.`)
  return value.trim() || undefined
}

/**
 * Creates a contact from an unlinked conversation in one step and links it (audited `inbound.link`):
 * the sender's address fills in itself (the email address, or the number as the phone), the rest comes
 * from `data` (first and last name, and an email address for an SMS sender: contacts need one). The
 * contact is created as the user, so the Contacts collection's rules and field errors apply.
 */
export const createContactFromConversation = async ({ req, conversationID, data }: { req: PayloadRequest; conversationID: number; data: Record<string, unknown> }) => {
  const conversation = await readConversation(req, conversationID, 'inbound.link', 'Your role cannot link conversations to contacts.')
  if (relationID(conversation.contact) !== undefined) throw new AppError('CONFLICT', 'This conversation is already linked to a contact.')
  const address = conversation.address ?? ''
  const isEmail = address.includes('@')
  const contact = await req.payload.create({
    collection: 'contacts',
    req,
    user: req.user,
    overrideAccess: false,
    data: {
      org: Number(relationID(conversation.org)),
      email: text(data.email, '`email`') ?? (isEmail ? address : ''),
      phone: text(data.phone, '`phone`') ?? (isEmail ? undefined : address),
      firstName: text(data.firstName, '`firstName`'),
      lastName: text(data.lastName, '`lastName`'),
    },
  })
  const linked = await linkConversation({ req, conversationID, contactID: contact.id })
  return { ...linked, contact: contact.id }
}
