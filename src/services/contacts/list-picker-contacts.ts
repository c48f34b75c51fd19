import type { Payload, PayloadRequest } from 'payload'

import { inTransaction } from '@/db/transaction'

import { activeEmailSuppressionsSql } from '../sending/find-active-suppressions'
import { listOrgTags } from './list-org-tags'
import { requireContactsReader } from './require-contacts-reader'

/** Up to this many contacts, the picker loads them all and filters in the browser; above, it asks the server. */
export const PICKER_LOCAL_LIMIT = 50_000

/** One contact as the recipient picker needs it: `[id, name, email, suppressionReason | null, tag indexes]`. */
export type PickerContact = [id: number, name: string, email: string, suppressedBecause: string | null, tags: number[]]

/** How the picker sorts: by name (unnamed last), then address, then id. */
export const PICKER_ORDER = `(coalesce(c.first_name, '') = '' AND coalesce(c.last_name, '') = ''), lower(concat_ws(' ', c.first_name, c.last_name)), c.email, c.id`
/** A contact's display name in SQL: first and last name, trimmed. */
export const PICKER_NAME = `btrim(concat_ws(' ', btrim(c.first_name), btrim(c.last_name)))`

/**
 * The recipient picker's data for one org, as JSON text. Up to PICKER_LOCAL_LIMIT contacts:
 * `{"mode":"local","tags":[…],"contacts":[PickerContact…]}`, every contact with its active suppression
 * (org or global) and its tags as indexes into `tags`, sorted as PICKER_ORDER; PostgreSQL writes the
 * JSON itself (for 50,000 contacts that spares the app server parsing and serialising them again).
 * Above: `{"mode":"server","total":N,"tags":[…]}`, and the picker searches on the server
 * (searchPickerContacts). The user must see the org through Payload's access control and read contacts.
 */
export const listPickerContactsJSON = async ({ payload, req, org }: { payload: Payload; req: Pick<PayloadRequest, 'user'>; org: number }): Promise<string> => {
  await requireContactsReader({ payload, user: req.user, org })
  return inTransaction(
    payload,
    async (client) => {
      const { rows: sized } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM contacts WHERE org_id = $1 LIMIT ${PICKER_LOCAL_LIMIT + 1}) x`, [org])
      if (sized[0]!.n > PICKER_LOCAL_LIMIT) {
        const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM contacts WHERE org_id = $1', [org])
        return JSON.stringify({ mode: 'server', total: rows[0]!.n, tags: await listOrgTags(client, org) })
      }
      // Room to sort 50,000 rows in memory rather than on disk.
      await client.query(`SET LOCAL work_mem = '64MB'`)
      const { rows } = await client.query<{ json: string }>(
        `WITH tag_rows AS (
           SELECT t.parent_id, t.text, t."order" FROM contacts_texts t JOIN contacts c ON c.id = t.parent_id
            WHERE c.org_id = $1 AND t.path = 'tags' AND t.text IS NOT NULL
         ), dict AS (
           SELECT text, (row_number() OVER (ORDER BY text) - 1)::int AS i FROM (SELECT DISTINCT text FROM tag_rows) d
         ), contact_tags AS (
           SELECT r.parent_id, string_agg(d.i::text, ',' ORDER BY r."order") AS idxs FROM tag_rows r JOIN dict d USING (text) GROUP BY r.parent_id
         )
         SELECT '{"mode":"local","tags":' || (SELECT coalesce(json_agg(text ORDER BY i), '[]')::text FROM dict) || ',"contacts":[' || coalesce(string_agg(
                  format('[%s,%s,%s,%s,[%s]]', c.id, to_json(${PICKER_NAME}), to_json(c.email), coalesce(to_json(s.reason)::text, 'null'), coalesce(ct.idxs, '')),
                  ',' ORDER BY ${PICKER_ORDER}
                ), '') || ']}' AS json
           FROM contacts c
           LEFT JOIN ${activeEmailSuppressionsSql('$1')} s ON s.address = lower(c.email)
           LEFT JOIN contact_tags ct ON ct.parent_id = c.id
          WHERE c.org_id = $1`,
        [org],
      )
      return rows[0]!.json
    },
    'BEGIN READ ONLY',
  )
}
