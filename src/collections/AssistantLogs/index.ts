import type { CollectionConfig } from 'payload'

import { nobody, orgScoped } from '@/access/orgAccess'
import { statusCell } from '@/fields/status-cell'
import { AppError } from '@/services/errors/app-error'

import { statusOptions } from '@/services/vocabulary/statuses'

/**
 * Every question put to the assistant and what came back: append-only. Only the assistant service
 * (a system write) adds entries; the retention task (ASSISTANT_LOG_RETENTION_DAYS) removes old ones.
 * The question and prompt are stored as sent to the provider: emails and phone numbers masked.
 */
export const AssistantLogs: CollectionConfig = {
  slug: 'assistant-logs',
  labels: { singular: 'Assistant log entry', plural: 'Assistant log' },
  admin: {
    useAsTitle: 'question',
    defaultColumns: ['createdAt', 'question', 'outcome', 'provider', 'totalTokens', 'latencyMs', 'org'],
    listSearchableFields: ['question'],
    group: 'Assistant',
    description: 'Every question, the passages used, the prompt as sent and the answer. Entries cannot be edited or deleted.',
  },
  defaultSort: '-createdAt',
  disableDuplicate: true,
  access: { read: orgScoped('assistant.logs'), create: nobody, update: nobody, delete: nobody, readVersions: nobody },
  hooks: {
    beforeChange: [
      ({ data, operation }) => {
        if (operation === 'update') throw new AppError('FORBIDDEN', 'Assistant log entries cannot be changed.')
        return data
      },
    ],
    beforeDelete: [
      () => {
        throw new AppError('FORBIDDEN', 'Assistant log entries cannot be deleted; they expire after the retention period.')
      },
    ],
  },
  indexes: [{ fields: ['org', 'createdAt'] }],
  fields: [
    { name: 'org', type: 'relationship', relationTo: 'organizations', required: true, index: true },
    { name: 'askedBy', type: 'relationship', relationTo: 'users', label: 'Asked by' },
    { name: 'kind', type: 'select', required: true, defaultValue: 'ask', options: [{ value: 'ask', label: 'Question' }, { value: 'suggest-reply', label: 'Suggested reply' }] },
    { name: 'question', type: 'textarea', required: true, label: 'Question (as sent, masked)' },
    { name: 'outcome', type: 'select', required: true, options: statusOptions('assistantOutcome'), admin: { components: statusCell('assistantOutcome') } },
    { name: 'reason', type: 'text', label: 'Why (refusals and errors)' },
    { type: 'row', fields: [{ name: 'provider', type: 'text' }, { name: 'model', type: 'text' }] },
    { name: 'sources', type: 'json', label: 'Passages used', admin: { components: { Field: '@/components/JsonView#JsonView' } } },
    { name: 'prompt', type: 'json', label: 'Prompt as sent', admin: { components: { Field: '@/components/JsonView#JsonView' } } },
    { name: 'answer', type: 'textarea', label: 'Answer (as shown)' },
    {
      type: 'row',
      fields: [
        { name: 'promptTokens', type: 'number', label: 'Prompt tokens' },
        { name: 'completionTokens', type: 'number', label: 'Answer tokens' },
        { name: 'totalTokens', type: 'number', label: 'Tokens', index: true },
        { name: 'costUSD', type: 'number', label: 'Estimated cost (USD)' },
        { name: 'latencyMs', type: 'number', label: 'Latency (ms)' },
      ],
    },
  ],
  timestamps: true,
}


