import type { CollectionConfig, Field, FieldAccess, TextareaField } from 'payload'
import { textarea } from 'payload/shared'

import { LOUD_ACCESS, roleFieldAccess } from '@/access/fieldAccess'
import { orgCreate, orgScoped, orgScopedAny } from '@/access/orgAccess'
import { enforceOrgPermission } from '@/hooks/enforceOrgPermission'
import { TEMPLATE_VARIABLES } from '@/services/templates/template-variables'
import { validateTemplateSource } from '@/services/templates/validate-template-source'

import { previewTemplateEndpoint, templateEngagementEndpoint, testSendTemplateEndpoint } from './endpoints'
import { applyWorkflow, auditWorkflow } from './hooks/applyWorkflow'
import { keepOneDefault } from './hooks/keepOneDefault'
import { statusCell } from '@/fields/status-cell'
import { statusOptions } from '@/services/vocabulary/statuses'

const systemOnly: FieldAccess = () => false
const UNSUBSCRIBE = /\{\{\s*unsubscribe_link\s*\}\}/
const OPT_OUT_LINE = /\{\{\s*opt_out_line\s*\}\}/
const isSms = (data: unknown) => (data as { channel?: unknown } | undefined)?.channel === 'sms'
/** An email's parts are asked for only of email templates, an SMS body only of SMS ones. */
const emailOnly = { condition: (data: Record<string, unknown>) => !isSms(data) }

const sourceErrors = (value: unknown): string | true => {
  if (typeof value !== 'string' || !value) return true
  const { errors } = validateTemplateSource(value)
  return errors.length ? errors.join(' ') : true
}

const variableHelp = `Placeholders: ${Object.keys(TEMPLATE_VARIABLES)
  .map((v) => `{{${v}}}`)
  .join(', ')}. Conditionals: {{#if first_name}}…{{else}}…{{/if}}.`

/**
 * Only roles that edit templates (the role table's templates.edit) change these fields: the admin shows
 * them read-only to the others (an approver reviews, it does not rewrite), and the API answers 403.
 */
const editorsOnly = {
  access: roleFieldAccess('templates.edit'),
  custom: { ...LOUD_ACCESS, deniedMessage: 'Your role cannot change template content.' },
}

const sourceField = (name: string, label: string, extra: Partial<TextareaField> = {}): TextareaField => ({
  name,
  label,
  type: 'textarea',
  maxLength: 200_000,
  ...editorsOnly,
  // Payload's own check (required, maxLength) first: a custom validate replaces it otherwise.
  validate: (value, options) => {
    const base = textarea(value, options)
    return base === true ? sourceErrors(value) : base
  },
  ...extra,
})

const workflowField = (name: string, type: 'date' | 'relationship' | 'text', label: string): Field => {
  const common = {
    name,
    label,
    access: { create: systemOnly, update: systemOnly },
    // A copy starts its own review: none of the original's decisions come along.
    hooks: { beforeDuplicate: [() => null] },
    // Shown only once set, so a draft's sidebar is not a column of empty boxes.
    admin: { readOnly: true, position: 'sidebar' as const, condition: (data: Record<string, unknown>) => Boolean(data?.[name]) },
  }
  if (type === 'relationship') return { ...common, type, relationTo: 'users' }
  if (type === 'date') return { ...common, type }
  return { ...common, type }
}

export const EmailTemplates: CollectionConfig = {
  slug: 'email-templates',
  labels: { singular: 'Template', plural: 'Templates' },
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'channel', 'status', 'isDefault', 'subject', 'updatedAt'],
    listSearchableFields: ['name', 'subject'],
    group: 'Outreach',
    description: 'Editors approve every template before it can be sent. Any change to an approved template sends it back to draft.',
  },
  versions: { maxPerDoc: 50 },
  access: {
    read: orgScoped('org.read'),
    create: orgCreate('templates.edit'),
    update: orgScopedAny(['templates.edit', 'templates.submit', 'templates.approve']),
    delete: orgScoped('templates.edit'),
  },
  hooks: {
    beforeChange: [enforceOrgPermission('templates.edit'), applyWorkflow, keepOneDefault],
    afterChange: [auditWorkflow],
  },
  endpoints: [previewTemplateEndpoint, testSendTemplateEndpoint, templateEngagementEndpoint],
  fields: [
    {
      name: 'name',
      type: 'text',
      required: true,
      maxLength: 150,
      ...editorsOnly,
      custom: { ...LOUD_ACCESS, deniedMessage: 'Your role cannot rename templates.' },
      hooks: { beforeDuplicate: [({ value }) => (value ? `${String(value).slice(0, 142)} (copy)` : value)] },
    },
    {
      name: 'channel',
      type: 'select',
      defaultValue: 'email',
      index: true,
      ...editorsOnly,
      custom: { ...LOUD_ACCESS, deniedMessage: 'Your role cannot change what a template is for.' },
      options: [
        { label: 'Email', value: 'email' },
        { label: 'SMS', value: 'sms' },
      ],
      admin: { position: 'sidebar', description: 'An SMS template is a text body; jobs send on their template’s channel.' },
    },
    sourceField('subject', 'Subject', { type: 'textarea', required: true, maxLength: 500, admin: { rows: 1, ...emailOnly } } as Partial<TextareaField>),
    sourceField('smsBody', 'SMS text', {
      required: true,
      maxLength: 1600,
      admin: {
        rows: 5,
        condition: (data) => isSms(data),
        description: `${variableHelp} {{opt_out_line}} (your organisation's "Reply STOP to opt out") is required.`,
        components: { Field: '@/components/SmsBodyField#SmsBodyField' },
      },
      validate: (value, options) => {
        if (!value?.trim()) return 'The SMS text is required.'
        const base = textarea(value, options)
        if (base !== true) return base
        const syntax = sourceErrors(value)
        if (syntax !== true) return syntax
        return OPT_OUT_LINE.test(value) ? true : 'The SMS text must contain {{opt_out_line}} (your organisation’s “Reply STOP to opt out” line) so every recipient can opt out.'
      },
    }),
    sourceField('html', 'HTML body', {
      required: true,
      admin: { rows: 14, description: variableHelp, ...emailOnly },
      validate: (value, options) => {
        if (!value?.trim()) return 'The body is required.'
        const base = textarea(value, options)
        if (base !== true) return base
        const siblingData = options.siblingData as Record<string, unknown>
        const syntax = sourceErrors(value)
        if (syntax !== true) return syntax
        const footer = typeof siblingData?.footer === 'string' ? siblingData.footer : ''
        return UNSUBSCRIBE.test(value) || UNSUBSCRIBE.test(footer)
          ? true
          : 'The body or the footer must contain {{unsubscribe_link}} so every recipient can unsubscribe.'
      },
    }),
    sourceField('text', 'Plain-text body', {
      admin: { rows: 6, description: 'Optional. Left empty, it is generated from the HTML body.', ...emailOnly },
    }),
    sourceField('footer', 'Footer', {
      admin: {
        ...emailOnly,
        rows: 4,
        description: 'Ends every email. The organisation’s postal address is added when the footer does not place {{org_postal_address}}.',
      },
    }),
    {
      name: 'isDefault',
      type: 'checkbox',
      defaultValue: false,
      label: 'Default template',
      ...editorsOnly,
      custom: { ...LOUD_ACCESS, deniedMessage: 'Your role cannot choose the default template.' },
      admin: { position: 'sidebar' },
      hooks: { beforeDuplicate: [() => false] },
    },
    {
      name: 'status',
      type: 'select',
      required: true,
      defaultValue: 'draft',
      index: true,
      options: statusOptions('template'),
      // A copy of an approved template is a new draft, to be reviewed on its own.
      hooks: { beforeDuplicate: [() => 'draft'] },
      // Shown by the workflow panel below (badge and actions); kept as a list column and filter.
      admin: { position: 'sidebar', readOnly: true, hidden: true, components: statusCell('template') },
    },
    {
      name: 'workflow',
      type: 'ui',
      admin: { position: 'sidebar', components: { Field: '@/components/TemplateWorkflow#TemplateWorkflow' } },
    },
    {
      name: 'rejectionReason',
      type: 'textarea',
      maxLength: 1000,
      hooks: { beforeDuplicate: [() => null] },
      admin: { position: 'sidebar', readOnly: true, condition: (data) => Boolean(data?.rejectionReason) },
    },
    workflowField('submittedBy', 'relationship', 'Submitted by'),
    workflowField('submittedAt', 'date', 'Submitted at'),
    workflowField('approvedBy', 'relationship', 'Approved by'),
    workflowField('approvedByLabel', 'text', 'Approved by (system)'),
    workflowField('approvedAt', 'date', 'Approved at'),
    workflowField('rejectedBy', 'relationship', 'Rejected by'),
    workflowField('rejectedAt', 'date', 'Rejected at'),
    {
      name: 'preview',
      type: 'ui',
      // An SMS template previews in its own field (the text as a sample contact gets it, with its count).
      admin: { ...emailOnly, components: { Field: '@/components/TemplatePreview#TemplatePreview' } },
    },
    { name: 'engagement', type: 'ui', admin: { ...emailOnly, components: { Field: '@/components/engagement/TemplateEngagement#TemplateEngagement' } } },
  ],
}
