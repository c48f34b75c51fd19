import type { Payload, PayloadRequest } from 'payload'

import { inTransaction } from '@/db/transaction'

import { requireContactsReader } from '../contacts/require-contacts-reader'
import { pickerFilterSql } from './picker-filter-sql'
import { readOrgSegments } from './read-org-segments'
import { requireJobOfOrg } from './require-job-of-org'
import { filterSegmentIDs, type PickerFilter, type SelectionChange } from './selection-change'
import { selectionStateSql } from './selection-state-sql'

type User = NonNullable<PayloadRequest['user']>

/** Counted exactly up to this many; above, "more than". */
export const MATCHING_COUNT_CAP = 10_000
const SEARCH_TIMEOUT_MS = 10_000

export type PickerSearchResult = {
  /** `[id, name, email, suppressionReason | null, chosen (1 or 0)]`, by first name (unnamed last), then id. */
  rows: [number, string, string, string | null, 0 | 1][]
  /** Contacts matching the filter, exact up to MATCHING_COUNT_CAP; `matchingCapped` when there are more. */
  matching: number
  matchingCapped: boolean
}

/**
 * The recipient picker above PICKER_LOCAL_LIMIT contacts: one page of the org's contacts matching a
 * filter (words in the name or address through the trigram index, a tag, a segment), each marked
 * chosen or not as the job's selection would be with `change` (its unsaved steps) applied. Read as
 * the user: the org, its contacts, the job and every segment named go through Payload's access control.
 */
export const searchPickerContacts = async ({
  payload,
  user,
  org,
  job,
  filter,
  change,
  offset,
  limit,
}: {
  payload: Payload
  user: User | null | undefined
  org: number
  job: number | undefined
  filter: PickerFilter
  change: SelectionChange
  offset: number
  limit: number
}): Promise<PickerSearchResult> => {
  const reader = await requireContactsReader({ payload, user, org })
  if (job !== undefined) await requireJobOfOrg({ payload, user: reader, job, org })
  const segments = await readOrgSegments({ payload, user: reader, org, ids: [...filterSegmentIDs(change), ...(filter.segment === undefined ? [] : [filter.segment])] })
  const matches = pickerFilterSql(filter, filter.segment === undefined ? undefined : segments.get(filter.segment), 2)
  const chosen = selectionStateSql(change, { job, segments }, 2 + matches.params.length)
  const base = [org, ...matches.params, ...chosen.params]
  return inTransaction(
    payload,
    async (client) => {
      await client.query(`SET LOCAL statement_timeout = ${SEARCH_TIMEOUT_MS}`)
      const { rows } = await client.query<{ id: number; name: string; email: string; reason: string | null; chosen: boolean }>(
        `SELECT c.id, btrim(concat_ws(' ', btrim(c.first_name), btrim(c.last_name))) AS name, c.email, s.reason, ${chosen.sql} AS chosen
           FROM contacts c
           LEFT JOIN LATERAL (SELECT reason::text AS reason FROM suppressions s
                               WHERE s.status = 'active' AND s.channel = 'email' AND s.address = lower(c.email) AND (s.org_id = $1 OR s.org_id IS NULL)
                               ORDER BY (s.org_id IS NULL), s.created_at LIMIT 1) s ON TRUE
          WHERE c.org_id = $1 AND ${matches.sql}
          ORDER BY c.first_name, c.id
          OFFSET ${offset} LIMIT ${limit}`,
        base,
      )
      const { rows: counted } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM contacts c WHERE c.org_id = $1 AND ${matches.sql} LIMIT ${MATCHING_COUNT_CAP + 1}) x`,
        [org, ...matches.params],
      )
      const matching = counted[0]!.n
      return {
        rows: rows.map((row) => [row.id, row.name, row.email, row.reason, row.chosen ? 1 : 0]),
        matching: Math.min(matching, MATCHING_COUNT_CAP),
        matchingCapped: matching > MATCHING_COUNT_CAP,
      }
    },
    'BEGIN READ ONLY',
  )
}
