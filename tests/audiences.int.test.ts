import type { Payload } from 'payload'
import type { PoolClient } from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'

import { type ApiClient, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeUser, unique } from './helpers/fixtures'
import { makeSendingOrg, type SendingOrg } from './helpers/send-fixtures'

/**
 * A job's audience (everyone, tags, saved segments, contacts chosen one by one, minus excluded tags and
 * segments), resolved once at queueing; segment rules of every kind, counted live; the explicit
 * selection changed in steps (no size cap: 20,000 contacts is what used to be a 500); the picker's
 * server search. All through REST as the org's members, against PostgreSQL.
 */
let payload: Payload
let fixture: SendingOrg
let org: number
let sender: ApiClient
const c: Record<string, number> = {}
const emailOf: Record<string, string> = {}

const query = async <T = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> =>
  (await (payload.db as unknown as { pool: { query: (sql: string, values: unknown[]) => Promise<{ rows: T[] }> } }).pool.query(sql, values)).rows

const days = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString()

beforeAll(async () => {
  payload = await getTestPayload()
  fixture = await makeSendingOrg(payload, {})
  org = fixture.org
  sender = fixture.sender
  const make = async (key: string, data: Record<string, unknown>) => {
    const email = `${key}-${unique('a')}@${(data.domain as string) ?? 'example.com'}`
    delete data.domain
    const contact = await makeContact(payload, org, { email, ...data })
    c[key] = contact.id
    emailOf[key] = contact.email
  }
  await make('ann', { firstName: 'Ann', lastName: 'Donor', tags: ['donor', 'vip'], phone: '+44 20 7946 0958' })
  await make('bob', { firstName: 'Bob', lastName: 'Giver', tags: ['donor'] })
  await make('cy', { firstName: 'Cy', lastName: 'Volunteer', tags: ['volunteer'], domain: 'corp.example' })
  await make('dee', { firstName: null, lastName: null, tags: [] })
  await make('eve', { firstName: 'Eve', lastName: 'Bounced', tags: ['donor'] })
  await make('fay', { firstName: 'Fay', lastName: 'Old', tags: ['vip'], phone: '+44 7700 900123' })
  // Fay joined long ago, Eve's address bounced, Fay's phone opted out of SMS.
  await query(`UPDATE contacts SET created_at = now() - interval '400 days' WHERE id = $1`, [c.fay])
  await payload.create({ collection: 'suppressions', data: { org, address: emailOf.eve!, reason: 'bounce', channel: 'email', status: 'active' } })
  await payload.create({ collection: 'suppressions', data: { org, address: '+44 7700 900123', reason: 'keyword', channel: 'sms', status: 'active' } })
  // Engagement: Ann was sent a job 3 days ago and opened it; Bob was sent one 40 days ago, opened 40 days ago and clicked.
  const [job] = await query<{ id: number }>(
    `INSERT INTO email_jobs (org_id, name, template_id, status, updated_at, created_at) VALUES ($1, 'past job', $2, 'completed', now(), now()) RETURNING id`,
    [org, fixture.template],
  )
  const recipient = async (key: string, sentDaysAgo: number) =>
    (await query<{ id: number }>(
      `INSERT INTO email_recipients (org_id, job_id, contact_id, email, status, sent_at, updated_at, created_at) VALUES ($1, $2, $3, $4, 'delivered', $5, now(), now()) RETURNING id`,
      [org, job!.id, c[key], emailOf[key], days(sentDaysAgo)],
    ))[0]!.id
  const event = (recipientID: number, type: string, daysAgo: number) =>
    query(
      `INSERT INTO webhook_events (org_id, provider, channel, event_i_d, type, occurred_at, received_at, payload, recipient_id) VALUES ($1, 'sendgrid', 'email', $2, $3, $4, now(), '{}', $5)`,
      [org, unique('ev'), type, days(daysAgo), recipientID],
    )
  await event(await recipient('ann', 3), 'open', 3)
  const bob = await recipient('bob', 40)
  await event(bob, 'open', 40)
  await event(bob, 'click', 40)
})

const countRules = (rules: unknown, client = sender) => client.post('/segments/count-rules', { org, rules })
const members = async (rules: unknown) => {
  const res = await countRules(rules)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body.count as number
}
const one = (condition: Record<string, unknown>) => ({ match: 'all', conditions: [condition] })

describe('segment rules', () => {
  it.each([
    ['tags: any of donor', one({ field: 'tags', op: 'any', values: ['donor'] }), ['ann', 'bob', 'eve']],
    ['tags: all of donor and vip', one({ field: 'tags', op: 'all', values: ['donor', 'vip'] }), ['ann']],
    ['tags: none of donor, vip', one({ field: 'tags', op: 'none', values: ['donor', 'vip'] }), ['cy', 'dee']],
    ['first name contains "a" (any case)', one({ field: 'firstName', op: 'contains', value: 'A' }), ['ann', 'fay']],
    ['first name is not "ann" (unnamed included)', one({ field: 'firstName', op: 'is_not', value: 'ann' }), ['bob', 'cy', 'dee', 'eve', 'fay']],
    ['first name is empty', one({ field: 'firstName', op: 'is_empty' }), ['dee']],
    ['last name starts with "vol"', one({ field: 'lastName', op: 'starts_with', value: 'vol' }), ['cy']],
    ['email ends with "@corp.example"', one({ field: 'email', op: 'ends_with', value: '@corp.example' }), ['cy']],
    ['email does not contain "corp"', one({ field: 'email', op: 'not_contains', value: 'corp' }), ['ann', 'bob', 'dee', 'eve', 'fay']],
    ['a "%" in a value is a literal, not a pattern', one({ field: 'email', op: 'contains', value: '%' }), []],
    ['phone is the number however it is written', one({ field: 'phone', op: 'is', value: '+44 (20) 7946-0958' }), ['ann']],
    ['phone is not empty', one({ field: 'phone', op: 'is_not_empty' }), ['ann', 'fay']],
    ['created more than 365 days ago', one({ field: 'createdAt', op: 'older_than_days', days: 365 }), ['fay']],
    ['created within 30 days', one({ field: 'createdAt', op: 'within_days', days: 30 }), ['ann', 'bob', 'cy', 'dee', 'eve']],
    ['created before a date', one({ field: 'createdAt', op: 'before', date: days(100).slice(0, 10) }), ['fay']],
    ['opened within 7 days', one({ field: 'engagement', op: 'opened_within', days: 7 }), ['ann']],
    ['clicked within 60 days', one({ field: 'engagement', op: 'clicked_within', days: 60 }), ['bob']],
    ['not opened within 7 days', one({ field: 'engagement', op: 'not_opened_within', days: 7 }), ['bob', 'cy', 'dee', 'eve', 'fay']],
    ['never opened', one({ field: 'engagement', op: 'never_opened' }), ['cy', 'dee', 'eve', 'fay']],
    ['suppressed for email', one({ field: 'suppressed', channel: 'email', op: 'is' }), ['eve']],
    ['suppressed for SMS', one({ field: 'suppressed', channel: 'sms', op: 'is' }), ['fay']],
    ['not suppressed for email', one({ field: 'suppressed', channel: 'email', op: 'is_not' }), ['ann', 'bob', 'cy', 'dee', 'fay']],
    ['last contacted within 7 days', one({ field: 'lastContacted', op: 'within_days', days: 7 }), ['ann']],
    ['not contacted within 30 days', one({ field: 'lastContacted', op: 'not_within_days', days: 30 }), ['bob', 'cy', 'dee', 'eve', 'fay']],
    ['never contacted', one({ field: 'lastContacted', op: 'never' }), ['cy', 'dee', 'eve', 'fay']],
    [
      'match all: donors who are not suppressed',
      { match: 'all', conditions: [{ field: 'tags', op: 'any', values: ['donor'] }, { field: 'suppressed', channel: 'email', op: 'is_not' }] },
      ['ann', 'bob'],
    ],
    ['match any: vip or volunteer', { match: 'any', conditions: [{ field: 'tags', op: 'any', values: ['vip'] }, { field: 'tags', op: 'any', values: ['volunteer'] }] }, ['ann', 'cy', 'fay']],
  ])('%s', async (_name, rules, expected) => {
    expect(await members(rules)).toBe(expected.length)
    // The same rules, saved, select exactly these contacts (listed through the members endpoint).
    const saved = await sender.post('/segments', { org, name: unique('seg'), rules })
    expect(saved.status, JSON.stringify(saved.body)).toBe(201)
    const listed = await sender.get(`/segments/${saved.body.doc.id}/members`)
    expect(listed.status).toBe(200)
    expect([...listed.body.ids].sort()).toEqual(expected.map((key) => c[key]).sort())
    expect((await sender.get(`/segments/${saved.body.doc.id}/count`)).body).toEqual({ count: expected.length })
  })

  it.each([
    [{ match: 'all', conditions: [] }, 'Add at least one condition.'],
    [one({ field: 'tags', op: 'any', values: [] }), 'Condition 1: Choose at least one tag.'],
    [one({ field: 'firstName', op: 'contains' }), 'Condition 1: Give a value to compare with.'],
    [one({ field: 'createdAt', op: 'before', date: '31/12/2026' }), 'Condition 1: Use a date like 2026-12-31.'],
    [one({ field: 'engagement', op: 'opened_within', days: 0 }), 'Condition 1: At least 1 day.'],
    [one({ field: 'engagement', op: 'opened_within', days: 1.5 }), 'Condition 1: Days are whole numbers.'],
    [one({ field: 'password', op: 'is', value: 'x' }), 'Condition 1:'],
    [one({ field: 'suppressed', channel: 'fax', op: 'is' }), 'Condition 1:'],
    ['not rules', 'expected object'],
  ])('refuses rules %j with a 400 naming the problem, and saves nothing', async (rules, problem) => {
    const res = await countRules(rules)
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).toContain(problem)
    const name = unique('bad')
    const saved = await sender.post('/segments', { org, name, rules })
    expect(saved.status).toBe(400)
    expect(JSON.stringify(saved.body.errors)).toContain(problem)
    expect((await payload.count({ collection: 'segments', where: { name: { equals: name } } })).totalDocs).toBe(0)
  })

  it('stores rules as checked (values trimmed) and refuses members of other orgs and roles without the right', async () => {
    const saved = await sender.post('/segments', { org, name: unique('seg'), rules: one({ field: 'tags', op: 'any', values: ['  donor  '] }) })
    expect(saved.status).toBe(201)
    expect(saved.body.doc.rules).toEqual(one({ field: 'tags', op: 'any', values: ['donor'] }))
    // A viewer counts and reads segments, but cannot make one.
    expect((await countRules(one({ field: 'tags', op: 'any', values: ['donor'] }), fixture.viewer)).body).toEqual({ count: 3 })
    expect((await fixture.viewer.post('/segments', { org, name: unique('seg'), rules: one({ field: 'tags', op: 'any', values: ['x'] }) })).status).toBe(403)
    // Another org's admin sees neither the segment, its count, its members nor this org's contacts through rules.
    const outsider = await loginAs('admin@other.test')
    expect((await outsider.get(`/segments/${saved.body.doc.id}/count`)).status).toBe(404)
    expect((await outsider.get(`/segments/${saved.body.doc.id}/members`)).status).toBe(404)
    expect([403, 404]).toContain((await countRules(one({ field: 'tags', op: 'any', values: ['donor'] }), outsider)).status)
    expect((await outsider.gql(`{ Segment(id: ${saved.body.doc.id}) { id } }`)).body.errors?.length).toBeGreaterThan(0)
  })
})

/** Creates a draft job with `data` (audience, contacts, selection) and queues it; the recipients' addresses. */
const queueWith = async (data: Record<string, unknown>) => {
  const created = await sender.post('/email-jobs', { name: unique('job'), org, template: fixture.template, ...data })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const id = created.body.doc.id as number
  const counted = await sender.post('/email-jobs/audience-count', { org, job: id, audience: created.body.doc.audience })
  const queued = await sender.post(`/email-jobs/${id}/queue`)
  expect(queued.status, JSON.stringify(queued.body)).toBe(200)
  const rows = await query<{ email: string; status: string }>('SELECT email, status FROM email_recipients WHERE job_id = $1 ORDER BY email', [id])
  // What the form showed before queueing is what was queued.
  expect(counted.body.total).toBe(rows.length)
  expect(counted.body.suppressed).toBe(rows.filter((row) => row.status === 'excluded').length)
  return { id, queued: queued.body, keys: rows.map((row) => Object.keys(emailOf).find((key) => emailOf[key] === row.email)).sort() }
}

describe('job audiences, resolved at queueing', () => {
  let donors: number
  let vips: number
  beforeAll(async () => {
    donors = (await sender.post('/segments', { org, name: unique('donors'), rules: one({ field: 'tags', op: 'any', values: ['donor'] }) })).body.doc.id
    vips = (await sender.post('/segments', { org, name: unique('vips'), rules: one({ field: 'tags', op: 'any', values: ['vip'] }) })).body.doc.id
  })

  it('everyone in the org (the suppressed one excluded with its reason)', async () => {
    const { keys, queued } = await queueWith({ audience: { all: true } })
    expect(keys).toEqual(['ann', 'bob', 'cy', 'dee', 'eve', 'fay'])
    expect(queued).toEqual(expect.objectContaining({ total: 6, pending: 5, excluded: 1 }))
  })

  it('one or more tags', async () => {
    expect((await queueWith({ audience: { tags: ['volunteer', 'vip'] } })).keys).toEqual(['ann', 'cy', 'fay'])
  })

  it('a saved segment', async () => {
    expect((await queueWith({ audience: { segments: [donors] } })).keys).toEqual(['ann', 'bob', 'eve'])
  })

  it('a union of tags, segments and chosen contacts, minus excluded tags and segments, each contact once', async () => {
    const { keys } = await queueWith({ audience: { tags: ['volunteer'], segments: [donors, vips], excludeTags: ['vip'] }, contacts: [c.dee, c.ann] })
    expect(keys).toEqual(['bob', 'cy', 'dee', 'eve'])
    expect((await queueWith({ audience: { all: true, excludeSegments: [donors] } })).keys).toEqual(['cy', 'dee', 'fay'])
  })

  it('a segment resolves when the job is queued, not when it was composed', async () => {
    const created = await sender.post('/email-jobs', { name: unique('job'), org, template: fixture.template, audience: { segments: [vips] } })
    const late = await makeContact(payload, org, { email: `late-${unique('l')}@example.com`, tags: ['vip'] })
    emailOf.late = late.email
    const queued = await sender.post(`/email-jobs/${created.body.doc.id}/queue`)
    expect(queued.body.total).toBe(3)
    await payload.delete({ collection: 'contacts', id: late.id })
    delete emailOf.late
  })

  it('nobody chosen is a 400 with a reason, and nothing is queued', async () => {
    const created = await sender.post('/email-jobs', { name: unique('job'), org, template: fixture.template, audience: { tags: ['nobody-has-this'] } })
    const res = await sender.post(`/email-jobs/${created.body.doc.id}/queue`)
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).toBe('The audience matches no contact now: nobody would receive this job. Change who it goes to.')
    expect((await payload.findByID({ collection: 'email-jobs', id: created.body.doc.id })).status).toBe('draft')
    const empty = await sender.post('/email-jobs', { name: unique('job'), org, template: fixture.template })
    const refused = await sender.post(`/email-jobs/${empty.body.doc.id}/queue`)
    expect(refused.status).toBe(400)
    expect(refused.body.errors[0].message).toBe('Choose who receives the job (contacts, tags, segments or everyone) before queueing.')
    expect((await payload.count({ collection: 'email-recipients', where: { job: { in: [created.body.doc.id, empty.body.doc.id] } } })).totalDocs).toBe(0)
  })

  it('a queued job keeps its audience: changing it afterwards is a 409', async () => {
    const { id } = await queueWith({ audience: { tags: ['vip'] } })
    for (const body of [{ audience: { tags: ['donor'] } }, { contacts: [c.bob] }, { selection: { add: [c.bob] } }]) {
      const res = await sender.patch(`/email-jobs/${id}`, body)
      expect(res.status, JSON.stringify(body)).toBe(409)
    }
  })
})

describe('the explicit selection', () => {
  const selectionOf = async (job: number) => (await query<{ contact_id: number }>('SELECT contact_id FROM job_audience_contacts WHERE job_id = $1 ORDER BY contact_id', [job])).map((row) => row.contact_id)

  it('changes in steps, applied in order: add, remove, add and remove everything matching a filter', async () => {
    const created = await sender.post('/email-jobs', { name: unique('job'), org, template: fixture.template, contacts: [c.ann, c.cy] })
    const id = created.body.doc.id as number
    expect(created.body.doc.audience.selectionCount).toBe(2)
    const step = async (selection: unknown) => {
      const res = await sender.patch(`/email-jobs/${id}`, { selection })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      return res.body.doc.audience.selectionCount as number
    }
    expect(await step({ add: [c.bob], remove: [c.cy] })).toBe(2)
    expect(await selectionOf(id)).toEqual([c.ann, c.bob].sort((a, b) => a! - b!))
    // "Select all matching" the tag, then drop one of them: the last step wins.
    expect(await step([{ addMatching: { tag: 'donor' } }, { remove: [c.eve] }])).toBe(2)
    expect(await step([{ remove: [c.ann] }, { addMatching: { search: 'ann donor' } }])).toBe(2)
    expect(await step({ addMatching: { segment: (await sender.post('/segments', { org, name: unique('s'), rules: one({ field: 'tags', op: 'any', values: ['vip'] }) })).body.doc.id } })).toBe(3)
    expect(await selectionOf(id)).toEqual([c.ann, c.bob, c.fay].sort((a, b) => a! - b!))
    expect(await step({ removeMatching: { search: 'giver' } })).toBe(2)
    expect((await sender.get(`/email-jobs/${id}/selection`)).body).toEqual({ count: 2, ids: [c.ann, c.fay].sort((a, b) => a! - b!) })
    expect(await step({ clear: true })).toBe(0)
  })

  it.each([
    [{ add: ['x1'] }, '`add`: "x1" is not a contact id.'],
    [{ add: [0] }, '`add`: "0" is not a contact id.'],
    [{ addMatching: {} }, 'A filter needs a search, a tag or a segment.'],
    [{ addMatching: { segment: 'abc' } }, '`segment` must be a segment id.'],
    [{ addMatching: { nope: 1 } }, 'The selection change is not valid'],
    [{ wipe: true }, 'The selection change is not valid'],
    ['everyone', 'The selection change is not valid'],
    [{ add: [999999999] }, 'These are not contacts of this organisation: 999999999.'],
  ])('a bad change %j is a 400 with the reason, and the selection stays as it was', async (selection, reason) => {
    const created = await sender.post('/email-jobs', { name: unique('job'), org, template: fixture.template, contacts: [c.ann] })
    const res = await sender.patch(`/email-jobs/${created.body.doc.id}`, { name: 'renamed', selection })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).toContain(reason)
    expect(await selectionOf(created.body.doc.id)).toEqual([c.ann])
    expect((await payload.findByID({ collection: 'email-jobs', id: created.body.doc.id })).name).not.toBe('renamed')
  })

  it('`contacts` must be a list of contact ids', async () => {
    const res = await sender.post('/email-jobs', { name: unique('job'), org, template: fixture.template, contacts: 'all' })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).toBe('`contacts` must be a list of contact ids.')
  })

  it('holds 20,000 contacts sent as one list of ids (the case that was a 500), and queues every one', async () => {
    const bulk = await makeSendingOrg(payload, {})
    const rows = await query<{ id: number }>(
      `INSERT INTO contacts (org_id, email, first_name, updated_at, created_at) SELECT $1, 'bulk-' || g || '@example.com', 'Bulk', now(), now() FROM generate_series(1, 20000) g RETURNING id`,
      [bulk.org],
    )
    const ids = rows.map((row) => row.id)
    const created = await bulk.sender.post('/email-jobs', { name: unique('job'), org: bulk.org, template: bulk.template, contacts: ids })
    expect(created.status, JSON.stringify(created.body).slice(0, 300)).toBe(201)
    expect(created.body.doc.audience.selectionCount).toBe(20_000)
    // The ids are not echoed back as a relationship array.
    expect(created.body.doc.contacts ?? null).toBeNull()
    const selection = await bulk.sender.get(`/email-jobs/${created.body.doc.id}/selection`)
    expect(selection.body.count).toBe(20_000)
    expect(selection.body.ids).toHaveLength(20_000)
    const queued = await bulk.sender.post(`/email-jobs/${created.body.doc.id}/queue`)
    expect(queued.status, JSON.stringify(queued.body)).toBe(200)
    expect(queued.body.total).toBe(20_000)
  })
})

describe('live counts and the picker search', () => {
  it('counts an audience being edited, with unsaved steps, before the job exists', async () => {
    const res = await sender.post('/email-jobs/audience-count', {
      org,
      audience: { tags: ['vip'], excludeTags: ['donor'] },
      change: [{ add: [c.eve, c.cy] }, { remove: [c.cy] }],
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    // Fay (vip, not donor) and Eve (chosen; a donor, so left out by the exclusion).
    expect(res.body).toEqual({ total: 1, suppressed: 0, selection: 1 })
    const all = await sender.post('/email-jobs/audience-count', { org, audience: { all: true } })
    expect(all.body).toEqual({ total: 6, suppressed: 1, selection: 0 })
  })

  it.each([
    [{ audience: { segments: ['x'] } }, '`segments`: "x" is not a segment id.'],
    [{ audience: { segments: [999999999] } }, 'There is no segment with id 999999999 in this organisation, or you cannot see it.'],
    [{ job: 'abc' }, '`job` must be an email job id.'],
    [{ change: { add: ['z'] } }, '`add`: "z" is not a contact id.'],
    [{ org: 'x' }, '`org` must be an organisation id.'],
  ])('a bad count request %j is a 400 with the reason', async (body, reason) => {
    const res = await sender.post('/email-jobs/audience-count', { org, ...body })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].message).toBe(reason)
  })

  it("another org's job, segment or org cannot be counted or searched", async () => {
    const outsider = await loginAs('admin@other.test')
    const job = (await sender.post('/email-jobs', { name: unique('job'), org, template: fixture.template, contacts: [c.ann] })).body.doc.id
    expect([403, 404]).toContain((await outsider.post('/email-jobs/audience-count', { org, audience: { all: true } })).status)
    expect([403, 404]).toContain((await outsider.post('/contacts/picker/search', { org, filter: {} })).status)
    const otherOrg = (await outsider.get('/organizations?limit=1')).body.docs[0].id
    const viaOwnOrg = await outsider.post('/email-jobs/audience-count', { org: otherOrg, job })
    expect(viaOwnOrg.status).toBe(404)
    expect(viaOwnOrg.body.errors[0].message).toBe('No such email job, or you cannot see it.')
  })

  it('searches on the server: words, tag and segment together, rows marked as the unsaved selection would be', async () => {
    const job = (await sender.post('/email-jobs', { name: unique('job'), org, template: fixture.template, contacts: [c.ann, c.bob] })).body.doc.id
    const search = async (filter: Record<string, unknown>, change: unknown = []) => {
      const res = await sender.post('/contacts/picker/search', { org, job, filter, change })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      return res.body as { rows: [number, string, string, string | null, number][]; matching: number; matchingCapped: boolean }
    }
    const donors = await search({ tag: 'donor' }, [{ remove: [c.bob] }, { add: [c.eve] }])
    expect(donors.matching).toBe(3)
    expect(donors.rows.map(([id, , , reason, chosen]) => [id, reason, chosen])).toEqual([
      [c.ann, null, 1],
      [c.bob, null, 0],
      [c.eve, 'bounce', 1],
    ])
    expect((await search({ search: 'DON ann' })).rows.map(([id, name]) => [id, name])).toEqual([[c.ann, 'Ann Donor']])
    expect((await search({ search: 'old', tag: 'vip' })).rows.map(([id]) => id)).toEqual([c.fay])
    expect((await search({ search: '100%' })).rows).toEqual([])
    // Unnamed contacts come last; paging goes on from an offset.
    const all = await search({})
    expect(all.rows.at(-1)![0]).toBe(c.dee)
    const page = await sender.post('/contacts/picker/search', { org, filter: {}, offset: 2, limit: 2 })
    expect(page.body.rows.map((row: number[]) => row[0])).toEqual(all.rows.slice(2, 4).map((row) => row[0]))
    for (const [body, reason] of [
      [{ limit: 501 }, '`limit` must be a whole number from 1 to 500.'],
      [{ offset: -1 }, '`offset` must be a whole number from 0 to 10000000.'],
      [{ filter: { search: 'x'.repeat(201) } }, 'A search is at most 200 characters.'],
      [{ filter: { colour: 'red' } }, 'The filter is not valid'],
    ] as const) {
      const res = await sender.post('/contacts/picker/search', { org, filter: {}, ...body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.errors[0].message).toContain(reason)
    }
  })

  it('above 50,000 contacts the picker endpoint hands over to the server search (with the org\'s tags), and a segment too large to list says so', async () => {
    const big = await makeSendingOrg(payload, {})
    await query(
      `WITH c AS (INSERT INTO contacts (org_id, email, updated_at, created_at) SELECT $1, 'big-' || g || '@example.com', now(), now() FROM generate_series(1, 50001) g RETURNING id)
       INSERT INTO contacts_texts ("order", parent_id, path, text) SELECT 1, id, 'tags', CASE WHEN id % 2 = 0 THEN 'even' ELSE 'odd' END FROM c`,
      [big.org],
    )
    const admin = await loginAs((await makeUser(payload, [{ org: big.org, roles: ['admin'] }])).email, 'fixture-password')
    const res = await admin.get(`/contacts/picker?org=${big.org}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ mode: 'server', total: 50_001, tags: ['even', 'odd'] })
    const segment = (await admin.post('/segments', { org: big.org, name: 'Everyone odd or even', rules: one({ field: 'tags', op: 'any', values: ['odd', 'even'] }) })).body.doc.id
    const listed = await admin.get(`/segments/${segment}/members`)
    expect(listed.status).toBe(409)
    expect(listed.body.errors[0].message).toBe('This segment has more than 50,000 contacts: choose it as the audience instead.')
    const found = await admin.post('/contacts/picker/search', { org: big.org, filter: { search: 'big-4000' } })
    expect(found.body.rows.map((row: unknown[]) => row[2]).sort()).toEqual(['big-4000@example.com', ...Array.from({ length: 10 }, (_, i) => `big-4000${i}@example.com`)].sort())
    const many = await admin.post('/contacts/picker/search', { org: big.org, filter: { tag: 'even' } })
    expect(many.body).toEqual(expect.objectContaining({ matching: 10_000, matchingCapped: true }))
    // "Select all matching" as one step: 25,000 contacts chosen without their ids leaving the server.
    const job = await admin.post('/email-jobs', { name: unique('job'), org: big.org, template: big.template, selection: { addMatching: { tag: 'even' } } })
    expect(job.status, JSON.stringify(job.body)).toBe(201)
    const [even] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM contacts_texts t JOIN contacts c ON c.id = t.parent_id WHERE c.org_id = $1 AND t.text = 'even'`, [big.org])
    expect(even!.n).toBeGreaterThan(20_000)
    expect(job.body.doc.audience.selectionCount).toBe(even!.n)
  })
})

describe('the database side', () => {
  it('the selection table refuses a contact twice and follows deletions', async () => {
    const created = await sender.post('/email-jobs', { name: unique('job'), org, template: fixture.template, contacts: [c.ann, c.ann, c.bob] })
    expect(created.body.doc.audience.selectionCount).toBe(2)
    const pool = (payload.db as unknown as { pool: { connect: () => Promise<PoolClient> } }).pool
    const client = await pool.connect()
    try {
      await expect(client.query('INSERT INTO job_audience_contacts (job_id, contact_id) VALUES ($1, $2)', [created.body.doc.id, c.ann])).rejects.toThrow(/duplicate key/)
    } finally {
      client.release()
    }
    await payload.delete({ collection: 'email-jobs', id: created.body.doc.id })
    expect(await query('SELECT 1 FROM job_audience_contacts WHERE job_id = $1', [created.body.doc.id])).toEqual([])
  })
})
