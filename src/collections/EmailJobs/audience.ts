import type { CollectionAfterChangeHook, CollectionBeforeChangeHook, CollectionBeforeOperationHook, Field, FieldAccess } from 'payload'

import { relationID } from '@/access/orgAccess'
import { withRequestClient } from '@/db/request-client'
import { applySelectionChange } from '@/services/audiences/apply-selection-change'
import { checkSelectionIDs } from '@/services/audiences/check-selection-ids'
import { readOrgSegments } from '@/services/audiences/read-org-segments'
import type { SegmentRules } from '@/services/audiences/segment-rules'
import { filterSegmentIDs, isEmptyChange, parseSelectionChange, type SelectionChange } from '@/services/audiences/selection-change'
import { AppError } from '@/services/errors/app-error'

import { changeableWhileDraft } from './hooks'

const systemOnly: FieldAccess = () => false
const TAGS_FIELD = '@/components/tags/OrgTagsField#OrgTagsField'

/**
 * Who a job goes to. Everything but the explicit selection is a plain field; the selection (any size)
 * lives in `job_audience_contacts` and is changed through the write-only `contacts` (replace it with these
 * ids, as the API always accepted) and `selection` (add, remove, add or remove all matching a filter).
 */
export const audienceFields: Field[] = [
  {
    name: 'audience',
    type: 'group',
    label: 'Audience',
    access: { update: changeableWhileDraft },
    admin: { description: 'Who receives the job: anyone chosen below, minus anyone left out. Resolved once, when the job is queued.' },
    fields: [
      { name: 'all', type: 'checkbox', label: 'All contacts of the organisation', defaultValue: false },
      {
        type: 'row',
        fields: [
          {
            name: 'tags',
            type: 'text',
            hasMany: true,
            maxRows: 50,
            maxLength: 100,
            label: 'Contacts with any of these tags',
            admin: { description: 'Press Enter after each tag.', width: '50%', components: { Field: TAGS_FIELD } },
          },
          { name: 'segments', type: 'relationship', relationTo: 'segments', hasMany: true, maxRows: 20, label: 'Contacts in these segments', admin: { width: '50%' } },
        ],
      },
      { name: 'picker', type: 'ui', admin: { components: { Field: '@/components/recipient-picker/RecipientPicker#RecipientPicker' } } },
      {
        type: 'row',
        fields: [
          {
            name: 'excludeTags',
            type: 'text',
            hasMany: true,
            maxRows: 50,
            maxLength: 100,
            label: 'Leave out contacts with these tags',
            admin: { width: '50%', components: { Field: TAGS_FIELD } },
          },
          { name: 'excludeSegments', type: 'relationship', relationTo: 'segments', hasMany: true, maxRows: 20, label: 'Leave out contacts in these segments', admin: { width: '50%' } },
        ],
      },
      { name: 'summary', type: 'ui', admin: { components: { Field: '@/components/audience/AudienceSummary#AudienceSummary' } } },
      {
        name: 'selectionCount',
        type: 'number',
        defaultValue: 0,
        label: 'Chosen one by one',
        access: { create: systemOnly, update: systemOnly },
        admin: { readOnly: true, hidden: true },
      },
    ],
  },
  {
    name: 'contacts',
    type: 'json',
    virtual: true,
    admin: { hidden: true },
    label: 'Recipients (write-only: replaces the explicit selection with these contact ids)',
  },
  {
    name: 'selection',
    type: 'json',
    virtual: true,
    admin: { hidden: true },
    label: 'Selection change (write-only: a step { set | add | remove: ids, clear: true, addMatching | removeMatching: { search, tag, segment } } or a list of steps)',
  },
]

type Pending = { change: SelectionChange; segments: Map<number, SegmentRules>; org: number }
// Taken from the raw request data, checked before the write and applied after it (the job's id exists
// then), in the same request. (Not via req.context: nested Local API calls replace it.)
const raw = new WeakMap<object, { contacts?: unknown; selection?: unknown }>()
const pending = new WeakMap<object, Pending>()

/** Takes `contacts` and `selection` off the request data before Payload reads it (they are not stored). */
export const captureSelectionInput: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (operation !== 'create' && operation !== 'update') return args
  const data = (args as { data?: Record<string, unknown> }).data
  if (!data || typeof data !== 'object' || (!('contacts' in data) && !('selection' in data))) return args
  if (operation === 'update' && (args as { id?: unknown }).id === undefined) {
    throw new AppError('INVALID_INPUT', 'Change recipients one job at a time (PATCH /api/email-jobs/<id>), not with a bulk update.')
  }
  raw.set(req, { contacts: data.contacts, selection: data.selection })
  const { contacts: _contacts, selection: _selection, ...rest } = data
  return { ...args, data: rest }
}

/** `contacts` (replace the selection with these ids, as the API always accepted) then `selection`'s steps, as one change. */
const changeOf = (input: { contacts?: unknown; selection?: unknown }): SelectionChange => {
  const steps: SelectionChange = []
  if (input.contacts !== undefined && input.contacts !== null) {
    if (!Array.isArray(input.contacts)) throw new AppError('INVALID_INPUT', '`contacts` must be a list of contact ids.')
    const ids = input.contacts.map((c) => (c && typeof c === 'object' && 'id' in c ? (c as { id: unknown }).id : c))
    steps.push(...parseSelectionChange({ set: ids }))
  }
  if (input.selection !== undefined && input.selection !== null) steps.push(...parseSelectionChange(input.selection))
  return steps
}

/** Reads `contacts` and `selection` from a write: checks them (a draft job, the org's own contacts and segments) and keeps them for afterChange. */
export const takeSelectionChange: CollectionBeforeChangeHook = async ({ data, operation, originalDoc, req }) => {
  const input = raw.get(req)
  raw.delete(req)
  // A job moved to another organisation keeps none of the old one's chosen contacts.
  const moved = operation === 'update' && data.org !== undefined && originalDoc !== undefined && Number(relationID(data.org as never)) !== Number(relationID(originalDoc.org as never))
  const requested = input ? changeOf(input) : []
  const change: SelectionChange = moved ? [{ op: 'clear' }, ...requested] : requested
  if (!change.length) return data
  if (requested.length && operation === 'update' && originalDoc?.status && originalDoc.status !== 'draft') {
    throw new AppError('CONFLICT', `This job is ${String(originalDoc.status).replace(/_/g, ' ')}: its recipients can no longer change.`)
  }
  const org = Number(relationID((data.org ?? originalDoc?.org) as never))
  if (!Number.isInteger(org)) return data
  if (isEmptyChange(change)) return data
  await withRequestClient(req, (client) => checkSelectionIDs(client, org, change))
  const segments = await readOrgSegments({ payload: req.payload, req, user: req.user, org, ids: filterSegmentIDs(change) })
  pending.set(req, { change, segments, org })
  return data
}

/** Applies the kept change to `job_audience_contacts` in the request's transaction; the doc shows the new count. */
export const applyPendingSelection: CollectionAfterChangeHook = async ({ doc, req }) => {
  const change = pending.get(req)
  if (!change) return doc
  pending.delete(req)
  const count = await withRequestClient(req, (client) => applySelectionChange(client, { job: doc.id, org: change.org, change: change.change, segments: change.segments }))
  return { ...doc, audience: { ...doc.audience, selectionCount: count } }
}
