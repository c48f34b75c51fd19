import { existsSync } from 'node:fs'

import { parse } from 'csv-parse/sync'
import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { exportFiles } from '@/services/exports/export-files'
import { runContactExport } from '@/services/exports/run-contact-export'
import { sweepExports } from '@/services/exports/sweep-exports'

import { type ApiClient, anonymous, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeUser, unique } from './helpers/fixtures'

/**
 * CSV export through REST: streamed at once up to a limit, or as an export job whose file members of
 * the org download until it expires; contacts with tags and per-channel consent, a segment's, a job's
 * recipients with their status; cells a spreadsheet would run as formulas escaped; read back with the
 * same CSV library.
 */
let payload: Payload
let org: number
let admin: ApiClient
let viewer: ApiClient
const ids: Record<string, number> = {}

const query = async <T = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> =>
  (await (payload.db as unknown as { pool: { query: (sql: string, values: unknown[]) => Promise<{ rows: T[] }> } }).pool.query(sql, values)).rows

const csvOf = (body: unknown) => parse(String(body), { bom: true, columns: true }) as Record<string, string>[]

beforeAll(async () => {
  payload = await getTestPayload()
  const slug = unique('export-org')
  org = (await payload.create({ collection: 'organizations', data: { name: slug, slug, postalAddress: '4 Export Way' } })).id
  admin = await loginAs((await makeUser(payload, [{ org, roles: ['admin'] }])).email, 'fixture-password')
  viewer = await loginAs((await makeUser(payload, [{ org, roles: ['viewer'] }])).email, 'fixture-password')
  ids.plain = (await makeContact(payload, org, { email: 'plain@example.com', firstName: 'Plain', lastName: 'Person', tags: ['donor', 'vip'], phone: '+44 20 7946 0958' })).id
  ids.formula = (await makeContact(payload, org, { email: 'formula@example.com', firstName: '=HYPERLINK("http://evil.example","x")', lastName: '+SUM(A1)' })).id
  ids.at = (await makeContact(payload, org, { email: 'at@example.com', firstName: '@cmd', lastName: '-2+3', tags: ['donor'] })).id
  ids.tab = (await makeContact(payload, org, { email: 'tab@example.com', firstName: '\tTabbed', lastName: 'Quote "and" comma, too' })).id
  await payload.create({ collection: 'suppressions', data: { org, address: 'at@example.com', reason: 'unsubscribe', channel: 'email', status: 'active' } })
  await payload.create({ collection: 'suppressions', data: { org, address: '+442079460958', reason: 'keyword', channel: 'sms', status: 'active' } })
})

const direct = (query: string, client = admin) => client.get(`/exports/direct?org=${org}&${query}`)

describe('direct export', () => {
  it('streams all contacts with tags and consent; formulas come back as text, everything else exactly', async () => {
    const res = await direct('kind=contacts')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/)
    const rows = csvOf(res.body)
    expect(Object.keys(rows[0]!)).toEqual(['email', 'first_name', 'last_name', 'phone', 'tags', 'email_consent', 'sms_consent', 'created_at', 'updated_at'])
    const byEmail = Object.fromEntries(rows.map((row) => [row.email, row]))
    expect(byEmail['plain@example.com']).toEqual(
      expect.objectContaining({ first_name: 'Plain', phone: "'+442079460958", tags: 'donor, vip', email_consent: 'subscribed', sms_consent: 'suppressed (keyword)' }),
    )
    expect(byEmail['plain@example.com']!.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    expect(byEmail['formula@example.com']).toEqual(expect.objectContaining({ first_name: '\'=HYPERLINK("http://evil.example","x")', last_name: "'+SUM(A1)", sms_consent: 'no phone' }))
    expect(byEmail['at@example.com']).toEqual(expect.objectContaining({ first_name: "'@cmd", last_name: "'-2+3", email_consent: 'suppressed (unsubscribe)' }))
    expect(byEmail['tab@example.com']).toEqual(expect.objectContaining({ first_name: "'\tTabbed", last_name: 'Quote "and" comma, too' }))
    expect(rows).toHaveLength(4)
    const audit = await query<{ summary: string }>(`SELECT summary FROM audit_logs WHERE org_id = $1 AND action = 'export.create' ORDER BY id DESC LIMIT 1`, [org])
    expect(audit[0]!.summary).toBe('Exported all contacts of the organisation (contacts, 4 rows) as CSV')
  })

  it("a segment's contacts, and a job's recipients with their status", async () => {
    const segment = (await admin.post('/segments', { org, name: 'Donors', rules: { match: 'all', conditions: [{ field: 'tags', op: 'any', values: ['donor'] }] } })).body.doc.id
    expect(csvOf((await direct(`kind=segment&segment=${segment}`)).body).map((row) => row.email).sort()).toEqual(['at@example.com', 'plain@example.com'])
    const template = await payload.create({ collection: 'email-templates', data: { org, name: unique('t'), subject: 'S', html: '<p>{{unsubscribe_link}}</p>', status: 'approved' } })
    const job = await payload.create({ collection: 'email-jobs', data: { org, name: 'Spring', template: template.id, status: 'draft', contacts: [ids.plain, ids.at] } as never })
    await query(
      `INSERT INTO email_recipients (org_id, job_id, contact_id, email, status, excluded_reason, attempts, last_error, sent_at, updated_at, created_at)
       VALUES ($1, $2, $3, 'plain@example.com', 'failed', NULL, 3, 'The receiving server said the mailbox is full.', '2026-12-01T10:00:00Z', now(), now()),
              ($1, $2, $4, 'at@example.com', 'excluded', 'unsubscribe', 0, NULL, NULL, now(), now())`,
      [org, job.id, ids.plain, ids.at],
    )
    const rows = csvOf((await direct(`kind=job&job=${job.id}`)).body)
    expect(rows.map((row) => [row.email, row.status, row.excluded_reason, row.attempts, row.last_error, row.sent_at, row.tags])).toEqual([
      ['plain@example.com', 'failed', '', '3', 'The receiving server said the mailbox is full.', '2026-12-01T10:00:00Z', 'donor, vip'],
      ['at@example.com', 'excluded', 'unsubscribe', '0', '', '', 'donor'],
    ])
  })

  it.each([
    ['kind=everything', 400, '`kind` must be one of: contacts, segment, job.'],
    ['kind=segment', 400, 'Choose the segment to export.'],
    ['kind=job', 400, 'Choose the email job whose recipients to export.'],
    ['kind=segment&segment=abc', 400, '`segment` must be an id.'],
    ['kind=segment&segment=999999999', 400, 'There is no segment with id 999999999 in this organisation, or you cannot see it.'],
    ['kind=job&job=999999999', 404, 'No such email job, or you cannot see it.'],
  ])('refuses %s with %i and a reason', async (params, status, message) => {
    const res = await direct(params)
    expect(res.status).toBe(status)
    expect(res.body.errors[0].message).toBe(message)
  })

  it('above EXPORT_DIRECT_MAX_ROWS it points to an export job; other orgs and anonymous callers get nothing', async () => {
    process.env.EXPORT_DIRECT_MAX_ROWS = '3'
    try {
      const res = await direct('kind=contacts')
      expect(res.status).toBe(409)
      expect(res.body.errors[0].message).toMatch(/^More than 3 rows: create an export job/)
    } finally {
      delete process.env.EXPORT_DIRECT_MAX_ROWS
    }
    const outsider = await loginAs('admin@other.test')
    const refused = await direct('kind=contacts', outsider)
    expect([403, 404]).toContain(refused.status)
    expect(String(refused.body)).not.toContain('plain@example.com')
    expect((await anonymous().get(`/exports/direct?org=${org}`)).status).toBe(401)
  })
})

describe('export jobs', () => {
  const runAll = () => payload.jobs.run({ queue: 'exports', limit: 10 })

  it('writes the file in the background; members download it until it expires, then it is gone', async () => {
    const created = await viewer.post('/exports', { org, source: { kind: 'contacts' } })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const id = created.body.doc.id as number
    expect(created.body.doc).toEqual(expect.objectContaining({ status: 'queued', fileName: expect.stringMatching(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/) }))
    expect((await viewer.get(`/exports/${id}/download`)).status).toBe(409)
    await runAll()
    const doc = (await viewer.get(`/exports/${id}`)).body
    expect(doc).toEqual(expect.objectContaining({ status: 'completed', rows: 4 }))
    expect(new Date(doc.expiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 3600_000)
    expect(JSON.stringify(doc)).not.toMatch(/storageKey|lease/)
    const download = await admin.get(`/exports/${id}/download`)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${doc.fileName}"`)
    expect(csvOf(download.body)).toEqual(csvOf((await direct('kind=contacts')).body))

    // Another org's admin cannot download it, list it or read it.
    const outsider = await loginAs('admin@other.test')
    expect((await outsider.get(`/exports/${id}/download`)).status).toBe(404)
    expect((await outsider.get(`/exports?where[id][equals]=${id}`)).body.totalDocs).toBe(0)
    expect((await outsider.gql(`{ Export(id: ${id}) { id } }`)).body.errors?.length).toBeGreaterThan(0)

    // A day later: 410, and the sweeper removes the file.
    const [{ storage_key: key }] = await query<{ storage_key: string }>('SELECT storage_key FROM exports WHERE id = $1', [id])
    expect(existsSync(exportFiles.pathOf(key))).toBe(true)
    await query(`UPDATE exports SET expires_at = now() - interval '1 minute' WHERE id = $1`, [id])
    const expired = await admin.get(`/exports/${id}/download`)
    expect(expired.status).toBe(410)
    expect(expired.body.errors[0].message).toBe('This export has expired (files are kept for a day): export again.')
    expect((await sweepExports({ payload })).expired).toBeGreaterThanOrEqual(1)
    expect(existsSync(exportFiles.pathOf(key))).toBe(false)
    expect((await admin.get(`/exports/${id}`)).body.status).toBe('expired')
  })

  it('a segment or job of another org cannot be the source; kinds and sources must match', async () => {
    const otherOrg = (await payload.find({ collection: 'organizations', where: { slug: { equals: 'other-org' } } })).docs[0]!.id
    const foreign = await payload.create({ collection: 'segments', data: { org: otherOrg, name: 'Theirs', rules: { match: 'all', conditions: [{ field: 'tags', op: 'any', values: ['x'] }] } } })
    const res = await admin.post('/exports', { org, source: { kind: 'segment', segment: foreign.id } })
    expect(res.status).toBe(400)
    expect(JSON.stringify(res.body.errors)).toMatch(/segment/)
    const mismatch = await admin.post('/exports', { org, source: { kind: 'contacts', segment: foreign.id } })
    expect(mismatch.status).toBe(400)
    const none = await admin.post('/exports', { org, source: { kind: 'segment' } })
    expect(none.status).toBe(400)
    expect(none.body.errors[0].message).toBe('Choose the segment to export.')
    expect((await query<{ n: number }>(`SELECT count(*)::int AS n FROM exports WHERE source_segment_id = $1`, [foreign.id]))[0]!.n).toBe(0)
    // Nothing of an export is edited as a document.
    const own = (await admin.post('/exports', { org, source: { kind: 'contacts' } })).body.doc.id
    expect((await admin.patch(`/exports/${own}`, { fileName: 'x.csv' })).status).toBe(403)
  })

  it('two workers on one export: one writes it, the other finds it taken', async () => {
    const id = (await admin.post('/exports', { org, source: { kind: 'contacts' } })).body.doc.id
    const results = await Promise.all([runContactExport({ payload, exportID: id }), runContactExport({ payload, exportID: id })])
    expect(results.sort()).toEqual(['busy', 'finished'])
    expect((await admin.get(`/exports/${id}`)).body).toEqual(expect.objectContaining({ status: 'completed', rows: 4 }))
  })
})
