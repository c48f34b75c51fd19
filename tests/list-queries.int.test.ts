import type { Payload } from 'payload'
import type { PoolClient } from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { COUNT_CAP } from '@/db/list-queries'

import { seedScaleContacts } from '../bench/lib/seed-scale'
import { type ApiClient, getTestPayload, loginAs } from './helpers/app'
import { makeUser, unique } from './helpers/fixtures'

/**
 * The large-list paths (src/db/list-queries.ts) give the same pages Payload's own queries would:
 * exact totals up to COUNT_CAP, estimates beyond, every row once when paging, the end of a long list
 * read from the end, tag filters and searches right, and tenant filters kept.
 */
let payload: Payload
let db: PoolClient
let org: number
let client: ApiClient
const N = COUNT_CAP + 2_000

const sql = async <T>(text: string, values: unknown[] = []) => (await db.query(text, values)).rows as T[]

beforeAll(async () => {
  payload = await getTestPayload()
  db = await (payload.db as unknown as { pool: { connect: () => Promise<PoolClient> } }).pool.connect()
  const created = await payload.create({ collection: 'organizations', data: { name: unique('Big Org'), slug: unique('big') } })
  org = created.id
  await seedScaleContacts(db, { org, count: N, tagsPer: 3, offset: 50_000_000 })
  await db.query('ANALYZE contacts; ANALYZE contacts_texts')
  const user = await makeUser(payload, [{ org, roles: ['viewer'] }])
  client = await loginAs(user.email, 'fixture-password')
})
afterAll(() => db?.release())

describe('large lists', () => {
  it('count exactly up to the cap and estimate beyond it; pages keep the requested order, ties by id', async () => {
    const all = await client.get('/contacts?depth=0&limit=20&sort=firstName')
    expect(all.status).toBe(200)
    expect(all.body.totalDocs).toBeGreaterThan(COUNT_CAP)
    // An estimate, rounded to two significant figures, close to the truth.
    expect(Math.abs(all.body.totalDocs - N) / N).toBeLessThan(0.15)
    expect(String(all.body.totalDocs)).toMatch(/^\d{2}0+$/)
    const expected = await sql<{ id: number }>('SELECT id FROM contacts WHERE org_id = $1 ORDER BY first_name, id LIMIT 20', [org])
    expect(all.body.docs.map((d: { id: number }) => d.id)).toEqual(expected.map((r) => r.id))
    // A filter under the cap is counted exactly.
    const tagged = await client.get('/contacts?depth=0&limit=5&where[tags][equals]=interest-3')
    const [{ n }] = await sql<{ n: number }>(`SELECT count(DISTINCT c.id)::int AS n FROM contacts c JOIN contacts_texts t ON t.parent_id = c.id AND t.path = 'tags' WHERE c.org_id = $1 AND t.text = 'interest-3'`, [org])
    expect(n).toBeGreaterThan(0)
    expect(n).toBeLessThanOrEqual(COUNT_CAP)
    expect(tagged.body.totalDocs).toBe(n)
    // The count endpoint follows the same rule.
    expect((await client.get('/contacts/count?where[tags][equals]=interest-3')).body.totalDocs).toBe(n)
  })

  it('paging through a filtered list returns every match exactly once, in order', async () => {
    const [{ n }] = await sql<{ n: number }>(`SELECT count(DISTINCT c.id)::int AS n FROM contacts c JOIN contacts_texts t ON t.parent_id = c.id AND t.path = 'tags' WHERE c.org_id = $1 AND t.text = 'interest-11'`, [org])
    const seen: number[] = []
    for (let page = 1; page <= Math.ceil(n / 250); page++) {
      const res = await client.get(`/contacts?depth=0&limit=250&page=${page}&sort=-lastName&where[tags][equals]=interest-11`)
      seen.push(...res.body.docs.map((d: { id: number }) => d.id))
    }
    const expected = await sql<{ id: number }>(
      `SELECT DISTINCT c.id, c.last_name FROM contacts c JOIN contacts_texts t ON t.parent_id = c.id AND t.path = 'tags' WHERE c.org_id = $1 AND t.text = 'interest-11' ORDER BY c.last_name DESC, c.id DESC`,
      [org],
    )
    expect(seen).toEqual(expected.map((r) => r.id))
  })

  it('the last page of a long list is its end, read from the other side', async () => {
    const first = await client.get('/contacts?depth=0&limit=10')
    const last = await client.get(`/contacts?depth=0&limit=10&page=${first.body.totalPages}`)
    expect(last.status).toBe(200)
    const oldest = await sql<{ id: number }>('SELECT id FROM contacts WHERE org_id = $1 ORDER BY created_at ASC, id ASC LIMIT 10', [org])
    // The page shows them in the list's own order (newest first).
    expect(last.body.docs.map((d: { id: number }) => d.id)).toEqual(oldest.map((r) => r.id).reverse())
    expect(last.body.hasNextPage).toBe(false)
  })

  it('a search by part of a name or address, and tenant filters, still hold', async () => {
    const [sample] = await sql<{ email: string }>('SELECT email FROM contacts WHERE org_id = $1 ORDER BY id DESC LIMIT 1', [org])
    const fragment = sample!.email.split('@')[0]!.slice(-6)
    const res = await client.get(`/contacts?depth=0&limit=50&where[or][0][email][like]=${encodeURIComponent(fragment)}&where[or][1][firstName][like]=${encodeURIComponent(fragment)}`)
    const expected = await sql<{ id: number }>(`SELECT id FROM contacts WHERE org_id = $1 AND (email ILIKE $2 OR first_name ILIKE $2) ORDER BY created_at DESC, id DESC LIMIT 50`, [org, `%${fragment}%`])
    expect(res.body.docs.map((d: { id: number }) => d.id)).toEqual(expected.map((r) => r.id))
    expect(res.body.totalDocs).toBe(expected.length)
    // A member of Demo Org sees none of them, however deep it pages.
    const outsider = await loginAs('admin@other.test')
    const theirs = await outsider.get(`/contacts?depth=0&limit=10&page=500&where[org][equals]=${org}`)
    expect(theirs.body.docs).toEqual([])
    expect(theirs.body.totalDocs).toBe(0)
  })
})
