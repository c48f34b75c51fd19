import type { CollectionConfig } from 'payload'

import { nobody, orgScoped } from '@/access/orgAccess'
import { statusCell } from '@/fields/status-cell'
import { statusOptions } from '@/services/vocabulary/statuses'

export const RECIPIENT_STATUSES = ['pending', 'sending', 'sent', 'delivered', 'failed', 'excluded', 'unknown'] as const

/**
 * One row per job × address, written in bulk by queueEmailJob and moved only by the send pipeline
 * (atomic SQL claims). Read-only through every API.
 */
export const EmailRecipients: CollectionConfig = {
  slug: 'email-recipients',
  labels: { singular: 'Recipient', plural: 'Recipients' },
  admin: {
    components: { beforeListTable: ['@/components/ListCountNote#ListCountNote'] },
    useAsTitle: 'email',
    // Each column sorts on an org-leading index (migration 20261206_021231_lists_at_scale).
    defaultColumns: ['email', 'status', 'attempts', 'lastError', 'job', 'createdAt'],
    group: 'Outreach',
  },
  access: { read: orgScoped('org.read'), create: nobody, update: nobody, delete: nobody },
  indexes: [
    { fields: ['job', 'email'], unique: true },
    { fields: ['job', 'status'] },
  ],
  fields: [
    { name: 'org', type: 'relationship', relationTo: 'organizations', required: true },
    { name: 'job', type: 'relationship', relationTo: 'email-jobs', required: true },
    { name: 'contact', type: 'relationship', relationTo: 'contacts' },
    {
      name: 'email',
      type: 'text',
      required: true,
      label: 'Address',
      // Kept as `email` for the API's sake: an SMS job's recipients hold the E.164 number here.
      admin: { description: 'The email address, or for an SMS job the number in E.164 (+447400123456).' },
    },
    { name: 'channel', type: 'select', defaultValue: 'email', options: ['email', 'sms'], admin: { description: 'The job’s channel, kept on each row for the metrics.' } },
    { name: 'status', type: 'select', required: true, defaultValue: 'pending', options: statusOptions('recipient'), admin: { components: statusCell('recipient') } },
    { name: 'excludedReason', type: 'text' },
    { name: 'suppression', type: 'relationship', relationTo: 'suppressions' },
    { name: 'attempts', type: 'number', defaultValue: 0 },
    { name: 'lastError', type: 'text' },
    { name: 'providerCode', type: 'text' },
    { name: 'providerMessageID', type: 'text', label: 'Provider message id', index: true },
    { name: 'nextAttemptAt', type: 'date' },
    { name: 'leaseExpiresAt', type: 'date' },
    {
      name: 'handedOffAt',
      type: 'date',
      label: 'Handed to the provider',
      admin: { description: 'When a worker handed this attempt to the provider; empty while it only holds the claim. A paused job finishes these and starts no others.' },
    },
    { name: 'sentAt', type: 'date' },
    { name: 'deliveredAt', type: 'date' },
    { name: 'failedAt', type: 'date' },
  ],
}
