import type { CollectionConfig } from 'payload'

import { nobody, orgScoped } from '@/access/orgAccess'
import { statusCell } from '@/fields/status-cell'
import { statusOptions } from '@/services/vocabulary/statuses'

/**
 * `queued` waits for its (next) attempt, `sending` is claimed by one worker, `unknown` was handed to the
 * provider by a worker that then stopped (never resent, to avoid a duplicate).
 */
export const MESSAGE_STATUSES = ['received', 'queued', 'sending', 'sent', 'delivered', 'failed', 'unknown'] as const

/**
 * One message of a conversation: inbound (a reply that was no keyword) or outbound (our reply), on its
 * channel, stored once per org and provider message id. Written by the inbound webhooks and the reply service
 * only; read-only through every API.
 */
export const Messages: CollectionConfig = {
  slug: 'messages',
  labels: { singular: 'Message', plural: 'Messages' },
  admin: {
    components: { beforeListTable: ['@/components/ListCountNote#ListCountNote'] },
    useAsTitle: 'from',
    defaultColumns: ['from', 'direction', 'channel', 'bodyText', 'status', 'createdAt'],
    listSearchableFields: ['from', 'bodyText'],
    group: 'Inbox',
  },
  defaultSort: '-createdAt',
  disableDuplicate: true,
  access: { read: orgScoped('org.read'), create: nobody, update: nobody, delete: nobody },
  indexes: [
    // Once per org: the same email may reach two organisations.
    { fields: ['org', 'provider', 'providerMessageID'], unique: true },
    { fields: ['conversation', 'createdAt'] },
    // The reply sweep's lookup of queued and stalled outbound replies.
    { fields: ['status', 'nextAttemptAt'] },
  ],
  fields: [
    { name: 'org', type: 'relationship', relationTo: 'organizations', required: true, admin: { readOnly: true } },
    { name: 'conversation', type: 'relationship', relationTo: 'conversations', required: true, admin: { readOnly: true } },
    { name: 'direction', type: 'select', required: true, options: ['inbound', 'outbound'], admin: { readOnly: true } },
    { name: 'channel', type: 'select', required: true, options: ['email', 'sms'], admin: { readOnly: true } },
    { name: 'provider', type: 'select', required: true, options: ['twilio', 'outbox', 'sendgrid', 'smtp'], admin: { readOnly: true } },
    { name: 'providerMessageID', type: 'text', required: true, label: 'Provider message id', admin: { readOnly: true } },
    { name: 'from', type: 'text', required: true, admin: { readOnly: true } },
    { name: 'to', type: 'text', admin: { readOnly: true } },
    { name: 'subject', type: 'text', admin: { readOnly: true } },
    { name: 'bodyText', type: 'textarea', label: 'Text', admin: { readOnly: true } },
    {
      name: 'bodyHtml',
      type: 'textarea',
      label: 'HTML (sanitised)',
      admin: { readOnly: true, hidden: true, description: 'The email’s HTML with scripts, styles, forms and remote images removed; the inbox shows it in a sandboxed frame.' },
    },
    {
      name: 'attachments',
      type: 'upload',
      relationTo: 'media',
      hasMany: true,
      admin: { readOnly: true, description: 'Files that came with the message, kept as the organisation’s attachments.' },
    },
    { name: 'attachmentNote', type: 'text', admin: { readOnly: true, condition: (data) => Boolean(data?.attachmentNote) } },
    {
      name: 'job',
      type: 'relationship',
      relationTo: 'email-jobs',
      admin: { readOnly: true, description: 'The job this message answers (by its signed reply address or In-Reply-To).', condition: (data) => Boolean(data?.job) },
    },
    { name: 'status', type: 'select', required: true, defaultValue: 'received', options: statusOptions('message'), admin: { readOnly: true, components: statusCell('message') } },
    { name: 'error', type: 'text', admin: { readOnly: true, condition: (data) => Boolean(data?.error) } },
    { name: 'sentBy', type: 'relationship', relationTo: 'users', admin: { readOnly: true, condition: (data) => Boolean(data?.sentBy) } },
    // An outbound reply's delivery claim (see deliverConversationReply): written by SQL only, never shown.
    { name: 'attempts', type: 'number', defaultValue: 0, hidden: true },
    { name: 'nextAttemptAt', type: 'date', hidden: true },
    { name: 'claimToken', type: 'text', hidden: true },
    { name: 'leaseExpiresAt', type: 'date', hidden: true },
    { name: 'handedOffAt', type: 'date', hidden: true },
    /** An email reply's In-Reply-To and References, fixed when it was written so every attempt threads alike. */
    { name: 'threading', type: 'json', hidden: true },
  ],
}
