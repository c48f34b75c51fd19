import type { CollectionAfterOperationHook } from 'payload'

import { markInvitationAccepted } from '@/services/users/manage-invitation'

/** Payload's reset-password flow finished: a pending invitation of that user is accepted (see markInvitationAccepted). */
export const acceptInvitationOnReset: CollectionAfterOperationHook = async ({ operation, result, req }) => {
  if (operation !== 'resetPassword') return result
  const id = (result as { user?: { id?: unknown } } | undefined)?.user?.id
  if (typeof id === 'number') await markInvitationAccepted({ req, userID: id })
  return result
}
