import type { Payload, PayloadRequest } from 'payload'

import { relationID } from '@/access/orgAccess'

import { AppError, nullIfNotFound } from '../errors/app-error'

type User = NonNullable<PayloadRequest['user']>

/** The job, read through Payload's access control as the user; it must belong to `org`. Else a 404 (the same for another org's). */
export const requireJobOfOrg = async ({ payload, user, job, org }: { payload: Payload; user: User; job: number; org: number }) => {
  const doc = await payload.findByID({ collection: 'email-jobs', id: job, depth: 0, user, overrideAccess: false }).catch(nullIfNotFound)
  if (!doc || Number(relationID(doc.org)) !== org) throw new AppError('NOT_FOUND', 'No such email job, or you cannot see it.')
  return doc
}
