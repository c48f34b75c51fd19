import type { PoolClient } from 'pg'

/** At most this many tags are offered (the picker's tag filter also takes any typed tag). */
export const MAX_LISTED_TAGS = 1000

/**
 * The tags an org's contacts carry, alphabetically, without reading every tag row of a million
 * contacts: it steps through the distinct values of the tag index (one probe each) and keeps those at
 * least one of the org's contacts carries (a probe that stops at the first).
 */
export const listOrgTags = async (client: Pick<PoolClient, 'query'>, org: number): Promise<string[]> => {
  const { rows } = await client.query<{ text: string }>(
    `WITH RECURSIVE d(text, n) AS (
       (SELECT text, 1 FROM contacts_texts WHERE text IS NOT NULL ORDER BY text LIMIT 1)
       UNION ALL
       SELECT (SELECT t.text FROM contacts_texts t WHERE t.text > d.text ORDER BY t.text LIMIT 1), d.n + 1 FROM d WHERE d.text IS NOT NULL AND d.n < 20000
     )
     SELECT d.text FROM d
      CROSS JOIN LATERAL (SELECT 1 FROM contacts_texts t JOIN contacts c ON c.id = t.parent_id
                           WHERE t.text = d.text AND t.path = 'tags' AND c.org_id = $1 LIMIT 1) carried
      WHERE d.text IS NOT NULL
      LIMIT ${MAX_LISTED_TAGS}`,
    [org],
  )
  return rows.map((row) => row.text)
}
