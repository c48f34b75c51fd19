import type { Payload, PayloadRequest } from 'payload'

import { inTransaction } from '@/db/transaction'

import { requireContactsReader } from '../contacts/require-contacts-reader'
import { AppError } from '../errors/app-error'
import { compileSegmentRules } from './compile-segment-rules'
import { parseSegmentRules } from './segment-rules'

type User = NonNullable<PayloadRequest['user']>

/** How long a live count may take before it answers "more than we could count" (a statement timeout). */
const COUNT_TIMEOUT_MS = 10_000

/**
 * How many of an org's contacts a segment's rules match, counted exactly (the segment builder shows it
 * live). The user must see the org (Payload access, as the user) and read its contacts. Rules that are
 * not valid are a 400 listing each problem.
 */
export const countSegment = async ({ payload, user, org, rules }: { payload: Payload; user: User | null; org: number; rules: unknown }): Promise<{ count: number }> => {
  await requireContactsReader({ payload, user, org, action: 'count a segment' })
  const parsed = parseSegmentRules(rules)
  if (!parsed.ok) throw new AppError('INVALID_INPUT', parsed.problems.join(' '), { problems: parsed.problems })
  const condition = compileSegmentRules(parsed.rules, 2)
  return inTransaction(
    payload,
    async (client) => {
      await client.query(`SET LOCAL statement_timeout = ${COUNT_TIMEOUT_MS}`)
      const { rows } = await client.query<{ count: number }>(`SELECT count(*)::int AS count FROM contacts c WHERE c.org_id = $1 AND ${condition.sql}`, [org, ...condition.params])
      return { count: rows[0]!.count }
    },
    'BEGIN READ ONLY',
  )
}
