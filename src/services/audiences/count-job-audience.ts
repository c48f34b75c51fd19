import type { Payload, PayloadRequest } from 'payload'

import { inTransaction } from '@/db/transaction'

import { requireContactsReader } from '../contacts/require-contacts-reader'
import { activeEmailSuppressionsSql } from '../sending/find-active-suppressions'
import { audienceSql } from './audience-sql'
import { cleanTags } from './load-job-audience'
import { readOrgSegments } from './read-org-segments'
import { requireJobOfOrg } from './require-job-of-org'
import { filterSegmentIDs, type SelectionChange } from './selection-change'
import { selectionStateSql } from './selection-state-sql'

type User = NonNullable<PayloadRequest['user']>

const COUNT_TIMEOUT_MS = 15_000

export type AudienceDraft = { all?: boolean; tags?: unknown; segments?: number[]; excludeTags?: unknown; excludeSegments?: number[] }
export type AudienceCount = { total: number; suppressed: number; selection: number }

/**
 * How many contacts a job's audience reaches as it is being edited (the form's values, its selection
 * with the unsaved `change` applied), and how many of them are suppressed (skipped at queueing); plus
 * the size of the explicit selection alone. Read as the user, like the rest of the form.
 */
export const countJobAudience = async ({
  payload,
  user,
  org,
  job,
  audience,
  change,
}: {
  payload: Payload
  user: User | null | undefined
  org: number
  job: number | undefined
  audience: AudienceDraft
  change: SelectionChange
}): Promise<AudienceCount> => {
  const reader = await requireContactsReader({ payload, user, org, action: 'count an audience' })
  if (job !== undefined) await requireJobOfOrg({ payload, user: reader, job, org })
  const include = [...new Set(audience.segments ?? [])]
  const exclude = [...new Set(audience.excludeSegments ?? [])]
  const segments = await readOrgSegments({ payload, user: reader, org, ids: [...include, ...exclude, ...filterSegmentIDs(change)] })
  const resolved = {
    all: Boolean(audience.all),
    tags: cleanTags(audience.tags),
    segments: include.map((id) => ({ id, rules: segments.get(id)! })),
    selection: true,
    excludeTags: cleanTags(audience.excludeTags),
    excludeSegments: exclude.map((id) => ({ id, rules: segments.get(id)! })),
  }
  const selection = (first: number) => selectionStateSql(change, { job, segments }, first)
  const who = audienceSql(resolved, { org, job, selection }, 2)
  const chosen = selection(2)
  return inTransaction(
    payload,
    async (client) => {
      await client.query(`SET LOCAL statement_timeout = ${COUNT_TIMEOUT_MS}`)
      const { rows } = await client.query<{ total: number; suppressed: number }>(
        `SELECT count(*)::int AS total, count(s.address)::int AS suppressed
           FROM contacts c LEFT JOIN ${activeEmailSuppressionsSql('$1')} s ON s.address = lower(c.email)
          WHERE c.org_id = $1 AND ${who.sql}`,
        [org, ...who.params],
      )
      const { rows: picked } = change.length
        ? await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM contacts c WHERE c.org_id = $1 AND ${chosen.sql}`, [org, ...chosen.params])
        : await client.query<{ n: number }>('SELECT count(*)::int AS n FROM job_audience_contacts WHERE job_id = $1', [job ?? 0])
      return { total: rows[0]!.total, suppressed: rows[0]!.suppressed, selection: picked[0]!.n }
    },
    'BEGIN READ ONLY',
  )
}
