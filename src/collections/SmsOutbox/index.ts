import type { CollectionConfig } from 'payload'

import { nobody, orgScoped } from '@/access/orgAccess'

/**
 * What the SMS channel would have sent, for organisations without an SMS provider account (the
 * two-command start, CI): the outbox transport stores every message here, as the SMTP sink keeps
 * email. Written in bulk by the sending engine; read-only through every API.
 */
export const SmsOutbox: CollectionConfig = {
  slug: 'sms-outbox',
  labels: { singular: 'Outbox SMS', plural: 'SMS outbox' },
  graphQL: { singularName: 'SmsOutboxMessage', pluralName: 'SmsOutboxMessages' },
  admin: {
    components: { beforeListTable: ['@/components/ListCountNote#ListCountNote'] },
    useAsTitle: 'to',
    defaultColumns: ['to', 'body', 'segments', 'job', 'createdAt'],
    listSearchableFields: ['to', 'body'],
    group: 'Outreach',
    description: 'Text messages kept here instead of being sent: your organisation has no SMS provider (choose Twilio in its SMS settings to send for real).',
  },
  defaultSort: '-createdAt',
  disableDuplicate: true,
  access: { read: orgScoped('org.read'), create: nobody, update: nobody, delete: nobody },
  indexes: [{ fields: ['org', 'createdAt'] }],
  fields: [
    { name: 'org', type: 'relationship', relationTo: 'organizations', required: true, admin: { readOnly: true } },
    { name: 'to', type: 'text', required: true, label: 'To', admin: { readOnly: true } },
    { name: 'from', type: 'text', label: 'From', admin: { readOnly: true } },
    { name: 'body', type: 'textarea', required: true, admin: { readOnly: true } },
    { name: 'segments', type: 'number', admin: { readOnly: true } },
    { name: 'encoding', type: 'text', admin: { readOnly: true } },
    { name: 'job', type: 'relationship', relationTo: 'email-jobs', index: true, admin: { readOnly: true } },
    { name: 'recipient', type: 'relationship', relationTo: 'email-recipients', index: true, admin: { readOnly: true } },
    { name: 'messageSid', type: 'text', unique: true, label: 'Message id', admin: { readOnly: true, description: 'The id a provider would have given it (SM…), as stored on the recipient.' } },
  ],
}
