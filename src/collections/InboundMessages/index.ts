import type { CollectionConfig } from 'payload'

import { nobody, orgScoped } from '@/access/orgAccess'

/**
 * Messages people send us that are not opt-out, opt-in or help keywords (an SMS reply today), kept
 * once each (the provider's message id is unique) with the contact whose number sent it, when one of
 * the org's contacts has it. Written by the inbound webhooks; read-only through every API.
 */
export const InboundMessages: CollectionConfig = {
  slug: 'inbound-messages',
  labels: { singular: 'Inbound message', plural: 'Inbound messages' },
  admin: {
    components: { beforeListTable: ['@/components/ListCountNote#ListCountNote'] },
    useAsTitle: 'from',
    defaultColumns: ['from', 'body', 'contact', 'channel', 'receivedAt'],
    listSearchableFields: ['from', 'body'],
    group: 'Outreach',
    description: 'Replies that were not STOP, START or HELP, newest first.',
  },
  defaultSort: '-receivedAt',
  disableDuplicate: true,
  access: { read: orgScoped('org.read'), create: nobody, update: nobody, delete: nobody },
  indexes: [
    { fields: ['provider', 'providerMessageID'], unique: true },
    { fields: ['org', 'receivedAt'] },
  ],
  fields: [
    { name: 'org', type: 'relationship', relationTo: 'organizations', required: true, admin: { readOnly: true } },
    { name: 'channel', type: 'select', required: true, defaultValue: 'sms', options: ['email', 'sms'], admin: { readOnly: true } },
    { name: 'provider', type: 'select', required: true, defaultValue: 'twilio', options: ['twilio', 'sendgrid'], admin: { readOnly: true } },
    { name: 'providerMessageID', type: 'text', required: true, label: 'Provider message id', admin: { readOnly: true } },
    { name: 'from', type: 'text', required: true, admin: { readOnly: true } },
    { name: 'to', type: 'text', admin: { readOnly: true } },
    { name: 'body', type: 'textarea', admin: { readOnly: true } },
    { name: 'contact', type: 'relationship', relationTo: 'contacts', index: true, admin: { readOnly: true, description: 'The org’s contact with this number, if any.' } },
    { name: 'receivedAt', type: 'date', required: true, admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } } },
  ],
}
