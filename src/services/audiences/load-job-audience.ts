import type { Payload, PayloadRequest } from 'payload'

import { relationID } from '@/access/orgAccess'
import type { EmailJob } from '@/payload-types'

import type { JobAudience } from './audience-sql'
import { readOrgSegments } from './read-org-segments'

type User = NonNullable<PayloadRequest['user']>

const idsOf = (refs: unknown[] | null | undefined): number[] => [
  ...new Set((refs ?? []).map((ref) => Number(relationID(ref as never))).filter((id) => Number.isInteger(id) && id > 0)),
]

/** A list of tags as typed: trimmed, blanks dropped, each once. */
export const cleanTags = (values: unknown): string[] =>
  Array.isArray(values) ? [...new Set(values.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()))] : []

/**
 * A job's audience as queueing resolves it: its tags and selection, and the rules of its segments read
 * as the user (each must still be a segment of the job's org with valid rules, else a 400 naming it).
 */
export const loadJobAudience = async ({ payload, user, job }: { payload: Payload; user: User; job: Pick<EmailJob, 'org' | 'audience'> }): Promise<JobAudience> => {
  const org = Number(relationID(job.org))
  const audience = job.audience ?? {}
  const include = idsOf(audience.segments)
  const exclude = idsOf(audience.excludeSegments)
  const rules = await readOrgSegments({ payload, user, org, ids: [...include, ...exclude] })
  return {
    all: Boolean(audience.all),
    tags: cleanTags(audience.tags),
    segments: include.map((id) => ({ id, rules: rules.get(id)! })),
    selection: Number(audience.selectionCount ?? 0) > 0,
    excludeTags: cleanTags(audience.excludeTags),
    excludeSegments: exclude.map((id) => ({ id, rules: rules.get(id)! })),
  }
}
