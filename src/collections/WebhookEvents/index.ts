import type { CollectionConfig } from 'payload'

import { nobody, orgScoped } from '@/access/orgAccess'
import { WEBHOOK_EVENT_OUTCOMES, WEBHOOK_EVENT_TYPES } from '@/services/events/parse-sendgrid-events'

/**
 * Every provider event received, stored once: `(provider, eventID)` is unique, so SendGrid's retries
 * and duplicate posts are no-ops. Written in bulk by the webhook (`applySendgridEvents`), read-only
 * through every API; events that matched no recipient have no org and only a super admin sees them.
 */
export const WebhookEvents: CollectionConfig = {
  slug: 'webhook-events',
  labels: { singular: 'Webhook event', plural: 'Webhook events' },
  admin: {
    components: { beforeListTable: ['@/components/ListCountNote#ListCountNote'] },
    useAsTitle: 'eventID',
    defaultColumns: ['occurredAt', 'type', 'address', 'outcome', 'recipient', 'receivedAt'],
    listSearchableFields: ['address', 'eventID', 'messageID'],
    group: 'Outreach',
    description: 'Delivery events posted by the email and SMS providers, each stored once.',
  },
  defaultSort: '-receivedAt',
  disableDuplicate: true,
  access: { read: orgScoped('org.read'), create: nobody, update: nobody, delete: nobody },
  indexes: [
    { fields: ['provider', 'eventID'], unique: true },
    { fields: ['org', 'occurredAt'] },
  ],
  fields: [
    { name: 'provider', type: 'select', required: true, defaultValue: 'sendgrid', options: ['sendgrid', 'twilio'] },
    { name: 'channel', type: 'select', required: true, defaultValue: 'email', options: ['email', 'sms'] },
    { name: 'eventID', type: 'text', required: true, label: 'Provider event id' },
    { name: 'type', type: 'select', required: true, options: [...WEBHOOK_EVENT_TYPES], index: true },
    { name: 'address', type: 'text', index: true },
    { name: 'messageID', type: 'text', label: 'Provider message id' },
    { name: 'org', type: 'relationship', relationTo: 'organizations' },
    { name: 'job', type: 'relationship', relationTo: 'email-jobs', index: true },
    { name: 'recipient', type: 'relationship', relationTo: 'email-recipients', index: true },
    { name: 'outcome', type: 'select', options: [...WEBHOOK_EVENT_OUTCOMES] },
    { name: 'detail', type: 'text', admin: { description: 'The reason the provider gave (bounce, drop).' } },
    { name: 'occurredAt', type: 'date', required: true, admin: { date: { pickerAppearance: 'dayAndTime' } } },
    { name: 'receivedAt', type: 'date', required: true, admin: { date: { pickerAppearance: 'dayAndTime' } } },
    { name: 'payload', type: 'json', required: true, admin: { components: { Field: '@/components/JsonView#JsonView' } } },
  ],
  timestamps: false,
}
