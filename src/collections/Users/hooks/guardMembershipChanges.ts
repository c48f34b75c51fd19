import type { CollectionBeforeChangeHook, CollectionBeforeDeleteHook, CollectionBeforeOperationHook } from 'payload'

import { membershipChangeViolation, superAdminChangeViolation } from '@/access/membershipChanges'
import { hasOrgPermission, isSuperAdmin, memberOrgIDs } from '@/access/orgAccess'
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
