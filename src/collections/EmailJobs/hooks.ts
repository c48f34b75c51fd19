import type { CollectionBeforeChangeHook, CollectionBeforeDeleteHook, FieldHook } from 'payload'

import { relationID } from '@/access/orgAccess'
import { AppError } from '@/services/errors/app-error'

/** A job sends on its template's channel: set from the template (read as the user) whenever it is saved. */
export const channelFromTemplate: FieldHook = async ({ siblingData, originalDoc, req, value }) => {
  const id = relationID((siblingData?.template ?? originalDoc?.template) as never)
  if (id === undefined) return value ?? 'email'
  const template = await req.payload.findByID({
    collection: 'email-templates',
    id,
    depth: 0,
    req,
    disableErrors: true,
    select: { channel: true },
    ...(req.user ? { user: req.user, overrideAccess: false } : {}),
  })
  return template?.channel ?? value ?? 'email'
}

const EDITABLE_FIELDS = ['name', 'template', 'audience', 'attachments'] as const

/** Once queued, what a job sends is fixed: its template, recipients and attachments can't change. */
export const keepQueuedJobsFrozen: CollectionBeforeChangeHook = ({ data, operation, originalDoc, req }) => {
  if (operation !== 'update' || !req.user || !originalDoc || originalDoc.status === 'draft') return data
  const changed = EDITABLE_FIELDS.filter(
    (field) => field !== 'name' && field in data && JSON.stringify(normalize(data[field])) !== JSON.stringify(normalize(originalDoc[field])),
  )
  if (changed.length) throw new AppError('CONFLICT', `This job is ${originalDoc.status}: its ${changed.join(', ')} can no longer change.`)
  return data
}

/** A value as stored, for comparison: references by id; the audience's display-only parts left out. */
const normalize = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(normalize)
  if (!value || typeof value !== 'object') return value ?? null
  if ('id' in value) return (value as { id: unknown }).id
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !['selectionCount', 'picker', 'summary'].includes(key))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, inner]) => [key, normalize(inner)]),
  )
}

/** A job that was queued is the record of what was sent: only drafts can be deleted. */
export const keepSentJobs: CollectionBeforeDeleteHook = async ({ id, req }) => {
  const job = await req.payload.findByID({ collection: 'email-jobs', id, depth: 0, req, disableErrors: true })
  if (job && job.status !== 'draft') throw new AppError('CONFLICT', `This job is ${job.status.replace(/_/g, ' ')}: only draft jobs can be deleted (cancel it instead).`)
}
