import type { SqlFragment } from './compile-segment-rules'
import { pickerFilterSql } from './picker-filter-sql'
import type { SegmentRules } from './segment-rules'
import type { SelectionChange } from './selection-change'

/**
 * Whether a contact `c` is in a job's explicit selection once `change` is applied to what is stored,
 * as one SQL condition (parameters from `$<first>` on): for a live count and for the picker's rows
 * before anything is saved. `job` undefined is a job not created yet (nothing stored).
 */
export const selectionStateSql = (
  change: SelectionChange,
  { job, segments }: { job: number | undefined; segments: ReadonlyMap<number, SegmentRules> },
  first: number,
): SqlFragment => {
  const params: unknown[] = []
  const param = (value: unknown) => {
    params.push(value)
    return `$${first + params.length - 1}`
  }
  const filter = (step: Extract<SelectionChange[number], { filter: unknown }>) => {
    const compiled = pickerFilterSql(step.filter, step.filter.segment === undefined ? undefined : segments.get(step.filter.segment), first + params.length)
    params.push(...compiled.params)
    return compiled.sql
  }
  let state = job === undefined ? 'FALSE' : `EXISTS (SELECT 1 FROM job_audience_contacts s WHERE s.job_id = ${param(job)} AND s.contact_id = c.id)`
  for (const step of change) {
    switch (step.op) {
      case 'set':
        state = `c.id = ANY(${param(step.ids)}::int[])`
        break
      case 'clear':
        state = 'FALSE'
        break
      case 'add':
        state = `(${state} OR c.id = ANY(${param(step.ids)}::int[]))`
        break
      case 'remove':
        state = `(${state} AND NOT c.id = ANY(${param(step.ids)}::int[]))`
        break
      case 'addMatching':
        state = `(${state} OR ${filter(step)})`
        break
      case 'removeMatching':
        state = `(${state} AND NOT ${filter(step)})`
        break
    }
  }
  return { sql: state, params }
}
