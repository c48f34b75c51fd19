import type { Access, CollectionAfterChangeHook, CollectionBeforeChangeHook, CollectionConfig, Where } from 'payload'

import { hasOrgPermission, isSuperAdmin, memberOrgIDs, orgCreate, orgIDsAllowing, orgScoped, relationID } from '@/access/orgAccess'
import { recordAudit } from '@/services/audit/record-audit'
import { isValidPhone, normalizePhone } from '@/services/contacts/normalize-address'
import { phoneInOrg } from '@/services/contacts/phone-in-org'
import { isValidEmail, normalizeEmail } from '@/services/contacts/normalize-email'
import { AppError } from '@/services/errors/app-error'

import { suppressionEndpoints } from './endpoints'
import { statusCell } from '@/fields/status-cell'
import { SUPPRESSION_REASON_LABEL } from '@/components/job-detail/labels'
import { statusOptions } from '@/services/vocabulary/statuses'

export const SUPPRESSION_REASONS = ['bounce', 'dropped', 'spamreport', 'unsubscribe', 'keyword', 'manual'] as const
export const SUPPRESSION_CHANNELS = ['email', 'sms'] as const

/** Members read their org's list and the global opt-out list; only admins of the org change it. */
const readSuppressions: Access = ({ req }) => {
  if (!req.user) return false
  if (isSuperAdmin(req.user)) return true
  const orgs = memberOrgIDs(req.user)
  return { or: [{ org: { in: orgs } }, { org: { exists: false } }] } as Where
}


/** Global entries (no org) are the super admin's; org entries need suppressions.manage there. */
const guardScope: CollectionBeforeChangeHook = ({ data, originalDoc, req }) => {
  if (!req.user) return data
  // An explicit `org: null` moves an entry to the global list: it counts as global, not as the old org.
  const org = relationID('org' in data ? data.org : originalDoc?.org) ?? undefined
  const previousOrg = relationID(originalDoc?.org)
  if (previousOrg !== undefined && org !== previousOrg && !hasOrgPermission(req.user, previousOrg, 'suppressions.manage') && !isSuperAdmin(req.user)) {
    throw new AppError('FORBIDDEN', 'Your role cannot manage suppressions in this organisation.')
  }
  if (org === undefined && !isSuperAdmin(req.user)) {
    throw new AppError('FORBIDDEN', 'Only a super admin manages the global opt-out list: choose your organisation.')
  }
  if (org !== undefined && !hasOrgPermission(req.user, org, 'suppressions.manage')) {
    throw new AppError('FORBIDDEN', 'Your role cannot manage suppressions in this organisation.')
  }
  return data
}

/** One active (and one pending) entry per org, channel and address: a second one is a clear 409, not a duplicate. */
const refuseDuplicate: CollectionBeforeChangeHook = async ({ data, originalDoc, req }) => {
  const merged = { ...originalDoc, ...data }
  const becomesOpen = (merged.status === 'active' || merged.status === 'pending_review') && (merged.status !== originalDoc?.status || data.address !== undefined || 'org' in data)
  if (!becomesOpen || !merged.address) return data
  const org = relationID(merged.org) ?? null
  const { docs } = await req.payload.find({
    collection: 'suppressions',
    where: {
      and: [
        org === null ? { org: { exists: false } } : { org: { equals: org } },
        { channel: { equals: merged.channel ?? 'email' } },
        { address: { equals: String(merged.address) } },
        { status: { equals: merged.status } },
        ...(originalDoc?.id ? [{ id: { not_equals: originalDoc.id } }] : []),
      ],
    },
    limit: 1,
    depth: 0,
    req,
  })
  if (docs[0]) {
    throw new AppError('CONFLICT', `${String(merged.address)} is already ${merged.status === 'active' ? 'suppressed' : 'waiting for review'} (${docs[0].reason}, entry ${docs[0].id}).`)
  }
  return data
}

const requireLiftReason: CollectionBeforeChangeHook = ({ data, operation, originalDoc, req }) => {
  const lifting = operation === 'update' && originalDoc?.status !== 'lifted' && data.status === 'lifted'
  if (req.user && lifting && !String(data.note ?? '').trim()) {
    throw new AppError('INVALID_INPUT', 'Say why the suppression is lifted (note).')
  }
  return data
}

const auditSuppression: CollectionAfterChangeHook = async ({ doc, operation, previousDoc, req }) => {
  const lifted = operation === 'update' && previousDoc?.status !== 'lifted' && doc.status === 'lifted'
  if (operation !== 'create' && !lifted) return doc
  await recordAudit(req, {
    action: lifted ? 'suppression.lift' : 'suppression.create',
    org: relationID(doc.org) ?? null,
    target: { collection: 'suppressions', id: doc.id },
    summary: `${lifted ? 'Lifted' : 'Suppressed'} ${doc.address} (${doc.reason}, ${doc.channel})${doc.note ? `: ${String(doc.note).slice(0, 120)}` : ''}`,
  })
  return doc
}

export const Suppressions: CollectionConfig = {
  slug: 'suppressions',
  admin: {
    useAsTitle: 'address',
    defaultColumns: ['address', 'channel', 'reason', 'status', 'source', 'org', 'createdAt'],
    listSearchableFields: ['address', 'note'],
    group: 'Outreach',
    description: 'Addresses that receive nothing more: bounces, complaints, unsubscribes and manual blocks. Entries without an organisation form the global opt-out list.',
    components: { beforeListTable: ['@/components/suppressions/SuppressionsListBar#SuppressionsListBar', '@/components/ListCountNote#ListCountNote'] },
  },
  access: { read: readSuppressions, create: orgCreate('suppressions.manage'), update: orgScoped('suppressions.manage'), delete: () => false },
  endpoints: suppressionEndpoints,
  indexes: [{ fields: ['org', 'channel', 'address'] }],
  hooks: { beforeChange: [guardScope, requireLiftReason, refuseDuplicate], afterChange: [auditSuppression] },
  fields: [
    { name: 'review', type: 'ui', admin: { position: 'sidebar', components: { Field: '@/components/suppressions/SuppressionReview#SuppressionReview' } } },
    {
      name: 'org',
      type: 'relationship',
      relationTo: 'organizations',
      index: true,
      // The user's own organisation when they manage suppressions in exactly one (as contacts default to
      // it): an org admin adding an address never lands on "global" by accident. A super admin chooses.
      defaultValue: ({ user }: { user?: unknown }) => {
        if (!user || isSuperAdmin(user)) return undefined
        const orgs = orgIDsAllowing(user, 'suppressions.manage')
        return orgs.length === 1 ? Number(orgs[0]) : undefined
      },
      admin: { position: 'sidebar', description: 'Empty: global (super admin only).' },
    },
    {
      name: 'address',
      type: 'text',
      required: true,
      index: true,
      maxLength: 254,
      hooks: {
        beforeValidate: [
          async ({ siblingData, data, originalDoc, value, req }) => {
            if (typeof value !== 'string') return value
            if (siblingData?.channel !== 'sms') return normalizeEmail(value)
            // In E.164 (the org's default country for local numbers), as SMS recipients and replies are.
            const phone = await phoneInOrg(req, relationID((data?.org ?? originalDoc?.org) as never), value)
            return phone.ok ? phone.e164 : normalizePhone(value)
          },
        ],
      },
      validate: (value: null | string | undefined, { siblingData }: { siblingData: { channel?: string } }) => {
        if (!value) return 'An address is required.'
        if ((siblingData?.channel ?? 'email') === 'email' && !isValidEmail(value)) return `"${value}" is not a valid email address.`
        if (siblingData?.channel === 'sms' && !isValidPhone(value)) return `"${value}" is not a valid phone number.`
        return true
      },
    },
    { name: 'channel', type: 'select', required: true, defaultValue: 'email', options: SUPPRESSION_CHANNELS.map((value) => ({ value, label: value === 'sms' ? 'SMS' : 'Email' })) },
    { name: 'reason', type: 'select', required: true, defaultValue: 'manual', options: SUPPRESSION_REASONS.map((value) => ({ value, label: SUPPRESSION_REASON_LABEL[value] ?? value })) },
    {
      name: 'status',
      type: 'select',
      required: true,
      defaultValue: 'active',
      index: true,
      options: statusOptions('suppression'),
      admin: { components: statusCell('suppression') },
    },
    { name: 'source', type: 'text', maxLength: 120, defaultValue: 'admin', admin: { description: 'Where it came from: admin, webhook, unsubscribe link, import…' } },
    { name: 'note', type: 'textarea', maxLength: 1000 },
  ],
}
