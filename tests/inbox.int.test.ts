import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { threadInboundMessage } from '@/services/inbox/thread-inbound-message'

import { type ApiClient, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeUser, unique } from './helpers/fixtures'

/**
 * The inbox's threads: inbound messages join their contact's conversation (or an unlinked one for an
 * unknown sender, never a silent contact), are stored once, and a person links the conversation to a
 * contact or creates the contact from it (audited), as the role table allows, in their own org only.
 */

let payload: Payload
type Org = { id: number; admin: ApiClient; sender: ApiClient; viewer: ApiClient; approver: ApiClient }
let alpha: Org
let beta: Org
let counter = 0

const makeOrg = async (): Promise<Org> => {
  const name = unique('inbox-org')
  const org = await payload.create({ collection: 'organizations', data: { name, slug: name, postalAddress: '1 Inbox Row', sms: { defaultCountry: 'GB' } } as never })
  const login = async (role: 'admin' | 'approver' | 'sender' | 'viewer') => {
    const user = await makeUser(payload, [{ org: org.id, roles: [role] }], { password: 'fixture-password' })
    return loginAs(user.email, 'fixture-password')
  }
  return { id: org.id, admin: await login('admin'), sender: await login('sender'), viewer: await login('viewer'), approver: await login('approver') }
}

const sms = (org: number, from: string, bodyText: string, providerMessageID = `SM${unique('m')}-${counter++}`) =>
  threadInboundMessage({ payload, message: { org, channel: 'sms', provider: 'twilio', providerMessageID, from, to: '+447400000001', bodyText } })

const conversationOf = (id: number) => payload.findByID({ collection: 'conversations', id, depth: 0 })

beforeAll(async () => {
  payload = await getTestPayload()
  alpha = await makeOrg()
  beta = await makeOrg()
})

describe('threading inbound messages', () => {
  it('a known number joins its contact’s conversation; an unknown one makes an unlinked conversation and no contact', async () => {
    const known = await makeContact(payload, alpha.id, { firstName: 'Kim', lastName: 'Known', phone: '07400 111222' } as never)
    expect(known.phone).toBe('+447400111222')
    const first = await sms(alpha.id, '+447400111222', 'Is Tuesday fine?')
    const second = await sms(alpha.id, '+447400111222', 'Or Wednesday?')
    expect(first.duplicate || second.duplicate).toBe(false)
    if (first.duplicate || second.duplicate) return
    expect(second.conversation).toBe(first.conversation)
    expect(await conversationOf(first.conversation)).toEqual(expect.objectContaining({ contact: known.id, title: 'Kim Known', status: 'open', unread: true, channels: ['sms'] }))

    const contactsBefore = (await payload.count({ collection: 'contacts', where: { org: { equals: alpha.id } } })).totalDocs
    const stranger = await sms(alpha.id, '+447400999888', 'Who is this?')
    if (stranger.duplicate) throw new Error('stored as a duplicate')
    expect(stranger.conversation).not.toBe(first.conversation)
    expect(await conversationOf(stranger.conversation)).toEqual(expect.objectContaining({ contact: null, address: '+447400999888', title: '+447400999888' }))
    expect((await payload.count({ collection: 'contacts', where: { org: { equals: alpha.id } } })).totalDocs).toBe(contactsBefore)
    // The same number in another org is another org's conversation.
    const elsewhere = await sms(beta.id, '+447400999888', 'Hello beta')
    if (elsewhere.duplicate) throw new Error('stored as a duplicate')
    expect(elsewhere.conversation).not.toBe(stranger.conversation)
  })

  it('stores a message once however often the provider posts it, and concurrent first messages make one conversation', async () => {
    const sid = `SM${unique('dup')}`
    const results = await Promise.all([sms(alpha.id, '+447400555001', 'Hi', sid), sms(alpha.id, '+447400555001', 'Hi', sid)])
    expect(results.filter((r) => r.duplicate)).toHaveLength(1)
    const burst = await Promise.all(Array.from({ length: 5 }, (_, i) => sms(alpha.id, '+447400555002', `Message ${i}`)))
    const ids = new Set(burst.map((r) => (r.duplicate ? null : r.conversation)))
    expect(ids.size).toBe(1)
    expect((await payload.count({ collection: 'conversations', where: { address: { equals: '+447400555002' } } })).totalDocs).toBe(1)
  })
})

describe('linking a conversation', () => {
  it('links to a contact of the org (audited), joining the contact’s existing conversation', async () => {
    const contact = await makeContact(payload, alpha.id, { firstName: 'Lou', phone: '+447400123001' } as never)
    const existing = await sms(alpha.id, '+447400123001', 'From my mobile')
    const unknown = await sms(alpha.id, '+447400123002', 'From my work phone')
    if (existing.duplicate || unknown.duplicate) throw new Error('stored as a duplicate')
    // Roles: a viewer or approver cannot link; another org's admin cannot see it.
    expect((await alpha.viewer.post(`/conversations/${unknown.conversation}/link`, { contact: contact.id })).status).toBe(403)
    expect((await alpha.approver.post(`/conversations/${unknown.conversation}/link`, { contact: contact.id })).status).toBe(403)
    expect((await beta.admin.post(`/conversations/${unknown.conversation}/link`, { contact: contact.id })).status).toBe(404)
    // Another org's contact, or no contact, is refused with a reason.
    const foreign = await makeContact(payload, beta.id)
    const refused = await alpha.sender.post(`/conversations/${unknown.conversation}/link`, { contact: foreign.id })
    expect(refused.status).toBe(400)
    expect(JSON.stringify(refused.body)).toMatch(/Choose a contact of this conversation’s organisation/)
    expect((await alpha.sender.post(`/conversations/${unknown.conversation}/link`, { contact: 'abc' })).status).toBe(400)

    const linked = await alpha.sender.post(`/conversations/${unknown.conversation}/link`, { contact: contact.id })
    expect(linked.status, JSON.stringify(linked.body)).toBe(200)
    expect(linked.body).toEqual(expect.objectContaining({ conversation: existing.conversation, contact: contact.id, merged: true }))
    const messages = await payload.find({ collection: 'messages', where: { conversation: { equals: existing.conversation } }, depth: 0, sort: 'createdAt' })
    expect(messages.docs.map((m) => m.bodyText)).toEqual(['From my mobile', 'From my work phone'])
    expect((await payload.count({ collection: 'conversations', where: { id: { equals: unknown.conversation } } })).totalDocs).toBe(0)
    const audit = await payload.find({ collection: 'audit-logs', where: { and: [{ action: { equals: 'inbound.link' } }, { org: { equals: alpha.id } }] }, depth: 0, sort: '-createdAt', limit: 1 })
    expect(audit.docs[0]!.summary).toMatch(/Linked the conversation with \+447400123002 to Lou \(joined their existing conversation\)/)
  })

  it('creates the contact from an unlinked conversation in one step, the sender’s number filled in', async () => {
    const unknown = await sms(alpha.id, '+447400123010', 'Please call me back')
    if (unknown.duplicate) throw new Error('stored as a duplicate')
    expect((await alpha.viewer.post(`/conversations/${unknown.conversation}/create-contact`, { firstName: 'Nia', email: 'nia@example.com' })).status).toBe(403)
    // Contacts need an email address: the Contacts collection's own field error comes back.
    const missing = await alpha.sender.post(`/conversations/${unknown.conversation}/create-contact`, { firstName: 'Nia' })
    expect(missing.status).toBe(400)
    expect(JSON.stringify(missing.body)).toMatch(/email/i)
    const created = await alpha.sender.post(`/conversations/${unknown.conversation}/create-contact`, { firstName: 'Nia', lastName: 'New', email: 'Nia@Example.com' })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const contact = await payload.findByID({ collection: 'contacts', id: created.body.contact, depth: 0 })
    expect(contact).toEqual(expect.objectContaining({ org: alpha.id, firstName: 'Nia', lastName: 'New', email: 'nia@example.com', phone: '+447400123010' }))
    expect(await conversationOf(unknown.conversation)).toEqual(expect.objectContaining({ contact: contact.id, title: 'Nia New' }))
    // A second try finds it linked.
    expect((await alpha.sender.post(`/conversations/${unknown.conversation}/create-contact`, { email: 'again@example.com' })).status).toBe(409)
    // The next message from that number joins it.
    const next = await sms(alpha.id, '+447400123010', 'Thanks!')
    expect(next.duplicate ? null : next.conversation).toBe(unknown.conversation)
  })
})

describe('who may do what with conversations', () => {
  it('members read their org’s conversations and messages only (REST and GraphQL); only inbound.reply roles close them; nobody writes messages', async () => {
    const thread = await sms(alpha.id, '+447400123020', 'Read me')
    if (thread.duplicate) throw new Error('stored as a duplicate')
    expect((await alpha.viewer.get(`/conversations/${thread.conversation}`)).status).toBe(200)
    expect((await beta.admin.get(`/conversations/${thread.conversation}`)).status).toBe(404)
    expect((await beta.admin.get(`/messages?where[conversation][equals]=${thread.conversation}`)).body.totalDocs).toBe(0)
    const gql = await beta.admin.gql(`{ Conversations(where: { id: { equals: ${thread.conversation} } }) { totalDocs } Messages(where: { conversation: { equals: ${thread.conversation} } }) { totalDocs } }`)
    expect(gql.body.data).toEqual({ Conversations: { totalDocs: 0 }, Messages: { totalDocs: 0 } })

    expect((await alpha.viewer.patch(`/conversations/${thread.conversation}`, { status: 'closed' })).status).toBe(403)
    const closed = await alpha.sender.patch(`/conversations/${thread.conversation}`, { status: 'closed', unread: false })
    expect(closed.status, JSON.stringify(closed.body)).toBe(200)
    expect(closed.body.doc).toEqual(expect.objectContaining({ status: 'closed', unread: false }))
    // The thread's own facts are the system's: its contact cannot be set by PATCH (link does that, audited).
    const other = await makeContact(payload, alpha.id)
    await alpha.sender.patch(`/conversations/${thread.conversation}`, { contact: other.id })
    expect((await conversationOf(thread.conversation)).contact).toBeNull()
    expect((await alpha.admin.post('/conversations', { org: alpha.id, title: 'Made up' })).status).toBe(403)
    expect((await alpha.admin.post('/messages', { org: alpha.id, conversation: thread.conversation, bodyText: 'Made up' })).status).toBe(403)
    // A new message reopens a closed conversation.
    await sms(alpha.id, '+447400123020', 'Me again')
    expect(await conversationOf(thread.conversation)).toEqual(expect.objectContaining({ status: 'open', unread: true }))
  })
})
