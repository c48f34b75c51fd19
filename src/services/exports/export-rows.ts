import type { PoolClient } from 'pg'

import { compileSegmentRules } from '../audiences/compile-segment-rules'
import type { SegmentRules } from '../audiences/segment-rules'
import { phoneSql } from '../contacts/normalize-address'

export type ExportSource = { org: number; kind: 'contacts' } | { org: number; kind: 'segment'; rules: SegmentRules } | { org: number; kind: 'job'; job: number }

const PAGE = 5000

/** An address's active suppression for a channel (the org's, else the global list) as the consent column says it. */
const consent = (channel: 'email' | 'sms', address: string) =>
  `coalesce((SELECT 'suppressed (' || s.reason::text || ')' FROM suppressions s
              WHERE s.status = 'active' AND s.channel = '${channel}' AND s.address = ${address} AND (s.org_id = c.org_id OR s.org_id IS NULL)
              ORDER BY (s.org_id IS NULL) LIMIT 1), 'subscribed')`
const TAGS = `coalesce((SELECT string_agg(t.text, ', ' ORDER BY t."order") FROM contacts_texts t WHERE t.parent_id = c.id AND t.path = 'tags'), '')`
const iso = (column: string) => `coalesce(to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '')`

export const CONTACT_COLUMNS = ['email', 'first_name', 'last_name', 'phone', 'tags', 'email_consent', 'sms_consent', 'created_at', 'updated_at']
export const RECIPIENT_COLUMNS = ['email', 'first_name', 'last_name', 'status', 'excluded_reason', 'attempts', 'last_error', 'sent_at', 'delivered_at', 'failed_at', 'tags']

/**
 * The rows of an export, header first, read page by page in id order (a keyset, so memory stays flat
 * and a million rows cost the same per page): contacts (all, or a segment's) with their tags and
 * per-channel consent, or a job's recipients with their status. Cells are text.
 */
export async function* exportRows(client: Pick<PoolClient, 'query'>, source: ExportSource): AsyncGenerator<string[]> {
  if (source.kind === 'job') {
    yield RECIPIENT_COLUMNS
    let after = 0
    for (;;) {
      const { rows } = await client.query<{ id: number; cells: string[] }>(
        `SELECT r.id, ARRAY[r.email, coalesce(c.first_name, ''), coalesce(c.last_name, ''), r.status::text, coalesce(r.excluded_reason, ''), coalesce(r.attempts, 0)::text,
                coalesce(r.last_error, ''), ${iso('r.sent_at')}, ${iso('r.delivered_at')}, ${iso('r.failed_at')}, ${TAGS.replaceAll('c.id', 'r.contact_id')}] AS cells
           FROM email_recipients r LEFT JOIN contacts c ON c.id = r.contact_id
          WHERE r.job_id = $1 AND r.org_id = $2 AND r.id > $3 ORDER BY r.id LIMIT ${PAGE}`,
        [source.job, source.org, after],
      )
      for (const row of rows) yield row.cells
      if (rows.length < PAGE) return
      after = rows[rows.length - 1]!.id
    }
  }
  yield CONTACT_COLUMNS
  const segment = source.kind === 'segment' ? compileSegmentRules(source.rules, 3) : null
  let after = 0
  for (;;) {
    const { rows } = await client.query<{ id: number; cells: string[] }>(
      `SELECT c.id, ARRAY[c.email, coalesce(c.first_name, ''), coalesce(c.last_name, ''), coalesce(c.phone, ''), ${TAGS},
              ${consent('email', 'lower(c.email)')}, CASE WHEN coalesce(btrim(c.phone), '') = '' THEN 'no phone' ELSE ${consent('sms', phoneSql('c.phone'))} END,
              ${iso('c.created_at')}, ${iso('c.updated_at')}] AS cells
         FROM contacts c
        WHERE c.org_id = $1 AND c.id > $2 ${segment ? `AND ${segment.sql}` : ''}
        ORDER BY c.id LIMIT ${PAGE}`,
      [source.org, after, ...(segment?.params ?? [])],
    )
    for (const row of rows) yield row.cells
    if (rows.length < PAGE) return
    after = rows[rows.length - 1]!.id
  }
}
