import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { applyOptOutReply } from '@/services/suppressions/apply-opt-out-reply'
import { createUnsubscribeToken } from '@/services/unsubscribe/unsubscribe-token'

import { anonymous, type ApiClient, findOrgID, getTestPayload, loginAs } from './helpers/app'
import { unique } from './helpers/fixtures'

let payload: Payload
let demo: number
let admin: ApiClient
let approver: ApiClient
let sender: ApiClient
let outsider: ApiClient
let superAdmin: ApiClient

beforeAll(async () => {
  payload = await getTestPayload()
  demo = await findOrgID(payload, 'demo-org')
  ;[admin, approver, sender, outsider, superAdmin] = await Promise.all(
    ['admin@demo.test', 'approver@demo.test', 'sender@demo.test', 'admin@other.test', 'super@demo.test'].map((e) => loginAs(e)),
  )
})

const entriesFor = async (address: string) =>
  (await payload.find({ collection: 'suppressions', where: { address: { equals: address } }, depth: 0, sort: 'id' })).docs
const auditsFor = async (id: number) =>
  (await payload.find({ collection: 'audit-logs', where: { and: [{ targetCollection: { equals: 'suppressions' } }, { targetID: { equals: String(id) } }] }, depth: 0, sort: 'id' })).docs

describe('adding a pasted list', () => {
  it('adds every valid entry once, reports each invalid one, counts the already suppressed; audited', async () => {
    const [a, b, c] = [unique('pa'), unique('pb'), unique('pc')].map((x) => `${x}@example.com`) as [string, string, string]
    const pasted = `${a.toUpperCase()}\n  not an address \nBea Bee <${b}>; ${a}\r\n\n${c},`
    const first = await admin.post('/suppressions/bulk', { org: demo, channel: 'email', addresses: pasted, note: 'Old opt-out list from the paper forms' })
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    expect(first.body).toEqual({ created: 3, alreadySuppressed: 0, invalid: [{ value: 'not an address', reason: 'not a valid email address' }] })
    for (const address of [a, b, c]) {
      const [entry] = await entriesFor(address)
      expect(entry).toEqual(expect.objectContaining({ org: demo, reason: 'manual', status: 'active', source: 'pasted list', note: 'Old opt-out list from the paper forms' }))
      expect((await auditsFor(entry!.id)).map((x) => [x.action, x.actorLabel])).toEqual([['suppression.create', 'admin@demo.test']])
    }
    const again = await admin.post('/suppressions/bulk', { org: demo, addresses: `${a}\n${b}` })
    expect(again.body).toEqual({ created: 0, alreadySuppressed: 2, invalid: [] })
    expect(await entriesFor(a)).toHaveLength(1)
  })

  it('refuses what it cannot do, with a reason, and stores nothing', async () => {
    const address = `${unique('refused')}@example.com`
    const cases: [ApiClient | null, unknown, number, RegExp][] = [
      [sender, { org: demo, addresses: address }, 403, /cannot manage suppressions/],
      [outsider, { org: demo, addresses: address }, 403, /cannot manage suppressions/],
      [admin, { org: null, addresses: address }, 403, /super admin/],
      [null, { org: demo, addresses: address }, 401, /Log in/],
      [admin, { org: demo, addresses: 'nope\nstill nope' }, 400, /None of the 2 entries/],
      [admin, { org: demo, addresses: ' \n ,; ' }, 400, /at least one/],
      [admin, { org: demo, addresses: ['a@b.com'] }, 400, /must be text/],
      [admin, { org: demo, channel: 'fax', addresses: address }, 400, /channel/],
      [admin, { org: 'demo', addresses: address }, 400, /organisation id/],
      [admin, { org: true, addresses: address }, 400, /organisation id/],
      [superAdmin, { org: 1e12, addresses: address }, 400, /organisation id/],
      [superAdmin, { org: 999_999_999, addresses: address }, 404, /No such organisation/],
      [admin, { org: demo, addresses: Array.from({ length: 10_001 }, (_, i) => `x${i}@example.com`).join('\n') }, 400, /at most 10000/],
    ]
    for (const [client, body, status, message] of cases) {
      const response = await (client ?? anonymous()).post('/suppressions/bulk', body)
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status)
      expect(response.body.errors[0].message).toMatch(message)
    }
    // All invalid: each entry is still named with its reason.
    const allBad = await admin.post('/suppressions/bulk', { org: demo, addresses: 'nope\nstill nope' })
    expect(allBad.body.errors[0].details).toEqual({ invalid: [{ value: 'nope', reason: 'not a valid email address' }, { value: 'still nope', reason: 'not a valid email address' }] })
    // Roles that cannot manage suppressions cannot create one through the collection either.
    expect((await sender.post('/suppressions', { org: demo, address })).status).toBe(403)
    const notJSON = await admin.post('/suppressions/bulk', undefined, { raw: { type: 'text/plain', body: address } })
    expect(notJSON.status).toBe(415)
    expect(notJSON.body.errors[0].message).toMatch(/Send the body as JSON/)
    expect(await entriesFor(address)).toHaveLength(0)
    // A super admin adds to the global list.
    const global = await superAdmin.post('/suppressions/bulk', { org: null, addresses: address })
    expect(global.body.created).toBe(1)
    expect((await entriesFor(address))[0]!.org).toBeFalsy()
  })
})

describe('phone numbers', () => {
  it('are stored the same way however they are written, by the form, a pasted list and an opt-out reply', async () => {
    const digits = `+4477${String(Date.now()).slice(-8)}`
    const written = `${digits.slice(0, 3)} (${digits.slice(3, 6)}) ${digits.slice(6, 9)}-${digits.slice(9)}`
    const single = await admin.post('/suppressions', { org: demo, channel: 'sms', address: written })
    expect(single.status, JSON.stringify(single.body)).toBe(201)
    expect(single.body.doc.address).toBe(digits)
    expect((await admin.post('/suppressions', { org: demo, channel: 'sms', address: 'call me' })).status).toBe(400)
    // Another spelling of the same number is the same entry.
    const pasted = await admin.post('/suppressions/bulk', { org: demo, channel: 'sms', addresses: `${digits.replace(/(\d{3})/g, '$1 ')}\nnot a number` })
    expect(pasted.body).toEqual({ created: 0, alreadySuppressed: 1, invalid: [{ value: 'not a number', reason: 'not a valid phone number' }] })
    expect((await applyOptOutReply({ payload, org: demo, channel: 'sms', from: written, text: 'STOP' })).alreadySuppressed).toBe(true)
  })
})

describe('one active entry per address', () => {
  it('a second manual add of an active address is a 409 with a reason, through REST and GraphQL', async () => {
    const address = `${unique('dup')}@example.com`
    expect((await admin.post('/suppressions', { org: demo, address })).status).toBe(201)
    const rest = await admin.post('/suppressions', { org: demo, address: address.toUpperCase(), reason: 'bounce' })
    expect(rest.status).toBe(409)
    expect(rest.body.errors[0].message).toMatch(/already suppressed \(manual, entry \d+\)/)
    const gql = await admin.gql(`mutation($a: String!) { createSuppression(data: { org: ${demo}, address: $a, channel: email, reason: manual, status: active }) { id } }`, { a: address })
    expect(gql.body.errors?.[0]?.message, JSON.stringify(gql.body)).toMatch(/already suppressed/)
    expect(await entriesFor(address)).toHaveLength(1)
    // Lifted entries do not count: the address can be suppressed again.
    const [entry] = await entriesFor(address)
    expect((await admin.patch(`/suppressions/${entry!.id}`, { status: 'lifted', note: 'asked to be back' })).status).toBe(200)
    expect((await admin.post('/suppressions', { org: demo, address })).status).toBe(201)
    // Another org's entry for the same address is independent.
    const otherOrg = await findOrgID(payload, 'other-org')
    expect((await outsider.post('/suppressions', { org: otherOrg, address })).status).toBe(201)
  })

  it('ten simultaneous unsubscribes of one link make one suppression and one audit entry', async () => {
    const address = `${unique('race')}@example.com`
    const token = createUnsubscribeToken({ org: demo, address, channel: 'email' })
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => anonymous().post(`/unsubscribe/${token}`, undefined, { raw: { type: 'application/x-www-form-urlencoded', body: 'List-Unsubscribe=One-Click' } })),
    )
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200))
    expect(responses.filter((r) => String(r.body).includes('already unsubscribed'))).toHaveLength(9)
    const entries = await entriesFor(address)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toEqual(expect.objectContaining({ reason: 'unsubscribe', status: 'active', source: 'unsubscribe link' }))
    expect((await auditsFor(entries[0]!.id)).map((a) => [a.action, a.actorLabel])).toEqual([['suppression.create', 'unsubscribe link']])
  })
})

describe('the review queue', () => {
  const candidate = async (address = `${unique('review')}@example.com`) => {
    const created = await admin.post('/suppressions', { org: demo, address, reason: 'bounce', status: 'pending_review', source: 'sendgrid webhook', note: 'blocked: 421' })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    return created.body.doc as { id: number; address: string }
  }

  it('an approver confirms a candidate: it becomes active, audited; deciding twice is a 409', async () => {
    const entry = await candidate()
    const confirmed = await approver.post(`/suppressions/${entry.id}/confirm`, {})
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200)
    expect(confirmed.body).toEqual({ id: entry.id, status: 'active', note: 'blocked: 421' })
    expect((await auditsFor(entry.id)).map((a) => [a.action, a.actorLabel])).toEqual([
      ['suppression.create', 'admin@demo.test'],
      ['suppression.confirm', 'approver@demo.test'],
    ])
    const twice = await approver.post(`/suppressions/${entry.id}/dismiss`, { note: 'changed my mind' })
    expect(twice.status).toBe(409)
    expect(twice.body.errors[0].message).toMatch(/is active, not waiting for review/)
  })

  it('dismissing needs a reason and lifts the candidate; confirming one already suppressed closes it as a duplicate', async () => {
    const entry = await candidate()
    const noReason = await admin.post(`/suppressions/${entry.id}/dismiss`, {})
    expect(noReason.status).toBe(400)
    expect(noReason.body.errors[0].message).toMatch(/Say why/)
    const dismissed = await admin.post(`/suppressions/${entry.id}/dismiss`, { note: 'Temporary block at their provider.' })
    expect(dismissed.body).toEqual({ id: entry.id, status: 'lifted', note: 'Temporary block at their provider.' })
    expect((await auditsFor(entry.id)).map((a) => a.action)).toEqual(['suppression.create', 'suppression.dismiss'])

    const address = `${unique('both')}@example.com`
    const pending = await candidate(address)
    expect((await admin.post('/suppressions', { org: demo, address, reason: 'spamreport' })).status).toBe(201)
    const confirmed = await approver.post(`/suppressions/${pending.id}/confirm`, {})
    expect(confirmed.body).toEqual(expect.objectContaining({ status: 'lifted', note: 'Confirmed; the address was already suppressed.' }))
    expect((await entriesFor(address)).map((e) => e.status).sort()).toEqual(['active', 'lifted'])
  })

  it('senders cannot decide, other orgs cannot see the candidate, and ids that are no ids are 404', async () => {
    const entry = await candidate()
    const bySender = await sender.post(`/suppressions/${entry.id}/confirm`, {})
    expect(bySender.status).toBe(403)
    expect(bySender.body.errors[0].message).toMatch(/cannot review/)
    expect((await outsider.post(`/suppressions/${entry.id}/confirm`, {})).status).toBe(404)
    expect((await anonymous().post(`/suppressions/${entry.id}/confirm`, {})).status).toBe(401)
    for (const id of ['abc', '1e3', '99999999999', '-1']) expect((await admin.post(`/suppressions/${id}/confirm`, {})).status).toBe(404)
    // Reading the queue: another org sees nothing through REST or GraphQL.
    const rest = await outsider.get(`/suppressions?where[id][equals]=${entry.id}`)
    expect(rest.body.totalDocs).toBe(0)
    const gql = await outsider.gql(`query($id: Int) { Suppressions(where: { id: { equals: $id } }) { totalDocs } }`, { id: entry.id })
    expect(gql.body.data?.Suppressions.totalDocs).toBe(0)
    expect((await payload.findByID({ collection: 'suppressions', id: entry.id, depth: 0 })).status).toBe('pending_review')
  })
})

describe('opt-out replies (the service inbound handling calls)', () => {
  it("an exact keyword suppresses at once, a fuzzy one goes to review, an ordinary reply does nothing; the org's own keywords win", async () => {
    const phone = `+4477009${String(Date.now()).slice(-5)}`
    const exact = await applyOptOutReply({ payload, org: demo, channel: 'sms', from: phone, text: ' Stop! ' })
    expect(exact).toEqual(expect.objectContaining({ match: { kind: 'exact', keyword: 'STOP' }, alreadySuppressed: false }))
    expect(exact.suppression?.status).toBe('active')
    const [entry] = await entriesFor(phone)
    expect(entry).toEqual(expect.objectContaining({ reason: 'keyword', channel: 'sms', status: 'active', source: 'sms reply', note: 'Replied "STOP".' }))
    expect((await applyOptOutReply({ payload, org: demo, channel: 'sms', from: phone, text: 'STOP' })).alreadySuppressed).toBe(true)

    const email = `${unique('reply')}@example.com`
    const fuzzy = await applyOptOutReply({ payload, org: demo, channel: 'email', from: email, text: 'Please take me off your list.\n\nOn Mon, 2 Nov 2026, News <news@demo.test> wrote:\n> Hello' })
    expect(fuzzy.match.kind).toBe('fuzzy')
    expect(fuzzy.suppression?.status).toBe('pending_review')
    expect((await entriesFor(email))[0]!.note).toMatch(/take me off/)
    const none = await applyOptOutReply({ payload, org: demo, channel: 'email', from: `x${email}`, text: 'Thanks, see you Tuesday' })
    expect(none).toEqual({ match: { kind: 'none' }, suppression: null, alreadySuppressed: false })
    expect(await entriesFor(`x${email}`)).toHaveLength(0)

    const other = await findOrgID(payload, 'other-org')
    await payload.update({ collection: 'organizations', id: other, data: { optOutKeywords: { sms: ['ARRET'] } } })
    const custom = await applyOptOutReply({ payload, org: other, channel: 'sms', from: phone, text: 'arrêt' })
    expect(custom.match).toEqual({ kind: 'exact', keyword: 'ARRET' })
    await expect(applyOptOutReply({ payload, org: demo, channel: 'email', from: 'no address', text: 'STOP' })).rejects.toThrow(/not a valid email/)
  })
})
