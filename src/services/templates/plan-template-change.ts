import { AppError } from '../errors/app-error'

export const TEMPLATE_STATUSES = ['draft', 'pending', 'approved', 'rejected'] as const
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number]

export const CONTENT_FIELDS = ['channel', 'subject', 'html', 'text', 'footer', 'smsBody'] as const

type ID = number | string
type Ref = ID | { id: ID } | null | undefined

export type TemplateWorkflowState = {
  approvedAt?: null | string
  approvedBy?: Ref
  channel?: null | string
  footer?: null | string
  html?: null | string
  rejectedAt?: null | string
  rejectedBy?: Ref
  rejectionReason?: null | string
  smsBody?: null | string
  status?: null | TemplateStatus
  subject?: null | string
  submittedAt?: null | string
  submittedBy?: Ref
  text?: null | string
}

export type TemplateAuditAction = 'template.approve' | 'template.reject' | 'template.reset_to_draft' | 'template.submit'

export type TemplateChangePlan = {
  /** Workflow fields to write, whatever the request said about them. */
  patch: Partial<TemplateWorkflowState> & { status: TemplateStatus }
  audit: { action: TemplateAuditAction; summary: string } | null
}

export type Capabilities = { approve: boolean; edit: boolean; submit: boolean }

const refID = (ref: Ref): ID | undefined => (ref && typeof ref === 'object' ? ref.id : (ref ?? undefined))

const cleared = {
  approvedAt: null,
  approvedBy: null,
  rejectedAt: null,
  rejectedBy: null,
  rejectionReason: null,
} satisfies Partial<TemplateWorkflowState>

/**
 * The approval workflow, decided in one place for every API. `actor` is null for system work
 * (seeders), which may set any state. Throws AppError with a reason a person understands.
 */
export const planTemplateChange = ({
  actor,
  before,
  can,
  data,
  now = new Date(),
  requireFourEyes,
}: {
  actor: { id: ID } | null
  before?: TemplateWorkflowState
  can: Capabilities
  data: Partial<TemplateWorkflowState>
  now?: Date
  requireFourEyes: boolean
}): TemplateChangePlan => {
  const from: TemplateStatus = before?.status ?? 'draft'
  const requested = data.status ?? from
  const at = now.toISOString()
  if (!TEMPLATE_STATUSES.includes(requested)) {
    throw new AppError('INVALID_INPUT', `Unknown status "${requested}". Use one of: ${TEMPLATE_STATUSES.join(', ')}.`)
  }
  if (!actor) return { patch: { status: requested }, audit: null }

  const contentChanged = CONTENT_FIELDS.some((field) => field in data && (data[field] ?? '') !== (before?.[field] ?? ''))
  if (!before) {
    if (requested !== 'draft') {
      throw new AppError('INVALID_INPUT', 'A new template starts as a draft: save it, then submit it for approval.')
    }
    return { patch: { status: 'draft', ...cleared, submittedAt: null, submittedBy: null }, audit: null }
  }
  if (contentChanged && !can.edit) {
    throw new AppError('FORBIDDEN', 'Your role cannot change template content.')
  }
  if (contentChanged && requested !== from && (requested === 'approved' || requested === 'rejected')) {
    throw new AppError('INVALID_INPUT', 'A template cannot be changed and decided in the same step: save the change, then review it.')
  }

  if (requested === from) {
    if (contentChanged && from !== 'draft') {
      return {
        patch: { status: 'draft', ...cleared },
        audit: { action: 'template.reset_to_draft', summary: `Content changed while ${from}: back to draft` },
      }
    }
    return { patch: { status: from }, audit: null }
  }

  switch (requested) {
    case 'pending': {
      if (from === 'approved' && !contentChanged) {
        throw new AppError('INVALID_INPUT', 'This template is already approved.')
      }
      if (!can.submit) throw new AppError('FORBIDDEN', 'Your role cannot submit templates for approval.')
      return {
        patch: { status: 'pending', ...cleared, submittedAt: at, submittedBy: actor.id },
        audit: { action: 'template.submit', summary: 'Submitted for approval' },
      }
    }
    case 'approved':
    case 'rejected': {
      if (from !== 'pending') {
        throw new AppError('INVALID_INPUT', `Only a pending template can be ${requested}; this one is ${from}. Submit it first.`)
      }
      if (!can.approve) throw new AppError('FORBIDDEN', `Your role cannot ${requested === 'approved' ? 'approve' : 'reject'} templates.`)
      if (requireFourEyes && String(refID(before.submittedBy)) === String(actor.id)) {
        throw new AppError(
          'FORBIDDEN',
          'Four-eyes rule: someone other than the person who submitted this template must review it.',
        )
      }
      if (requested === 'approved') {
        return {
          patch: { status: 'approved', ...cleared, approvedAt: at, approvedBy: actor.id },
          audit: { action: 'template.approve', summary: 'Approved' },
        }
      }
      const reason = typeof data.rejectionReason === 'string' ? data.rejectionReason.trim() : ''
      if (!reason) throw new AppError('INVALID_INPUT', 'Say why the template is rejected (rejectionReason).', { field: 'rejectionReason' })
      return {
        patch: { status: 'rejected', ...cleared, rejectedAt: at, rejectedBy: actor.id, rejectionReason: reason.slice(0, 1000) },
        audit: { action: 'template.reject', summary: `Rejected: ${reason.slice(0, 200)}` },
      }
    }
    case 'draft': {
      if (!can.edit && !can.submit) throw new AppError('FORBIDDEN', 'Your role cannot move templates back to draft.')
      return {
        patch: { status: 'draft', ...cleared },
        audit: { action: 'template.reset_to_draft', summary: `Moved from ${from} back to draft` },
      }
    }
  }
}
