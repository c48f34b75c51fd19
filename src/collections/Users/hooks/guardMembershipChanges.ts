import type {
  CollectionAfterChangeHook,
  CollectionAfterOperationHook,
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
  // Read as the user: a user they cannot see answers as access decides (the same for everyone), so the
  // answer never tells whether an unseen account is a super admin.
  const target =
    operation === 'update' && id !== undefined
      ? await req.payload.findByID({ collection: 'users', id, depth: 0, req, user: req.user, overrideAccess: false, disableErrors: true })
      : null
  if (operation === 'update' && !target) return args
  const current = target?.isSuperAdmin ?? false
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

/** A successful unlock (failed-login counter reset) is audited in each org of the account that the actor administers. */
export const auditUnlock: CollectionAfterOperationHook = async ({ args, operation, req, result }) => {
  if (operation !== 'unlock' || !result) return result
  const email = String((args as { data?: { email?: unknown } }).data?.email ?? '').toLowerCase().trim()
  const { docs } = await req.payload.find({ collection: 'users', where: { email: { equals: email } }, depth: 0, limit: 1, req, overrideAccess: true })
  const target = docs[0]
  if (!target) return result
  const orgs = memberOrgIDs(target).filter((org) => hasOrgPermission(req.user, org, 'users.manage'))
  for (const org of orgs.length ? orgs : [null]) {
    await recordAudit(req, { action: 'user.unlock', org, target: { collection: 'users', id: target.id }, summary: `Unlocked ${target.email} (failed logins reset)` })
  }
  return result
}
