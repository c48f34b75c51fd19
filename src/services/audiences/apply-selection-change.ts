import type { PoolClient } from 'pg'

import { checkSelectionIDs } from './check-selection-ids'
import { pickerFilterSql } from './picker-filter-sql'
import type { SegmentRules } from './segment-rules'
import type { SelectionChange } from './selection-change'

/**
 * Applies a selection change, step by step, to a draft job's explicit selection on the caller's
 * connection (inside its transaction), and returns the selection's new size. Only contacts of the
 * job's org can be chosen: any other id is a 400 naming it, and nothing changes. `segments` holds the
 * rules of the filters' segments, already read as the user (readOrgSegments).
 */
export const applySelectionChange = async (
  client: Pick<PoolClient, 'query'>,
  { job, org, change, segments }: { job: number; org: number; change: SelectionChange; segments: ReadonlyMap<number, SegmentRules> },
): Promise<number> => {
  await checkSelectionIDs(client, org, change)
  const insertIDs = (ids: number[]) =>
    client.query(`INSERT INTO job_audience_contacts (job_id, contact_id) SELECT $1, id FROM unnest($2::int[]) AS chosen(id) ON CONFLICT DO NOTHING`, [job, ids])
  for (const step of change) {
    switch (step.op) {
      case 'set':
        await client.query('DELETE FROM job_audience_contacts WHERE job_id = $1', [job])
        if (step.ids.length) await insertIDs(step.ids)
        break
      case 'clear':
        await client.query('DELETE FROM job_audience_contacts WHERE job_id = $1', [job])
        break
      case 'add':
        if (step.ids.length) await insertIDs(step.ids)
        break
      case 'remove':
        if (step.ids.length) await client.query('DELETE FROM job_audience_contacts WHERE job_id = $1 AND contact_id = ANY($2::int[])', [job, step.ids])
        break
      case 'addMatching': {
        const filter = pickerFilterSql(step.filter, step.filter.segment === undefined ? undefined : segments.get(step.filter.segment), 3)
        await client.query(`INSERT INTO job_audience_contacts (job_id, contact_id) SELECT $1, c.id FROM contacts c WHERE c.org_id = $2 AND ${filter.sql} ON CONFLICT DO NOTHING`, [
          job,
          org,
          ...filter.params,
        ])
        break
      }
      case 'removeMatching': {
        const filter = pickerFilterSql(step.filter, step.filter.segment === undefined ? undefined : segments.get(step.filter.segment), 3)
        await client.query(`DELETE FROM job_audience_contacts s USING contacts c WHERE s.job_id = $1 AND c.id = s.contact_id AND c.org_id = $2 AND ${filter.sql}`, [
          job,
          org,
          ...filter.params,
        ])
        break
      }
    }
  }
  const { rows } = await client.query<{ count: number }>(
    `UPDATE email_jobs SET audience_selection_count = (SELECT count(*) FROM job_audience_contacts WHERE job_id = $1)::int WHERE id = $1 RETURNING audience_selection_count::int AS count`,
    [job],
  )
  return rows[0]?.count ?? 0
}
