import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { dbPool } from '@/db/pool'
import { deliverConversationReply } from '@/services/inbox/deliver-conversation-reply'
import { sweepConversationReplies } from '@/services/inbox/sweep-conversation-replies'
import { threadInboundMessage } from '@/services/inbox/thread-inbound-message'

import { sendgridEvent } from './fakes/sendgrid-events'
import { type SendGridFake, startSendGridFake } from './fakes/sendgrid-fake'
import { type SmtpSink, startSmtpSink } from './fakes/smtp-sink'
import { signTwilioWebhook, startTwilioFake, type TwilioFake } from './fakes/twilio-fake'
import { type ApiClient, anonymous, getTestPayload, loginAs } from './helpers/app'
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
    // Assigning: to oneself (inbound.reply), not by a viewer.
    const me = (await alpha.sender.get('/users/me')).body.user.id
    expect((await alpha.viewer.patch(`/conversations/${thread.conversation}`, { assignee: me })).status).toBe(403)
    expect((await alpha.sender.patch(`/conversations/${thread.conversation}`, { assignee: me })).body.doc.assignee).toEqual(expect.objectContaining({ id: me }))
    // A new message reopens a closed conversation.
    await sms(alpha.id, '+447400123020', 'Me again')
    expect(await conversationOf(thread.conversation)).toEqual(expect.objectContaining({ status: 'open', unread: true }))
  })
})

describe('replying', () => {
  let sink: SmtpSink
  let twilio: TwilioFake
  let sendgrid: SendGridFake
  const saved = { TWILIO_API_BASE_URL: process.env.TWILIO_API_BASE_URL, SITE_URL: process.env.SITE_URL, SENDGRID_API_BASE_URL: process.env.SENDGRID_API_BASE_URL, SENDGRID_WEBHOOK_PUBLIC_KEY: process.env.SENDGRID_WEBHOOK_PUBLIC_KEY }
  beforeAll(async () => {
    sink = await startSmtpSink()
    twilio = await startTwilioFake()
    sendgrid = await startSendGridFake({ apiKey: 'SG.inbox-test-key' })
    process.env.TWILIO_API_BASE_URL = twilio.url
    process.env.SENDGRID_API_BASE_URL = sendgrid.url
    delete process.env.SENDGRID_WEBHOOK_PUBLIC_KEY
    process.env.SITE_URL = 'http://localhost:3000'
  })
  afterAll(async () => {
    await sink.close()
    await twilio.close()
    await sendgrid.close()
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  })

  it('offers only the channels the contact is reachable on, with the reason for each left out', async () => {
    const contact = await makeContact(payload, alpha.id, { email: `${unique('gone')}@example.com`, firstName: 'Una' })
    await payload.create({ collection: 'suppressions', data: { org: alpha.id, channel: 'email', address: contact.email, reason: 'unsubscribe' } as never })
    const thread = await threadInboundMessage({ payload, message: { org: alpha.id, channel: 'email', provider: 'sendgrid', providerMessageID: `<${unique('u')}@example.com>`, from: contact.email, to: null, bodyText: 'Hello' } })
    if (thread.duplicate) throw new Error('stored as a duplicate')
    const res = await alpha.viewer.get(`/conversations/${thread.conversation}/reply-channels`)
    expect(res.status).toBe(200)
    expect(res.body.channels).toEqual([
      { channel: 'email', address: contact.email, available: false, reason: 'Email: unsubscribed' },
      { channel: 'sms', address: null, available: false, reason: 'SMS: no mobile number' },
    ])
    const refused = await alpha.sender.post(`/conversations/${thread.conversation}/reply`, { channel: 'email', text: 'Hi' })
    expect(refused.status).toBe(400)
    expect(JSON.stringify(refused.body)).toMatch(/cannot be answered that way \(Email: unsubscribed\)/)
  })

  it('answers by email through the org’s SMTP server, threaded under the last email received', async () => {
    await payload.update({ collection: 'organizations', id: alpha.id, data: { sending: { provider: 'smtp', smtpHost: '127.0.0.1', smtpPort: sink.port, smtpSecure: false, fromAddress: 'hello@alpha.example', fromName: 'Alpha' } } as never })
    const contact = await makeContact(payload, alpha.id, { email: `${unique('pat')}@example.com`, firstName: 'Pat', phone: '+447400123040' } as never)
    const inbound = `<${unique('q')}@mail.example.com>`
    const thread = await threadInboundMessage({ payload, message: { org: alpha.id, channel: 'email', provider: 'sendgrid', providerMessageID: inbound, from: contact.email, to: 'hello@alpha.example', subject: 'Opening hours', bodyText: 'When do you open?' } })
    if (thread.duplicate) throw new Error('stored as a duplicate')
    expect((await alpha.viewer.post(`/conversations/${thread.conversation}/reply`, { channel: 'email', text: 'Nine' })).status).toBe(403)
    expect((await alpha.sender.post(`/conversations/${thread.conversation}/reply`, { channel: 'email', text: '   ' })).status).toBe(400)
    expect((await alpha.sender.post(`/conversations/${thread.conversation}/reply`, { channel: 'fax', text: 'Hi' })).status).toBe(400)
    const sent = await alpha.sender.post(`/conversations/${thread.conversation}/reply`, { channel: 'email', text: 'We open at nine.\n\nSee you!' })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    const [delivered] = await sink.waitFor(1)
    const mail = sink.messages.find((m) => m.to.includes(contact.email))!
    expect(delivered).toBeDefined()
    expect(mail.parsed.subject).toBe('Re: Opening hours')
    expect(mail.parsed.inReplyTo).toBe(inbound)
    expect(mail.parsed.text?.trim()).toBe('We open at nine.\n\nSee you!')
    const stored = await payload.findByID({ collection: 'messages', id: sent.body.message, depth: 0 })
    expect(stored).toEqual(expect.objectContaining({ direction: 'outbound', channel: 'email', status: 'sent', to: contact.email, providerMessageID: mail.parsed.messageId }))
    expect((await conversationOf(thread.conversation)).unread).toBe(false)
  })

  it('answers by SMS through Twilio at the org’s pace, and the reply’s status follows Twilio’s callbacks', async () => {
    await payload.update({ collection: 'organizations', id: alpha.id, data: { sms: { provider: 'twilio', twilioAccountSid: twilio.accountSid, twilioAuthToken: twilio.authToken, fromNumber: '+447400000777' } } as never })
    const thread = await sms(alpha.id, '+447400123050', 'Can I move my table to 8?')
    if (thread.duplicate) throw new Error('stored as a duplicate')
    const sent = await alpha.sender.post(`/conversations/${thread.conversation}/reply`, { channel: 'sms', text: 'Yes, 8 is fine.' })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    const request = twilio.messages.at(-1)!
    expect(request).toEqual(expect.objectContaining({ to: '+447400123050', from: '+447400000777', body: 'Yes, 8 is fine.', statusCallback: 'http://localhost:3000/api/callbacks/twilio/status' }))
    const reply = await payload.findByID({ collection: 'messages', id: sent.body.message, depth: 0 })
    expect(reply).toEqual(expect.objectContaining({ status: 'sent', providerMessageID: request.sid, provider: 'twilio' }))
    const params = { AccountSid: twilio.accountSid, MessageSid: request.sid, MessageStatus: 'delivered', To: request.to }
    const url = 'http://localhost:3000/api/callbacks/twilio/status'
    const callback = await anonymous().rest('POST', '/callbacks/twilio/status', {
      raw: { type: 'application/x-www-form-urlencoded', body: new URLSearchParams(params).toString() },
      headers: { 'x-twilio-signature': signTwilioWebhook(twilio.authToken, url, params) },
    })
    expect(callback.body.outcome).toBe('updated')
    expect((await payload.findByID({ collection: 'messages', id: sent.body.message, depth: 0 })).status).toBe('delivered')
    // Twilio refusing the number: the reply is kept as failed, with the reason as a sentence.
    twilio.setRule(() => ({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' }))
    try {
      const failed = await alpha.sender.post(`/conversations/${thread.conversation}/reply`, { channel: 'sms', text: 'Still there?' })
      expect(failed.status).toBe(502)
      expect(failed.body.error).toMatch(/replied STOP/)
    } finally {
      twilio.setRule(null)
    }
  })

  const twilioOrg = () =>
    payload.update({ collection: 'organizations', id: alpha.id, data: { sms: { provider: 'twilio', twilioAccountSid: twilio.accountSid, twilioAuthToken: twilio.authToken, fromNumber: '+447400000777', perSecondLimit: null, perMinuteLimit: null } } as never })
  const messageRow = async (id: number) =>
    (await dbPool(payload).query<{ status: string; attempts: number; error: null | string; claim_token: null | string }>(`SELECT status::text, attempts::int, error, claim_token FROM messages WHERE id = $1`, [id])).rows[0]!

  it('an email reply through SendGrid carries its message id, and SendGrid’s events move it forwards only (a bounce suppresses the address)', async () => {
    await payload.update({ collection: 'organizations', id: alpha.id, data: { sending: { provider: 'sendgrid', sendgridApiKey: 'SG.inbox-test-key', fromAddress: 'hello@alpha.example', fromName: 'Alpha' } } as never })
    const contact = await makeContact(payload, alpha.id, { email: `${unique('sg')}@example.com`, firstName: 'Sam' })
    const thread = await threadInboundMessage({ payload, message: { org: alpha.id, channel: 'email', provider: 'sendgrid', providerMessageID: `<${unique('q')}@mail.example.com>`, from: contact.email, to: 'hello@alpha.example', subject: 'Prices', bodyText: 'How much?' } })
    if (thread.duplicate) throw new Error('stored as a duplicate')
    const sent = await alpha.sender.post(`/conversations/${thread.conversation}/reply`, { channel: 'email', text: 'Ten pounds.' })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    const delivery = sendgrid.deliveries.find((d) => d.to === contact.email)!
    expect(delivery.customArgs).toEqual({ outpost_reply_id: String(sent.body.message) })
    expect(delivery.subject).toBe('Re: Prices')

    const post = async (events: Record<string, unknown>[]) => {
      const res = await anonymous().post('/callbacks/sendgrid/', undefined, { raw: { type: 'application/json', body: JSON.stringify(events) } })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      return res.body
    }
    const now = Math.floor(Date.now() / 1000)
    // An event naming this reply for another address, or a reply id that is no email reply of ours, moves nothing.
    const forged = await post([sendgridEvent({ ...delivery, to: 'someone-else@example.com' }, 'bounce', { timestamp: now })])
    expect(forged.unmatched).toBe(1)
    expect((await messageRow(sent.body.message)).status).toBe('sent')

    const delivered = await post([sendgridEvent(delivery, 'delivered', { timestamp: now })])
    expect(delivered.updated).toBe(1)
    expect((await messageRow(sent.body.message)).status).toBe('delivered')
    const bounce = sendgridEvent(delivery, 'bounce', { timestamp: now + 1 })
    const bounced = await post([bounce])
    expect(bounced.failed_updated).toBe(1)
    const row = await messageRow(sent.body.message)
    expect(row.status).toBe('failed')
    expect(row.error).toMatch(/rejected the address/)
    expect((await payload.count({ collection: 'suppressions', where: { org: { equals: alpha.id }, address: { equals: contact.email }, channel: { equals: 'email' } } })).totalDocs).toBe(1)
    // A late delivered never turns it back; a replay is a duplicate.
    await post([sendgridEvent(delivery, 'delivered', { timestamp: now + 2 })])
    expect((await messageRow(sent.body.message)).status).toBe('failed')
    expect((await post([bounce])).duplicates).toBe(1)
  })

  it('a transient provider failure keeps the reply queued with the reason, and the sweep sends it once when its retry comes due', async () => {
    await twilioOrg()
    const thread = await sms(alpha.id, '+447400123060', 'Open on Sunday?')
    if (thread.duplicate) throw new Error('stored as a duplicate')
    twilio.setRule(() => ({ status: 503, code: 20503, message: 'Service unavailable' }))
    let queued
    try {
      queued = await alpha.sender.post(`/conversations/${thread.conversation}/reply`, { channel: 'sms', text: 'Yes, from ten.' })
    } finally {
      twilio.setRule(null)
    }
    expect(queued.status, JSON.stringify(queued.body)).toBe(202)
    expect(queued.body.error).toMatch(/Retrying \(attempt 1 of 4\)/)
    const id = queued.body.message as number
    expect(await messageRow(id)).toEqual(expect.objectContaining({ status: 'queued', attempts: 1, claim_token: null }))
    // Not due yet: the sweep leaves it alone.
    const before = twilio.messages.filter((m) => m.to === '+447400123060').length
    await sweepConversationReplies({ payload })
    expect((await messageRow(id)).status).toBe('queued')
    // Due: two sweeps and a direct delivery at once send it exactly once.
    await dbPool(payload).query(`UPDATE messages SET next_attempt_at = now() - interval '1 second' WHERE id = $1`, [id])
    const outcomes = await Promise.all([sweepConversationReplies({ payload }), sweepConversationReplies({ payload }), deliverConversationReply({ payload, messageID: id })])
    expect(twilio.messages.filter((m) => m.to === '+447400123060' && m.body === 'Yes, from ten.').length - before).toBe(1)
    expect(outcomes[2].status === 'sent' || outcomes[2].status === 'busy').toBe(true)
    expect(await messageRow(id)).toEqual(expect.objectContaining({ status: 'sent', attempts: 2, error: null, claim_token: null }))
    expect((await payload.findByID({ collection: 'messages', id, depth: 0 })).providerMessageID).toMatch(/^SM/)
  })

  it('a claim a dead worker left is taken back if it never reached the provider, and marked unknown (never resent) if it did', async () => {
    await twilioOrg()
    const thread = await sms(alpha.id, '+447400123070', 'Still open?')
    if (thread.duplicate) throw new Error('stored as a duplicate')
    const sent = await alpha.sender.post(`/conversations/${thread.conversation}/reply`, { channel: 'sms', text: 'Until six.' })
    expect(sent.status).toBe(201)
    const insert = (text: string) =>
      dbPool(payload).query<{ id: number }>(
        `INSERT INTO messages (org_id, conversation_id, direction, channel, provider, provider_message_i_d, "from", "to", body_text, status, attempts, claim_token, lease_expires_at, handed_off_at, created_at, updated_at)
         SELECT org_id, conversation_id, 'outbound', 'sms', 'twilio', $2, "from", "to", $3, 'sending', 1, 'dead-worker', now() - interval '1 second', $4::timestamptz, now(), now() FROM messages WHERE id = $1 RETURNING id`,
        [sent.body.message, `pending-${unique('p')}`, text, null],
      )
    const [neverSent] = (await insert('Never handed off')).rows
    const handedOff = (await dbPool(payload).query<{ id: number }>(`UPDATE messages SET handed_off_at = now(), body_text = 'Handed off' WHERE id = (SELECT id FROM messages WHERE id = $1) RETURNING id`, [(await insert('x')).rows[0]!.id])).rows[0]!
    const before = twilio.messages.length
    const swept = await sweepConversationReplies({ payload })
    expect(swept.released).toBeGreaterThanOrEqual(1)
    expect(swept.unknown).toBeGreaterThanOrEqual(1)
    expect(await messageRow(neverSent!.id)).toEqual(expect.objectContaining({ status: 'sent', attempts: 1 }))
    const unknown = await messageRow(handedOff.id)
    expect(unknown.status).toBe('unknown')
    expect(unknown.error).toMatch(/whether it left is unknown/)
    expect(twilio.messages.slice(before).map((m) => m.body)).toEqual(['Never handed off'])
  })
})
