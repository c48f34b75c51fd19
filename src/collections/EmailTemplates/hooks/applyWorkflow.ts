import type { CollectionAfterChangeHook, CollectionBeforeChangeHook } from 'payload'

import { hasOrgPermission, relationID } from '@/access/orgAccess'
import { recordAudit } from '@/services/audit/record-audit'
import { planTemplateChange, type TemplateChangePlan } from '@/services/templates/plan-template-change'

const WORKFLOW_FIELDS = ['approvedAt', 'approvedBy', 'rejectedAt', 'rejectedBy', 'rejectionReason', 'submittedAt', 'submittedBy'] as const

// The decision is made before the write and recorded after it, in the same request and transaction.
// (Not via `context`: any nested Local API call given `req` replaces `req.context` with a copy, so a
// value set in beforeChange is not seen by afterChange.)
const pendingAudits = new WeakMap<object, NonNullable<TemplateChangePlan['audit']>>()

/** Decides status and approval fields on every write, whatever the API; see planTemplateChange. */
export const applyWorkflow: CollectionBeforeChangeHook = async ({ context, data, operation, originalDoc, req }) => {
  if (context.skipWorkflow) return data
  const org = relationID(data.org ?? originalDoc?.org)
  const user = req.user && req.user.collection === 'users' ? req.user : null
  let requireFourEyes = true
  // The org's four-eyes setting matters only when a pending template is being approved or rejected.
  const isReviewing = (data.status === 'approved' || data.status === 'rejected') && originalDoc?.status === 'pending'
  if (user && org !== undefined && isReviewing) {
    // Reads the org's four-eyes setting; the write itself is already limited to the user's orgs by access.
    const orgDoc = await req.payload.findByID({ collection: 'organizations', id: org, depth: 0, req, disableErrors: true })
    requireFourEyes = orgDoc?.requireFourEyes !== false
  }
  // Workflow fields come only from the plan; what a client sent for them is ignored.
  const requested = { ...data }
  if (user) for (const field of WORKFLOW_FIELDS) if (field !== 'rejectionReason') delete requested[field]
  const plan: TemplateChangePlan = planTemplateChange({
    actor: user ? { id: user.id } : null,
    before: operation === 'update' ? originalDoc : undefined,
    can: {
      edit: hasOrgPermission(user, org, 'templates.edit'),
      submit: hasOrgPermission(user, org, 'templates.submit'),
      approve: hasOrgPermission(user, org, 'templates.approve'),
    },
    data: requested,
    requireFourEyes,
  })
  if (plan.audit) pendingAudits.set(req, plan.audit)
  const result: Record<string, unknown> = { ...data }
  if (user) for (const field of WORKFLOW_FIELDS) delete result[field]
  return { ...result, ...plan.patch }
}

export const auditWorkflow: CollectionAfterChangeHook = async ({ context, doc, previousDoc, req }) => {
  // A system write nested in the same request (moving the default flag) must not take the entry
  // planned for the template the user changed.
  if (context.skipWorkflow) return doc
  const audit = pendingAudits.get(req)
  if (!audit) return doc
  pendingAudits.delete(req)
  await recordAudit(req, {
    action: audit.action,
    org: relationID(doc.org),
    target: { collection: 'email-templates', id: doc.id },
    summary: `${audit.summary}: "${doc.name}"`,
    changes: { status: { from: previousDoc?.status ?? null, to: doc.status } },
  })
  return doc
}
