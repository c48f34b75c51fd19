import type { Payload, PayloadRequest } from 'payload'

import { hasOrgPermission, isSuperAdmin, orgIDsAllowing } from '@/access/orgAccess'

import { AppError } from '../errors/app-error'

type User = NonNullable<Parameters<Payload['find']>[0]['user']>

/**
 * The orgs whose metrics the caller may read, through Payload's access control on `organizations`:
 * with `org`, that one org if the caller has `metrics.read` there (a super admin: any org), else 404;
 * without, every org where the caller has `metrics.read` (a super admin: all), else 403.
 */
export const resolveMetricOrgs = async ({ payload, req, org }: { payload: Payload; req: Pick<PayloadRequest, 'user'>; org: number | null }): Promise<number[]> => {
  const user = req.user as User | null
  if (!user) throw new AppError('UNAUTHORIZED', 'Log in to see metrics.')
  const visible = async (ids: number[] | null): Promise<number[]> => {
    const { docs } = await payload.find({
      collection: 'organizations',
      where: ids ? { id: { in: ids } } : {},
      depth: 0,
      limit: 0,
      pagination: false,
      select: {},
      user,
      overrideAccess: false,
    })
    return docs.map((doc) => doc.id)
  }
  if (org !== null) {
    const found = await visible([org])
    if (found.length === 0 || !hasOrgPermission(user, org, 'metrics.read')) throw new AppError('NOT_FOUND', 'No such organisation, or you cannot see its metrics.')
    return found
  }
  const allowed = isSuperAdmin(user) ? null : orgIDsAllowing(user, 'metrics.read').map(Number)
  if (allowed && allowed.length === 0) throw new AppError('FORBIDDEN', 'Your roles allow seeing metrics in no organisation.')
  const orgs = await visible(allowed)
  if (orgs.length === 0 && !isSuperAdmin(user)) throw new AppError('FORBIDDEN', 'Your roles allow seeing metrics in no organisation.')
  return orgs
}
