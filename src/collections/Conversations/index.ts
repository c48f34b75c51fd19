import type { CollectionConfig, FieldAccess } from 'payload'

import { LOUD_ACCESS, roleFieldAccess } from '@/access/fieldAccess'
import { nobody, orgScoped } from '@/access/orgAccess'

import { conversationEndpoints } from './endpoints'
import { statusCell } from '@/fields/status-cell'
import { statusOptions } from '@/services/vocabulary/statuses'

const systemOnly: FieldAccess = () => false

export const CONVERSATION_STATUSES = ['open', 'closed'] as const

/**
 * The inbox: one thread per contact and channel address. Made by inbound messages (never by hand);
 * an unknown sender's thread is "unlinked" (no contact) until a person links it to a contact or
 * creates the contact from it (POST …/link, …/create-contact, audited `inbound.link`). Members read;
 * status and assignee follow `inbound.reply`.
 */
export const Conversations: CollectionConfig = {
  slug: 'conversations',
  labels: { singular: 'Conversation', plural: 'Conversations' },
  admin: {
    components: { beforeListTable: ['@/components/ListCountNote#ListCountNote'] },
    useAsTitle: 'title',
    defaultColumns: ['title', 'status', 'channels', 'lastMessageAt', 'unread', 'assignee'],
    listSearchableFields: ['title', 'address'],
    group: 'Inbox',
    description: 'Replies from contacts and unknown senders, one thread per person.',
  },
  defaultSort: '-lastMessageAt',
  disableDuplicate: true,
  access: { read: orgScoped('org.read'), create: nobody, update: orgScoped('inbound.reply'), delete: nobody },
  indexes: [
    { fields: ['org', 'lastMessageAt'] },
    { fields: ['org', 'address'] },
  ],
  endpoints: conversationEndpoints,
  fields: [
    { name: 'org', type: 'relationship', relationTo: 'organizations', required: true, access: { update: systemOnly }, admin: { readOnly: true, position: 'sidebar' } },
    { name: 'title', type: 'text', access: { update: systemOnly }, admin: { readOnly: true, description: 'The contact’s name, else the sender’s address.' } },
    {
      name: 'contact',
      type: 'relationship',
      relationTo: 'contacts',
      index: true,
      access: { update: systemOnly },
      admin: { readOnly: true, position: 'sidebar', description: 'Empty: an unknown sender (unlinked). Link it or create the contact from the inbox.' },
    },
    { name: 'address', type: 'text', access: { update: systemOnly }, admin: { readOnly: true, description: 'The sender’s email address or number (E.164).' } },
    { name: 'channels', type: 'select', hasMany: true, options: ['email', 'sms'], access: { update: systemOnly }, admin: { readOnly: true } },
    {
      name: 'status',
      type: 'select',
      required: true,
      defaultValue: 'open',
      index: true,
      options: statusOptions('conversation'),
      access: roleFieldAccess('inbound.reply'),
      custom: { ...LOUD_ACCESS, deniedMessage: 'Your role cannot close or reopen conversations.' },
      admin: { position: 'sidebar', components: statusCell('conversation') },
    },
    {
      name: 'assignee',
      type: 'relationship',
      relationTo: 'users',
      access: roleFieldAccess('inbound.reply'),
      custom: { ...LOUD_ACCESS, deniedMessage: 'Your role cannot assign conversations.' },
      admin: { position: 'sidebar' },
    },
    { name: 'lastMessageAt', type: 'date', index: true, access: { update: systemOnly }, admin: { readOnly: true, position: 'sidebar', date: { pickerAppearance: 'dayAndTime' } } },
    { name: 'unread', type: 'checkbox', defaultValue: true, access: roleFieldAccess('inbound.reply'), admin: { position: 'sidebar' } },
  ],
}
