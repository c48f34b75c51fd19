import type {
  CollectionAfterChangeHook,
  CollectionBeforeChangeHook,
  CollectionBeforeDeleteHook,
  CollectionBeforeOperationHook,
} from 'payload'

import { changedMembershipOrgs, membershipChangeViolation, superAdminChangeViolation } from '@/access/membershipChanges'
import { hasOrgPermission, isSuperAdmin, memberOrgIDs, type OrgMembership, relationID } from '@/access/orgAccess'
import { recordAudit } from '@/services/audit/record-audit'
import { AppError } from '@/services/errors/app-error'

/** Role and membership rules for users, refused loudly (field access alone would drop them silently). */
export const guardMembershipChanges: CollectionBeforeChangeHook = ({ data, operation, originalDoc, req }) => {
  if (!req.user || (operation !== 'create' && operation !== 'update')) return data
  const violation = membershipChangeViolation({ actor: req.user, after: data, before: originalDoc, operation })
  if (violation) throw new AppError('FORBIDDEN', violation)
  return data
}

/** A user who also belongs to another org is removed from your org, not deleted for everyone. */
export const guardUserDelete: CollectionBeforeDeleteHook = async ({ id, req }) => {
  if (!req.user || isSuperAdmin(req.user)) return
  if (String(req.user.id) === String(id)) throw new AppError('FORBIDDEN', 'You cannot delete your own account.')
  // Reads the target's memberships to compare; whether the actor may delete at all was decided by access.
  const target = await req.payload.findByID({ collection: 'users', id, depth: 0, req })
  const foreign = memberOrgIDs(target).filter((org) => !hasOrgPermission(req.user, org, 'users.manage'))
  if (foreign.length > 0) {
    throw new AppError(
      'FORBIDDEN',
      'This user also belongs to an organisation you do not administer: remove them from yours instead of deleting them.',
    )
  }
}

/**
 * Field access would silently drop `isSuperAdmin` from a non-super admin's request; refuse it loudly
 * instead. Runs before field access, on the raw request data.
 */
export const guardSuperAdminFlag: CollectionBeforeOperationHook = async ({ args, operation, req }) => {
  if (!req.user || (operation !== 'create' && operation !== 'update')) return args
  const requested = (args.data as { isSuperAdmin?: unknown } | undefined)?.isSuperAdmin
  if (requested === undefined || isSuperAdmin(req.user)) return args
  const id = (args as { id?: number | string }).id
  // Reads the stored flag only to compare; whether this user may update the target is decided by access.
  const current =
    operation === 'update' && id !== undefined
      ? (await req.payload.findByID({ collection: 'users', id, depth: 0, req, disableErrors: true }))?.isSuperAdmin
      : false
  const violation = superAdminChangeViolation({ actor: req.user, current, requested })
  if (violation) throw new AppError('FORBIDDEN', violation)
  return args
}

/** Each change of a user's roles in an org is audited in that org. */
export const auditRoleChanges: CollectionAfterChangeHook = async ({ doc, operation, previousDoc, req }) => {
  const before = operation === 'create' ? { orgs: [] } : previousDoc
  for (const org of changedMembershipOrgs(before, doc)) {
    const rolesIn = (user: { orgs?: OrgMembership[] | null } | undefined) =>
      (user?.orgs ?? []).filter((m) => String(relationID(m.org)) === org).flatMap((m) => m.roles ?? [])
    const from = rolesIn(before)
    const to = rolesIn(doc)
    await recordAudit(req, {
      action: 'role.change',
      org: Number(org),
      target: { collection: 'users', id: doc.id },
      summary: `Roles of ${doc.email}: ${from.join(', ') || 'none'} → ${to.join(', ') || 'none'}`,
      changes: { roles: { from, to } },
    })
  }
  return doc
}
