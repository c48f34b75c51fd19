import type { CollectionConfig, Field, FieldAccess, PayloadRequest } from 'payload'

import { orgCreate, orgScoped, relationID } from '@/access/orgAccess'
import { enforceOrgPermission } from '@/hooks/enforceOrgPermission'

import { applyPendingSelection, audienceFields, captureSelectionInput, takeSelectionChange } from './audience'
import { audienceCountEndpoint, jobEngagementEndpoint, jobSelectionEndpoint, jobStateEndpoints, queueEmailJobEndpoint } from './endpoints'
import { changeableWhileDraft, channelFromTemplate, keepQueuedJobsFrozen, keepSentJobs } from './hooks'
import { statusCell } from '@/fields/status-cell'
import { statusOptions } from '@/services/vocabulary/statuses'

export const JOB_STATUSES = ['draft', 'queued', 'sending', 'paused', 'completed', 'completed_with_errors', 'failed', 'cancelled'] as const
export const JOB_COUNTERS = ['total', 'pending', 'sent', 'delivered', 'failed', 'excluded', 'unknown'] as const

const systemOnly: FieldAccess = () => false

const counter = (name: string): Field => ({
  name,
  type: 'number',
  defaultValue: 0,
  access: { create: systemOnly, update: systemOnly },
  // Shown by the live progress panel above; kept as fields for the list view's columns and the API.
  admin: { readOnly: true, width: '14%', condition: () => false },
})

export const EmailJobs: CollectionConfig = {
  slug: 'email-jobs',
  labels: { singular: 'Job', plural: 'Jobs' },
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'channel', 'status', 'template', 'total', 'sent', 'failed', 'updatedAt'],
    group: 'Outreach',
  },
  access: {
    read: orgScoped('org.read'),
    create: orgCreate('jobs.queue'),
    update: orgScoped('jobs.queue'),
    delete: orgScoped('jobs.queue'),
  },
  hooks: {
    beforeOperation: [keepQueuedJobsFrozen, captureSelectionInput],
    beforeChange: [enforceOrgPermission('jobs.queue'), takeSelectionChange],
    afterChange: [applyPendingSelection],
    beforeDelete: [keepSentJobs],
  },
  endpoints: [audienceCountEndpoint, queueEmailJobEndpoint, ...jobStateEndpoints, jobEngagementEndpoint, jobSelectionEndpoint],
  fields: [
    { name: 'progress', type: 'ui', admin: { components: { Field: '@/components/job-detail/JobProgress#JobProgress' } } },
    {
      name: 'engagement',
      type: 'ui',
      // Opens, clicks and complaints are an email's; an SMS job's delivery is in its progress and the SMS tab of Analytics.
      admin: { condition: (data) => data?.channel !== 'sms', components: { Field: '@/components/engagement/JobEngagement#JobEngagement' } },
    },
    { name: 'recipientsTable', type: 'ui', admin: { components: { Field: '@/components/job-detail/JobRecipients#JobRecipients' } } },
    { name: 'name', type: 'text', required: true, maxLength: 150 },
    {
      name: 'template',
      type: 'relationship',
      relationTo: 'email-templates',
      required: true,
      filterOptions: { status: { equals: 'approved' } },
      access: { update: changeableWhileDraft },
      admin: { description: 'Only approved templates can be sent.', allowCreate: false },
      validate: async (value: unknown, { req }: { req: PayloadRequest }) => {
        const id = relationID(value as never)
        if (id === undefined) return 'Choose an approved template.'
        // As the user: another org's template is "does not exist", never its name or status.
        const template = await req.payload.findByID({
          collection: 'email-templates',
          id,
          depth: 0,
          req,
          disableErrors: true,
          ...(req.user ? { user: req.user, overrideAccess: false } : {}),
        })
        if (!template) return 'That template does not exist.'
        return template.status === 'approved' ? true : `Only approved templates can be chosen; "${template.name}" is ${template.status}.`
      },
    },
    {
      name: 'channel',
      type: 'select',
      defaultValue: 'email',
      options: [
        { label: 'Email', value: 'email' },
        { label: 'SMS', value: 'sms' },
      ],
      index: true,
      access: { create: systemOnly, update: systemOnly },
      hooks: { beforeChange: [channelFromTemplate] },
      admin: { readOnly: true, position: 'sidebar', description: 'The template’s channel: an SMS template makes an SMS job.' },
    },
    ...audienceFields,
    {
      name: 'attachments',
      type: 'upload',
      relationTo: 'media',
      hasMany: true,
      maxRows: 10,
      access: { update: changeableWhileDraft },
      admin: { condition: (data) => data?.channel !== 'sms' },
      validate: (value: unknown, { siblingData }: { siblingData: Record<string, unknown> }) =>
        siblingData?.channel === 'sms' && Array.isArray(value) && value.length ? 'An SMS carries no attachments: remove them, or choose an email template.' : true,
    },
    {
      name: 'actions',
      type: 'ui',
      admin: { position: 'sidebar', components: { Field: '@/components/JobActions#JobActions' } },
    },
    {
      name: 'status',
      type: 'select',
      required: true,
      defaultValue: 'draft',
      index: true,
      options: statusOptions('job'),
      access: { create: systemOnly, update: systemOnly },
      admin: { position: 'sidebar', readOnly: true, components: statusCell('job') },
    },
    {
      name: 'pausedReason',
      type: 'textarea',
      label: 'Why it paused',
      access: { create: systemOnly, update: systemOnly },
      admin: {
        readOnly: true,
        position: 'sidebar',
        description: 'The job paused itself: its provider kept failing. Fix the cause, then resume it.',
        condition: (data) => Boolean(data?.pausedReason),
      },
    },
    { type: 'row', fields: JOB_COUNTERS.map(counter) },
    {
      name: 'settingsSnapshot',
      type: 'json',
      access: { create: systemOnly, update: systemOnly },
      admin: {
        readOnly: true,
        // A bundled read-only view: Payload's JSON editor loads Monaco from a public CDN.
        components: { Field: '@/components/JsonView#JsonView' },
        description: 'The sending settings this job runs with, fixed when it was queued.',
        condition: (data) => Boolean(data?.settingsSnapshot),
      },
    },
    { name: 'queuedBy', type: 'relationship', relationTo: 'users', access: { create: systemOnly, update: systemOnly }, admin: { readOnly: true, position: 'sidebar', condition: (d) => Boolean(d?.queuedBy) } },
    { name: 'queuedAt', type: 'date', access: { create: systemOnly, update: systemOnly }, admin: { readOnly: true, position: 'sidebar', condition: (d) => Boolean(d?.queuedAt) } },
    { name: 'completedAt', type: 'date', access: { create: systemOnly, update: systemOnly }, admin: { readOnly: true, position: 'sidebar', condition: (d) => Boolean(d?.completedAt) } },
  ],
}
