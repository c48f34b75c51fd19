import type { Payload, PayloadRequest } from 'payload'

import { hasOrgPermission, relationID } from '@/access/orgAccess'
import type { OrgAction } from '@/access/roles'
import { dbPool } from '@/db/pool'
import type { Import } from '@/payload-types'

import { AppError, nullIfNotFound } from '../errors/app-error'

type User = NonNullable<PayloadRequest['user']>

/**
 * An import the user may act on: read through Payload's access control (another org's is a 404), the
 * user holding `action` in its org (else 403), with its file's storage key (never part of the API).
 */
export const requireImport = async ({ payload, user, id, action }: { payload: Payload; user: User | null | undefined; id: number; action: OrgAction }): Promise<{ doc: Import; org: number; storageKey: string; user: User }> => {
  if (!user) throw new AppError('UNAUTHORIZED', 'Log in to work with imports.')
  const doc = await payload.findByID({ collection: 'imports', id, depth: 0, user, overrideAccess: false }).catch(nullIfNotFound)
  if (!doc) throw new AppError('NOT_FOUND', 'No such import, or you cannot see it.')
  const org = Number(relationID(doc.org))
  if (!hasOrgPermission(user, org, action)) throw new AppError('FORBIDDEN', `Your role in this organisation does not allow this (${action}).`)
  const { rows } = await dbPool(payload).query<{ storage_key: string }>('SELECT storage_key FROM imports WHERE id = $1', [id])
  return { doc, org, storageKey: rows[0]?.storage_key ?? '', user }
}
