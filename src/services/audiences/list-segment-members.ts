import type { Payload, PayloadRequest } from 'payload'

import { relationID } from '@/access/orgAccess'
import { inTransaction } from '@/db/transaction'

import { requireContactsReader } from '../contacts/require-contacts-reader'
import { AppError } from '../errors/app-error'
import { compileSegmentRules } from './compile-segment-rules'
import { readOrgSegments } from './read-org-segments'

type User = NonNullable<PayloadRequest['user']>

/**
 * The ids of the contacts a saved segment matches now, at most `limit` (more: a 409 saying so), for the
 * picker that filters its loaded contacts by segment. Read as the user: the segment through Payload's
 * access control, its org's contacts with `contacts.read`.
 */
export const listSegmentMembers = async ({ payload, user, segment, limit }: { payload: Payload; user: User | null | undefined; segment: number; limit: number }): Promise<number[]> => {
  if (!user) throw new AppError('UNAUTHORIZED', 'Log in to list the contacts of a segment.')
  const doc = await payload.findByID({ collection: 'segments', id: segment, depth: 0, user, overrideAccess: false, disableErrors: true })
  if (!doc) throw new AppError('NOT_FOUND', 'No such segment, or you cannot see it.')
  const org = Number(relationID(doc.org))
  await requireContactsReader({ payload, user, org })
  const rules = (await readOrgSegments({ payload, user, org, ids: [segment] })).get(segment)!
  const condition = compileSegmentRules(rules, 2)
  return inTransaction(
    payload,
    async (client) => {
      await client.query('SET LOCAL statement_timeout = 15000')
      const { rows } = await client.query<{ id: number }>(`SELECT c.id FROM contacts c WHERE c.org_id = $1 AND ${condition.sql} LIMIT ${limit + 1}`, [org, ...condition.params])
      if (rows.length > limit) throw new AppError('CONFLICT', `This segment has more than ${limit.toLocaleString('en')} contacts: choose it as the audience instead.`)
      return rows.map((row) => row.id)
    },
    'BEGIN READ ONLY',
  )
}
