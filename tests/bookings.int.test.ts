import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { anonymous, type ApiClient, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeUser, unique } from './helpers/fixtures'

/**
 * Bookings through REST as the org's staff: the rules of a save (end after start, a time zone, a staff
 * member of the org, https video links, attendees with a contact or an address), overlaps of one staff
 * member refused until "Book anyway", rescheduling and cancelling with the iCalendar SEQUENCE, and the
 * role table. Tenant isolation is proven for every collection by isolation.int.test.ts.
 */
let payload: Payload
let org: number
let otherOrg: number
let sender: ApiClient
let viewer: ApiClient
let senderID: number
let outsiderID: number
let contact: number

const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2027, 1, day, hour, minute)).toISOString()
const errorsOf = (res: { body: { errors?: { message: string; data?: { errors?: { path: string; message: string }[] } }[] } }) =>
  (res.body.errors ?? []).flatMap((e) => e.data?.errors?.map((f) => `${f.path}: ${f.message}`) ?? [e.message])

beforeAll(async () => {
  payload = await getTestPayload()
  const make = async (slug: string, extra: Record<string, unknown> = {}) => (await payload.create({ collection: 'organizations', data: { name: slug, slug: unique(slug), postalAddress: '1 Quay', ...extra } as never })).id
  org = await make('bookings', { timeZone: 'America/New_York' })
  otherOrg = await make('bookings-other')
  const password = 'fixture-password'
  const senderUser = await makeUser(payload, [{ org, roles: ['sender'] }], { password })
  senderID = senderUser.id
  sender = await loginAs(senderUser.email, password)
  viewer = await loginAs((await makeUser(payload, [{ org, roles: ['viewer'] }], { password })).email, password)
  outsiderID = (await makeUser(payload, [{ org: otherOrg, roles: ['sender'] }], { password })).id
  contact = (await makeContact(payload, org, { email: `${unique('ada')}@example.com`, firstName: 'Ada' })).id
})

const book = (data: Record<string, unknown>, client = sender) => client.post('/bookings', { org, owner: senderID, title: 'Check-up', start: at(1, 9), end: at(1, 10), ...data })

describe('bookings', () => {
  it('stores a booking with its contacts, attendees and reminders, in the org’s time zone unless given', async () => {
    const res = await book({
      contacts: [contact],
      location: '1 Quay',
      videoLink: 'https://meet.example/abc',
      attendees: [{ contact }, { email: 'guest@example.com', name: 'Guest', optional: true }],
      reminders: [{ method: 'popup', minutesBefore: 15 }, { method: 'email', minutesBefore: 1440 }],
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const doc = res.body.doc
    expect(doc).toEqual(expect.objectContaining({ status: 'scheduled', sequence: 0, timeZone: 'America/New_York', allowOverlap: false }))
    expect(doc.attendees.map((a: { response: string }) => a.response)).toEqual(['needs-action', 'needs-action'])
    expect(doc.reminders).toHaveLength(2)
    await sender.delete(`/bookings/${doc.id}`)
  })

  it('refuses bad input with a reason on the field', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ end: at(1, 9) }, /end: The booking must end after it starts/],
      [{ timeZone: 'Mars/Olympus' }, /timeZone: "Mars\/Olympus" is not a time zone/],
      [{ videoLink: 'http://meet.example/x' }, /videoLink: A video link must be an https:\/\/ address/],
      [{ attendees: [{ name: 'Nobody' }] }, /Choose a contact or write an email address/],
      [{ reminders: [{ method: 'popup', minutesBefore: 50_000 }] }, /minutesBefore/],
      [{ owner: outsiderID }, /owner: Choose a staff member of this organisation/],
      [{ title: '' }, /title/],
    ]
    for (const [data, message] of cases) {
      const res = await book({ ...data, start: at(2, 9), end: (data.end as string) ?? at(2, 10) })
      expect(res.status, JSON.stringify(data)).toBe(400)
      expect(errorsOf(res).join(' | ')).toMatch(message)
    }
    // Not a date at all: a field error, never a 500.
    for (const start of ['x', '2027-02-30T09:00:00Z']) {
      const res = await book({ title: 'Bad start', start, end: at(2, 10) })
      expect(res.status, start).toBe(400)
      expect(errorsOf(res).join(' | '), start).toMatch(/start/)
    }
  })

  it('an overlap with the same staff member’s booking is refused until "Book anyway"; touching and cancelled ones are fine', async () => {
    const first = (await book({ title: 'Morning', start: at(3, 9), end: at(3, 10) })).body.doc
    const clash = await book({ title: 'Clash', start: at(3, 9, 30), end: at(3, 10, 30) })
    expect(clash.status).toBe(400)
    expect(errorsOf(clash).join(' ')).toMatch(/^start: This overlaps "Morning" \(3 Feb, 04:00–3 Feb, 05:00\) for the same staff member\. Tick "Book anyway" to keep both\.$/)
    const touching = await book({ title: 'Next', start: at(3, 10), end: at(3, 11) })
    expect(touching.status).toBe(201)
    const anyway = await book({ title: 'Clash', start: at(3, 9, 30), end: at(3, 10, 30), allowOverlap: true })
    expect(anyway.status).toBe(201)
    expect(anyway.body.doc.allowOverlap).toBe(false)
    // Once accepted, the overlap does not come back on a change that moves nothing (a title, an answer).
    expect((await sender.patch(`/bookings/${anyway.body.doc.id}`, { title: 'Clash, renamed' })).status).toBe(200)
    expect((await sender.patch(`/bookings/${anyway.body.doc.id}`, { start: at(3, 9, 45) })).status).toBe(400)
    // Another staff member's booking at the same time is no overlap.
    const colleague = await makeUser(payload, [{ org, roles: ['sender'] }])
    expect((await book({ title: 'Colleague', owner: colleague.id, start: at(3, 9), end: at(3, 10) })).status).toBe(201)
    // Once the first is cancelled, its time is free.
    expect((await sender.patch(`/bookings/${first.id}`, { status: 'cancelled' })).status).toBe(200)
    expect((await book({ title: 'Free again', start: at(3, 8), end: at(3, 9, 15) })).status).toBe(201)
  })

  it('moving a booking reschedules it; what attendees see raises SEQUENCE; a cancelled booking stays cancelled', async () => {
    const doc = (await book({ title: 'Consult', start: at(5, 9), end: at(5, 10) })).body.doc
    const moved = await sender.patch(`/bookings/${doc.id}`, { start: at(5, 11), end: at(5, 12) })
    expect(moved.body.doc).toEqual(expect.objectContaining({ status: 'rescheduled', sequence: 1 }))
    const renamed = await sender.patch(`/bookings/${doc.id}`, { title: 'Consultation' })
    expect(renamed.body.doc).toEqual(expect.objectContaining({ status: 'rescheduled', sequence: 2 }))
    const reminder = await sender.patch(`/bookings/${doc.id}`, { reminders: [{ method: 'popup', minutesBefore: 10 }] })
    expect(reminder.body.doc.sequence).toBe(2)
    const cancelled = await sender.patch(`/bookings/${doc.id}`, { status: 'cancelled' })
    expect(cancelled.body.doc).toEqual(expect.objectContaining({ status: 'cancelled', sequence: 3 }))
    const revived = await sender.patch(`/bookings/${doc.id}`, { status: 'scheduled' })
    expect(revived.status).toBe(409)
    expect(revived.body.errors[0].message).toBe('A cancelled booking cannot be changed or restored: make a new booking.')
    // SEQUENCE and responses are the system's to write: what a client sends for them is ignored.
    const forge = (await book({ title: 'Forge', start: at(6, 9), end: at(6, 10), attendees: [{ email: 'x@example.com', response: 'accepted' }] })).body.doc
    expect(forge.attendees[0].response).toBe('needs-action')
    await sender.patch(`/bookings/${forge.id}`, { sequence: 99 })
    expect((await payload.findByID({ collection: 'bookings', id: forge.id, depth: 0 })).sequence).toBe(0)
  })

  it('follows the role table: a viewer reads bookings but may not make or change them', async () => {
    const doc = (await book({ title: 'Readable', start: at(7, 9), end: at(7, 10) })).body.doc
    expect((await viewer.get(`/bookings/${doc.id}`)).status).toBe(200)
    expect((await book({ title: 'Viewer', start: at(7, 11), end: at(7, 12) }, viewer)).status).toBe(403)
    expect((await viewer.patch(`/bookings/${doc.id}`, { title: 'Changed' })).status).toBe(403)
    expect((await viewer.delete(`/bookings/${doc.id}`)).status).toBe(403)
  })

  it('the agenda read lists the org’s bookings overlapping a range, for members only, with reasons for bad input', async () => {
    const t = (day: number, hour: number) => new Date(Date.UTC(2027, 5, day, hour)).toISOString()
    const across = (await book({ title: 'Across midnight', start: t(1, 22), end: t(2, 2) })).body.doc
    const inside = (await book({ title: 'Inside', start: t(3, 9), end: t(3, 10), contacts: [contact], attendees: [{ contact }, { email: 'g@example.com' }] })).body.doc
    const gone = (await book({ title: 'Gone', start: t(4, 9), end: t(4, 10) })).body.doc
    await sender.patch(`/bookings/${gone.id}`, { status: 'cancelled' })
    const colleague = await makeUser(payload, [{ org, roles: ['sender'] }], { name: 'Colleague' })
    const theirs = (await book({ title: 'Theirs', owner: colleague.id, start: t(3, 9), end: t(3, 10) })).body.doc
    await book({ title: 'Later', start: t(20, 9), end: t(20, 10) })

    const range = `from=${t(2, 0)}&to=${t(8, 0)}`
    const week = await viewer.get(`/bookings/agenda?org=${org}&${range}`)
    expect(week.status, JSON.stringify(week.body)).toBe(200)
    expect(week.body.truncated).toBe(false)
    expect(week.body.bookings.map((b: { title: string }) => b.title)).toEqual(['Across midnight', 'Inside', 'Theirs'])
    const row = week.body.bookings.find((b: { id: number }) => b.id === inside.id)
    expect(row).toEqual(expect.objectContaining({ status: 'scheduled', contacts: 1, attendees: 2, timeZone: 'America/New_York' }))
    expect([new Date(row.start).toISOString(), new Date(row.end).toISOString()]).toEqual([t(3, 9), t(3, 10)])
    expect(row.owner).toEqual(expect.objectContaining({ id: senderID }))
    expect(week.body.bookings.some((b: { id: number }) => b.id === across.id)).toBe(true)
    // The contact's page (findByID) carries its bookings; a list of contacts leaves the join out.
    expect((await viewer.get(`/contacts/${contact}`)).body.bookings.docs.map((b: number | { id: number }) => (typeof b === 'object' ? b.id : b))).toContain(inside.id)
    expect((await viewer.get(`/contacts?where[id][equals]=${contact}`)).body.docs[0]).not.toHaveProperty('bookings')
    // Cancelled ones when asked; one staff member's.
    expect((await viewer.get(`/bookings/agenda?org=${org}&${range}&cancelled=1`)).body.bookings.map((b: { title: string }) => b.title)).toContain('Gone')
    expect((await viewer.get(`/bookings/agenda?org=${org}&${range}&owner=${colleague.id}`)).body.bookings.map((b: { id: number }) => b.id)).toEqual([theirs.id])

    // Another org's member, and anonymous visitors, see nothing of it.
    const outsider = await loginAs((await makeUser(payload, [{ org: otherOrg, roles: ['admin'] }], { password: 'fixture-password' })).email, 'fixture-password')
    const foreign = await outsider.get(`/bookings/agenda?org=${org}&${range}`)
    expect(foreign.status).toBe(404)
    expect(JSON.stringify(foreign.body)).not.toContain('Inside')
    expect((await anonymous().get(`/bookings/agenda?org=${org}&${range}`)).status).toBe(401)
    // …even without parameters: who asks is checked first.
    expect((await anonymous().get('/bookings/agenda')).status).toBe(401)

    const cases: [string, RegExp][] = [
      [range, /organisation/],
      [`org=${org}&to=${t(8, 0)}`, /from when to when/],
      [`org=${org}&from=yesterday&to=${t(8, 0)}`, /`from` must be an ISO date/],
      [`org=${org}&from=${t(8, 0)}&to=${t(2, 0)}`, /`to` must be after `from`/],
      [`org=${org}&from=2027-01-01T00:00:00Z&to=2027-06-01T00:00:00Z`, /at most 62 days/],
      [`org=${org}&${range}&owner=abc`, /`owner` must be a user id/],
    ]
    for (const [query, message] of cases) {
      const res = await viewer.get(`/bookings/agenda?${query}`)
      expect(res.status, query).toBe(400)
      expect(JSON.stringify(res.body), query).toMatch(message)
    }
  })
})
