import type { CollectionBeforeChangeHook, CollectionBeforeDeleteHook } from 'payload'

import { membershipChangeViolation } from '@/access/membershipChanges'
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
