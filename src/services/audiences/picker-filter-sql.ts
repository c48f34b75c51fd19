import { compileSegmentRules, type SqlFragment } from './compile-segment-rules'
import type { SegmentRules } from './segment-rules'
import type { PickerFilter } from './selection-change'

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (ch) => `\\${ch}`)

/**
 * The picker's filter as one SQL condition over `contacts c`, never NULL (it may be negated): each word
 * of the search in the name or the address (trigram indexes), a tag (the tag index), a segment's rules;
 * together they all apply. Parameters from `$<first>` on.
 */
export const pickerFilterSql = (filter: PickerFilter, segmentRules: SegmentRules | undefined, first: number): SqlFragment => {
  const params: unknown[] = []
  const param = (value: unknown) => {
    params.push(value)
    return `$${first + params.length - 1}`
  }
  const parts: string[] = []
  for (const word of (filter.search ?? '').split(/\s+/).filter(Boolean).slice(0, 5)) {
    const like = param(`%${escapeLike(word)}%`)
    parts.push(`(c.first_name ILIKE ${like} OR c.last_name ILIKE ${like} OR c.email ILIKE ${like})`)
  }
  if (filter.tag) parts.push(`EXISTS (SELECT 1 FROM contacts_texts t WHERE t.parent_id = c.id AND t.path = 'tags' AND t.text = ${param(filter.tag)})`)
  if (filter.segment !== undefined) {
    if (!segmentRules) throw new Error(`pickerFilterSql: the rules of segment ${filter.segment} were not read`)
    const compiled = compileSegmentRules(segmentRules, first + params.length)
    params.push(...compiled.params)
    parts.push(compiled.sql)
  }
  return { sql: parts.length ? `coalesce(${parts.join(' AND ')}, false)` : 'TRUE', params }
}
