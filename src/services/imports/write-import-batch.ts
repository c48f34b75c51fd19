import type { PoolClient } from 'pg'

import { phoneSql } from '../contacts/normalize-address'
import { type SuppressionCandidate, suppressAddresses } from '../suppressions/suppress-addresses'
import type { ImportMode } from './import-definitions'
import type { ImportRow } from './normalize-import-row'

export type BatchOutcome = { kind: 'created' } | { kind: 'updated' } | { kind: 'skipped'; reason: string } | { kind: 'failed'; reason: string }

type Client = Pick<PoolClient, 'query'>
const TAGS_PER_CONTACT = 50

/** Tag rows of contacts, flattened for unnest: ids, tags, positions from 1. */
const flatten = (tagged: { id: number; tags: string[] }[]) => {
  const ids: number[] = []
  const tags: string[] = []
  const order: number[] = []
  for (const { id, tags: list } of tagged) list.forEach((tag, i) => (ids.push(id), tags.push(tag), order.push(i + 1)))
  return { ids, tags, order }
}

/** Tags of contacts just created: they carry none yet, so each goes in at its place. */
const addNewTags = async (client: Client, tagged: { id: number; tags: string[] }[]) => {
  const { ids, tags, order } = flatten(tagged)
  if (!ids.length) return
  await client.query(`INSERT INTO contacts_texts ("order", parent_id, path, text) SELECT ord, id, 'tags', tag FROM unnest($1::int[], $2::text[], $3::int[]) AS t(id, tag, ord)`, [ids, tags, order])
}

/** Adds tags to existing contacts (those they do not carry yet, after their last, at most 50 per contact). */
const addTags = async (client: Client, tagged: { id: number; tags: string[] }[]) => {
  const { ids, tags, order } = flatten(tagged)
  if (!ids.length) return
  await client.query(
    `INSERT INTO contacts_texts ("order", parent_id, path, text)
     SELECT n.base + n.rn, n.id, 'tags', n.tag FROM (
       SELECT t.id, t.tag, coalesce(m.top, 0) AS base, coalesce(m.n, 0) AS have,
              row_number() OVER (PARTITION BY t.id ORDER BY t.ord) AS rn
         FROM unnest($1::int[], $2::text[], $3::int[]) AS t(id, tag, ord)
         LEFT JOIN LATERAL (SELECT max(x."order") AS top, count(*) AS n FROM contacts_texts x WHERE x.parent_id = t.id AND x.path = 'tags') m ON TRUE
        WHERE NOT EXISTS (SELECT 1 FROM contacts_texts x WHERE x.parent_id = t.id AND x.path = 'tags' AND x.text = t.tag)
     ) n
     WHERE n.have + n.rn <= ${TAGS_PER_CONTACT}`,
    [ids, tags, order],
  )
}

const columns = (rows: ImportRow[]) => [rows.map((r) => r.email), rows.map((r) => r.firstName), rows.map((r) => r.lastName), rows.map((r) => r.phone)]

/** Create only (an existing address is skipped) or create-or-update by email (empty cells keep what is stored). */
const writeByEmail = async (client: Client, org: number, rows: ImportRow[], update: boolean): Promise<BatchOutcome[]> => {
  const { rows: written } = await client.query<{ i: number; id: number; inserted: boolean }>(
    `WITH input AS (
       SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS t(email, first_name, last_name, phone, i)
     ), written AS (
       INSERT INTO contacts AS c (org_id, email, first_name, last_name, phone, created_at, updated_at)
       SELECT $1, email, first_name, last_name, phone, now(), now() FROM input ORDER BY i
       ON CONFLICT (org_id, email) DO ${
         update
           ? `UPDATE SET first_name = coalesce(EXCLUDED.first_name, c.first_name), last_name = coalesce(EXCLUDED.last_name, c.last_name),
                         phone = coalesce(EXCLUDED.phone, c.phone), updated_at = now()`
           : 'NOTHING'
       }
       RETURNING c.id, c.email, (xmax = 0) AS inserted
     )
     SELECT i.i::int AS i, w.id, w.inserted FROM input i JOIN written w ON w.email = i.email`,
    [org, ...columns(rows)],
  )
  const outcomes: BatchOutcome[] = rows.map(() => ({ kind: 'skipped', reason: 'Already a contact (this import creates new contacts only): skipped.' }))
  const created: { id: number; tags: string[] }[] = []
  const updated: { id: number; tags: string[] }[] = []
  for (const row of written) {
    outcomes[row.i - 1] = { kind: row.inserted ? 'created' : 'updated' }
    const tags = rows[row.i - 1]!.tags
    if (tags.length) (row.inserted ? created : updated).push({ id: row.id, tags })
  }
  await addNewTags(client, created)
  await addTags(client, updated)
  return outcomes
}

/** Create-or-update by phone: contacts whose phone is this number are updated (their email stays); new ones need an email. */
const writeByPhone = async (client: Client, org: number, rows: ImportRow[]): Promise<BatchOutcome[]> => {
  const { rows: matched } = await client.query<{ i: number; id: number }>(
    `WITH input AS (
       SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS t(email, first_name, last_name, phone, i)
     )
     UPDATE contacts c SET first_name = coalesce(input.first_name, c.first_name), last_name = coalesce(input.last_name, c.last_name),
                           phone = input.phone, updated_at = now()
       FROM input
      WHERE c.org_id = $1 AND ${phoneSql('c.phone')} = input.phone
     RETURNING input.i::int AS i, c.id`,
    [org, ...columns(rows)],
  )
  const outcomes: (BatchOutcome | undefined)[] = rows.map(() => undefined)
  const tagged: { id: number; tags: string[] }[] = []
  for (const row of matched) {
    outcomes[row.i - 1] = { kind: 'updated' }
    if (rows[row.i - 1]!.tags.length) tagged.push({ id: row.id, tags: rows[row.i - 1]!.tags })
  }
  const fresh = rows.map((row, index) => ({ row, index })).filter(({ index }) => !outcomes[index])
  for (const { row, index } of fresh) if (!row.email) outcomes[index] = { kind: 'failed', reason: 'No contact has this phone number, and a new contact needs an email address.' }
  const creatable = fresh.filter(({ row }) => row.email)
  if (creatable.length) {
    const { rows: created } = await client.query<{ i: number; id: number }>(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[]) AS t(email, first_name, last_name, phone, i)
       ), written AS (
         INSERT INTO contacts (org_id, email, first_name, last_name, phone, created_at, updated_at)
         SELECT $1, email, first_name, last_name, phone, now(), now() FROM input
         ON CONFLICT (org_id, email) DO NOTHING
         RETURNING id, email
       )
       SELECT input.i, written.id FROM input JOIN written USING (email)`,
      [org, ...columns(creatable.map(({ row }) => row)), creatable.map(({ index }) => index)],
    )
    const fresh: { id: number; tags: string[] }[] = []
    for (const row of created) {
      outcomes[row.i] = { kind: 'created' }
      if (rows[row.i]!.tags.length) fresh.push({ id: row.id, tags: rows[row.i]!.tags })
    }
    for (const { index } of creatable) outcomes[index] ??= { kind: 'failed', reason: 'A contact with this email address already exists with another phone number: skipped.' }
    await addNewTags(client, fresh)
  }
  await addTags(client, tagged)
  return outcomes as BatchOutcome[]
}

/** Each row's address(es) added to the org's suppression list (audited each); one already there is skipped. */
const writeSuppressions = async (client: Client, org: number, rows: ImportRow[], actor: { id: number | null; label: string }, note: string): Promise<BatchOutcome[]> => {
  const candidates: SuppressionCandidate[] = rows.flatMap((row) => [
    ...(row.email ? [{ org, channel: 'email' as const, address: row.email, reason: 'manual' as const, status: 'active' as const, source: 'import', note }] : []),
    ...(row.phone ? [{ org, channel: 'sms' as const, address: row.phone, reason: 'manual' as const, status: 'active' as const, source: 'import', note }] : []),
  ])
  const created = await suppressAddresses(client as PoolClient, candidates, actor)
  const made = new Set(created.map((entry) => `${entry.channel}\n${entry.address}`))
  return rows.map((row) =>
    (row.email && made.has(`email\n${row.email}`)) || (row.phone && made.has(`sms\n${row.phone}`)) ? { kind: 'created' } : { kind: 'skipped', reason: 'Already on the suppression list: skipped.' },
  )
}

/**
 * Writes one batch of an import's rows (already normalised, each key once) on the caller's connection,
 * inside its transaction, in a few set-based statements, and says what became of each row.
 */
export const writeImportBatch = async (
  client: Client,
  { org, mode, rows, actor, note }: { org: number; mode: ImportMode; rows: ImportRow[]; actor: { id: number | null; label: string }; note: string },
): Promise<BatchOutcome[]> => {
  if (!rows.length) return []
  if (mode === 'create' || mode === 'upsert_email') return writeByEmail(client, org, rows, mode === 'upsert_email')
  if (mode === 'upsert_phone') return writeByPhone(client, org, rows)
  return writeSuppressions(client, org, rows, actor, note)
}
