import type { Field, NumberField } from 'payload'

import { secretFields } from '@/fields/secret'
import { isValidEmail } from '@/services/contacts/normalize-email'

export const bounded = (name: string, label: string, min: number, max: number, description: string): NumberField => ({
  name,
  label,
  type: 'number',
  min,
  max,
  admin: { description: `${description} Empty: the server default.`, step: 1 },
  validate: (value: null | number | undefined) =>
    value === null || value === undefined || (Number.isInteger(value) && value >= min && value <= max)
      ? true
      : `${label} must be a whole number from ${min} to ${max}.`,
})

const optionalEmail = (value: null | string | undefined) =>
  !value || isValidEmail(value.trim().toLowerCase()) ? true : `"${value}" is not a valid email address.`

/** Per-org sending settings. Environment values (EMAIL_*, SMTP_*, SENDGRID_API_KEY) are the defaults. */
export const sendingSettings: Field = {
  name: 'sending',
  type: 'group',
  label: 'Sending settings',
  admin: { description: 'Only org admins change these; every change is audited.' },
  fields: [
    {
      type: 'collapsible',
      label: 'Provider',
      admin: { description: 'How messages leave: your own SMTP server or SendGrid. Empty values use the server’s SMTP_* / SENDGRID_API_KEY.' },
      fields: [
        {
          name: 'provider',
          type: 'select',
          defaultValue: 'smtp',
          options: [
            { label: 'SMTP', value: 'smtp' },
            { label: 'SendGrid', value: 'sendgrid' },
          ],
          admin: { width: '33%' },
        },
        {
          type: 'collapsible',
          label: 'SMTP server',
          admin: { condition: (_data, sibling) => sibling?.provider !== 'sendgrid' },
          fields: [
            {
              type: 'row',
              fields: [
                { name: 'smtpHost', type: 'text', maxLength: 253, label: 'Host' },
                bounded('smtpPort', 'Port', 1, 65_535, 'Usually 587 (STARTTLS) or 465 (TLS).'),
                { name: 'smtpSecure', type: 'checkbox', label: 'TLS from the start (port 465)' },
                { name: 'smtpUser', type: 'text', maxLength: 254, label: 'User' },
              ],
            },
            ...secretFields('smtpPassword', 'SMTP password'),
          ],
        },
        {
          type: 'collapsible',
          label: 'SendGrid',
          admin: {
            condition: (_data, sibling) => sibling?.provider === 'sendgrid',
            description: 'Point SendGrid’s Event Webhook at /api/callbacks/sendgrid/ so bounces, complaints and unsubscribes are honoured at once.',
          },
          fields: secretFields('sendgridApiKey', 'SendGrid API key'),
        },
        { name: 'testEmail', type: 'ui', admin: { components: { Field: '@/components/SettingsTestEmail#SettingsTestEmail' } } },
      ],
    },
    {
      type: 'collapsible',
      label: 'Identity',
      admin: { description: 'Who the messages come from. Empty: the server’s SMTP_FROM defaults.' },
      fields: [
        {
          type: 'row',
          fields: [
            { name: 'fromName', type: 'text', maxLength: 120, label: 'From name', admin: { description: 'Shown as the sender, e.g. your organisation’s name.' } },
            { name: 'fromAddress', type: 'text', maxLength: 254, label: 'From address', validate: optionalEmail, admin: { description: 'A domain you have authenticated (SPF, DKIM).' } },
            { name: 'replyTo', type: 'text', maxLength: 254, label: 'Reply-to', validate: optionalEmail, admin: { description: 'Where replies go, if not the from address.' } },
          ],
        },
      ],
    },
    {
      type: 'collapsible',
      label: 'Batching and retries',
      fields: [
        {
          type: 'row',
          fields: [
            bounded('batchSize', 'Batch size', 1, 1000, 'Recipients a worker claims at a time.'),
            bounded('batchDelaySeconds', 'Batch delay (s)', 0, 3600, 'Pause between batches.'),
            bounded('retryDelaySeconds', 'Retry delay (s)', 1, 86_400, 'First retry after a temporary failure; doubles each time.'),
            bounded('maxRetries', 'Max retries', 0, 20, 'Retries before a recipient ends failed.'),
          ],
        },
      ],
    },
    {
      type: 'collapsible',
      label: 'Limits',
      fields: [
        {
          type: 'row',
          fields: [
            bounded('perSecondLimit', 'Per-second limit', 1, 10_000, 'Messages per second, spread evenly across all workers and jobs of this organisation (none: only the per-minute limit).'),
            bounded('perMinuteLimit', 'Per-minute limit', 1, 600_000, 'Messages per minute, spread evenly across all workers and jobs of this organisation.'),
            bounded('pauseAfterFailures', 'Pause after failures', 1, 10_000, 'Consecutive failures that say the provider is down: the job then pauses itself, alerts, and waits for a person to resume it.'),
          ],
        },
      ],
    },
  ],
}

export const SENDING_AUDITED_FIELDS = [
  'provider',
  'fromName',
  'fromAddress',
  'replyTo',
  'batchSize',
  'batchDelaySeconds',
  'retryDelaySeconds',
  'maxRetries',
  'perSecondLimit',
  'perMinuteLimit',
  'pauseAfterFailures',
  'smtpHost',
  'smtpPort',
  'smtpSecure',
  'smtpUser',
  'smtpPasswordIsSet',
  'sendgridApiKeyIsSet',
] as const
