import type { PoolClient } from 'pg'

/** The tag vocabulary of the scale data: a few common tags and a long tail, as real lists have. */
export const SCALE_TAGS = [
  'donor', 'volunteer', 'newsletter', 'member', 'event-2026', 'event-2025', 'board', 'press', 'partner', 'alumni',
  ...Array.from({ length: 40 }, (_, i) => `interest-${i + 1}`),
]

const FIRST = ['Ada', 'Ben', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jamal', 'Keiko', 'Luca', 'Maya', 'Nils', 'Olga', 'Pablo', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Umar', 'Vera', 'Wei', 'Ximena', 'Yusuf', 'Zoe']
const LAST = ['Adams', 'Brown', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ivanov', 'Jones', 'Kim', 'Lopez', 'Müller', 'Nguyen', 'Okafor', 'Patel', 'Quist', 'Rossi', 'Silva', 'Tanaka', 'Usman', 'Vogel', 'Wang', 'Xu', 'Yilmaz', 'Zhou']

const sqlArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`

/**
 * Contacts for one org in bulk SQL (generate_series; a million in well under a minute): names from
 * small lists, unique addresses, a phone for two in three, creation dates spread over two years, and
 * on average `tagsPer` tags each from SCALE_TAGS (the first ones far more common).
 */
export const seedScaleContacts = async (db: PoolClient, { org, count, tagsPer = 10, offset = 0 }: { org: number; count: number; tagsPer?: number; offset?: number }) => {
  const before = Number((await db.query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM contacts')).rows[0]!.id)
  await db.query(
    `INSERT INTO contacts (org_id, first_name, last_name, email, phone, created_at, updated_at)
     SELECT $1,
            (${sqlArray(FIRST)})[1 + (g * 7) % ${FIRST.length}],
            (${sqlArray(LAST)})[1 + (g * 13) % ${LAST.length}],
            lower((${sqlArray(FIRST)})[1 + (g * 7) % ${FIRST.length}]) || '.' || g || '@' || (ARRAY['example.com','mail.example.org','post.example.net'])[1 + g % 3],
            CASE WHEN g % 3 = 0 THEN NULL ELSE '+4420' || lpad((7000000 + g % 999999)::text, 8, '0') END,
            now() - make_interval(secs => ((g::bigint * 63) % (2 * 365 * 86400))::float8),
            now() - make_interval(secs => ((g::bigint * 17) % (30 * 86400))::float8)
       FROM generate_series($2::int + 1, $2::int + $3::int) g`,
    [org, offset, count],
  )
  if (tagsPer <= 0) return
  // Each contact gets between 0 and 2 × tagsPer distinct tags; the vocabulary's head is picked far more often.
  await db.query(
    `INSERT INTO contacts_texts ("order", parent_id, path, text)
     SELECT row_number() OVER (PARTITION BY c.id ORDER BY t.tag), c.id, 'tags', t.tag
       FROM contacts c
       CROSS JOIN LATERAL (
         SELECT DISTINCT (${sqlArray(SCALE_TAGS)})[1 + ((c.id * 31 + n * n * 7) % (CASE WHEN n <= 3 THEN 10 ELSE ${SCALE_TAGS.length} END))] AS tag
           FROM generate_series(1, c.id % ($2::int * 2 + 1)) n
       ) t
      WHERE c.org_id = $1 AND c.id > $3`,
    [org, tagsPer, before],
  )
}
