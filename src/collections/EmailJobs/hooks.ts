import type { CollectionBeforeDeleteHook, CollectionBeforeOperationHook, FieldAccess, FieldHook, Where } from 'payload'

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

/**
 * Field access for what a queued job sends (template, audience, attachments): changeable while the job
 * is a draft, so the admin shows them read-only once it is queued instead of offering an edit that Save
 * would refuse. An API write that changes them is still a 409 with the reason (keepQueuedJobsFrozen).
 */
export const changeableWhileDraft: FieldAccess = ({ req, doc }) => !req.user || !doc || (doc as { status?: string }).status === 'draft'

/**
 * Once queued, what a job sends is fixed: its template, recipients and attachments can't change (a 409
 * with the reason). Read from the request's own data, before Payload applies field access (which would
 * silently drop the write, since `changeableWhileDraft` makes those fields read-only); the job is read as
 * the user, so another org's job is never described. System writes pass.
 */
export const keepQueuedJobsFrozen: CollectionBeforeOperationHook = async ({ args, operation, req }) => {
  if (operation !== 'update' || !req.user) return args
  const { data, id, where } = args as { data?: Record<string, unknown>; id?: number | string; where?: Where }
  if (!data || typeof data !== 'object') return args
  const touched = EDITABLE_FIELDS.filter((field) => field !== 'name' && field in data)
  if (!touched.length) return args
  const jobs =
    id !== undefined
      ? [await req.payload.findByID({ collection: 'email-jobs', id, depth: 0, req, user: req.user, overrideAccess: false, disableErrors: true })]
      : (await req.payload.find({ collection: 'email-jobs', where, depth: 0, pagination: false, req, user: req.user, overrideAccess: false })).docs
  for (const job of jobs) {
    if (!job || job.status === 'draft') continue
    const stored = job as unknown as Record<string, unknown>
    const changed = touched.filter((field) => {
      const incoming = data[field]
      // A partial group (say only the audience's tags) is compared with the same keys of the stored one.
      const before =
        field === 'audience' && incoming && typeof incoming === 'object' && !Array.isArray(incoming)
          ? Object.fromEntries(Object.keys(incoming).map((key) => [key, (stored.audience as Record<string, unknown> | undefined)?.[key]]))
          : stored[field]
      return JSON.stringify(normalize(incoming)) !== JSON.stringify(normalize(before))
    })
    if (changed.length) throw new AppError('CONFLICT', `This job is ${job.status}: its ${changed.join(', ')} can no longer change.`)
  }
  return args
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
