import { type CollectionBeforeChangeHook, ValidationError } from 'payload'

import { hasOrgPermission, relationID, sameID } from '@/access/orgAccess'
import type { OrgAction } from '@/access/roles'
import { AppError } from '@/services/errors/app-error'

/**
 * Access functions filter rows; this hook fails loudly when a user writes a document into an org
 * where their role does not allow `action` (a field-level denial would be dropped silently).
 * Userless Local API calls (seeds, system work) pass.
 */
export const enforceOrgPermission =
  (action: OrgAction, field = 'org'): CollectionBeforeChangeHook =>
  ({ collection, data, originalDoc, operation, req }) => {
    if (!req.user) return data
    const target = data?.[field] ?? originalDoc?.[field]
    if (relationID(target) === undefined) {
      throw new ValidationError({
        collection: collection.slug,
        errors: [{ message: 'Choose the organisation this belongs to.', path: field }],
      })
    }
    const moved = operation === 'update' && !sameID(target, originalDoc?.[field])
    if ((operation === 'create' || moved) && !hasOrgPermission(req.user, target, action)) {
      throw new AppError('FORBIDDEN', `Your role in this organisation does not allow this (${action}).`)
    }
    return data
  }
