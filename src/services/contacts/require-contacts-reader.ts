import type { Payload, PayloadRequest } from 'payload'

import { hasOrgPermission } from '@/access/orgAccess'

import { AppError } from '../errors/app-error'

type User = NonNullable<PayloadRequest['user']>

/**
 * For reads that go past Payload's find (SQL over an org's contacts): the user must see the org through
 * Payload's access control and hold `contacts.read` in it. Returns the user; else 401, 404 or 403.
 */
export const requireContactsReader = async ({ payload, user, org, action = 'list contacts' }: { payload: Payload; user: User | null | undefined; org: number; action?: string }): Promise<User> => {
  if (!user) throw new AppError('UNAUTHORIZED', `Log in to ${action}.`)
  const visible = await payload.count({ collection: 'organizations', where: { id: { equals: org } }, user, overrideAccess: false })
  if (visible.totalDocs === 0) throw new AppError('NOT_FOUND', 'No such organisation, or you are not a member of it.')
  if (!hasOrgPermission(user, org, 'contacts.read')) throw new AppError('FORBIDDEN', 'Your role cannot read the contacts of this organisation.')
  return user
}
