import type { CollectionConfig } from 'payload'

import { nobody, orgScoped } from '@/access/orgAccess'

import { inboundEmailRawEndpoint } from './endpoints'
import { statusCell } from '@/fields/status-cell'
import { statusOptions } from '@/services/vocabulary/statuses'

export const INBOUND_EMAIL_STATUSES = ['queued', 'threaded', 'ignored', 'failed'] as const

/**
 * Every email posted to an org's inbound address, once per Message-ID: queued for the worker, then
 * threaded into the inbox, ignored with the reason (auto-replies, bounces, our own mail), or failed
 * (the dead letters: a post that could not be read, with its raw body at …/raw). Org admins read it;
 * nobody writes it through the API.
 */
export const InboundEmails: CollectionConfig = {
  slug: 'inbound-emails',
  labels: { singular: 'Inbound email', plural: 'Inbound emails' },
  admin: {
    components: { beforeListTable: ['@/components/ListCountNote#ListCountNote'] },
    useAsTitle: 'subject',
    defaultColumns: ['receivedAt', 'status', 'from', 'subject', 'reason'],
    listSearchableFields: ['from', 'subject', 'messageID'],
    group: 'Inbox',
    description: 'Each email posted to your inbound address, and what became of it. Failed ones are the dead letters: download the raw post to see why.',
  },
  defaultSort: '-receivedAt',
  disableDuplicate: true,
  access: { read: orgScoped('org.settings'), create: nobody, update: nobody, delete: nobody },
  indexes: [
    { fields: ['org', 'messageID'], unique: true },
    { fields: ['org', 'receivedAt'] },
  ],
  endpoints: [inboundEmailRawEndpoint],
  fields: [
    { name: 'org', type: 'relationship', relationTo: 'organizations', required: true, admin: { readOnly: true } },
    { name: 'status', type: 'select', required: true, defaultValue: 'queued', index: true, options: statusOptions('inboundEmail'), admin: { readOnly: true, components: statusCell('inboundEmail') } },
    { name: 'reason', type: 'text', admin: { readOnly: true, description: 'Why it was ignored or failed.' } },
    { name: 'mode', type: 'select', options: ['parsed', 'raw'], admin: { readOnly: true, description: 'SendGrid Inbound Parse: parsed fields, or the raw MIME message.' } },
    { name: 'messageID', type: 'text', required: true, label: 'Message-ID', admin: { readOnly: true } },
    { name: 'from', type: 'text', admin: { readOnly: true } },
    { name: 'subject', type: 'text', admin: { readOnly: true } },
    { name: 'size', type: 'number', admin: { readOnly: true, description: 'Bytes posted.' } },
    { name: 'conversation', type: 'relationship', relationTo: 'conversations', admin: { readOnly: true } },
    { name: 'receivedAt', type: 'date', required: true, admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } } },
    { name: 'processedAt', type: 'date', admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } } },
  ],
}
