import { compileSegmentRules, type SqlFragment } from './compile-segment-rules'
import type { SegmentRules } from './segment-rules'

/**
 * Who a job is for: the union of its includes (everyone, contacts with any of some tags, the members
 * of saved segments, and the explicit selection kept in `job_audience_contacts`), minus its excludes
 * (tags, segments). Resolved once, in SQL, when the job is queued.
 */
export type JobAudience = {
  all: boolean
  tags: string[]
  segments: { id: number; rules: SegmentRules }[]
  selection: boolean
  excludeTags: string[]
  excludeSegments: { id: number; rules: SegmentRules }[]
}

export const isEmptyAudience = (audience: JobAudience) => !audience.all && !audience.tags.length && !audience.segments.length && !audience.selection

/**
 * The audience as one SQL condition over `contacts c`, with its parameters from `$<first>` on: the org,
 * the job (for its stored selection, or `selection` for one being edited: selectionStateSql), tags as
 * arrays, segment rules compiled (compileSegmentRules).
 */
export const audienceSql = (
  audience: JobAudience,
  { org, job, selection }: { org: number; job: number | undefined; selection?: (first: number) => SqlFragment },
  first = 1,
): SqlFragment => {
  const params: unknown[] = []
  const param = (value: unknown) => {
    params.push(value)
    return `$${first + params.length - 1}`
  }
  const fragment = ({ sql, params: values }: SqlFragment) => {
    params.push(...values)
    return sql
  }
  const tagged = (tags: string[]) => `EXISTS (SELECT 1 FROM contacts_texts t WHERE t.parent_id = c.id AND t.path = 'tags' AND t.text = ANY(${param([...new Set(tags)])}::text[]))`
  const segment = (rules: SegmentRules) => fragment(compileSegmentRules(rules, first + params.length))

  const orgCondition = `c.org_id = ${param(org)}`
  const include: string[] = []
  if (audience.all) include.push('TRUE')
  else {
    if (audience.tags.length) include.push(tagged(audience.tags))
    for (const { rules } of audience.segments) include.push(segment(rules))
    if (selection) include.push(fragment(selection(first + params.length)))
    else if (audience.selection && job !== undefined) include.push(`EXISTS (SELECT 1 FROM job_audience_contacts s WHERE s.job_id = ${param(job)} AND s.contact_id = c.id)`)
  }
  const exclude: string[] = []
  if (audience.excludeTags.length) exclude.push(tagged(audience.excludeTags))
  for (const { rules } of audience.excludeSegments) exclude.push(segment(rules))
  // An exclusion that is NULL for a contact (a rule on an empty field) leaves the contact in.
  const sql = [orgCondition, include.length ? `(${include.join(' OR ')})` : 'FALSE', ...exclude.map((part) => `NOT coalesce(${part}, false)`)].join(' AND ')
  return { sql, params }
}
