import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { signTwilioWebhook } from './fakes/twilio-fake'
import { anonymous, getTestPayload, loginAs } from './helpers/app'
import { makeUser, unique } from './helpers/fixtures'

let payload: Payload
const SITE = 'http://localhost:3000'
const PATH = '/callbacks/twilio/inbound'
const savedSite = process.env.SITE_URL

type Org = { id: number; number: string; token: string; name: string }
let alpha: Org
let beta: Org
let sender = 0

/** Two orgs with their own Twilio numbers and auth tokens. */
const makeSmsOrg = async (number: string): Promise<Org> => {
  const name = unique('sms-org')
  const token = unique('token').replace(/[^a-z0-9]/gi, '')
  const org = await payload.create({
    collection: 'organizations',
    data: {
      name,
      slug: name,
      postalAddress: '1 SMS Street',
      sms: { provider: 'twilio', twilioAccountSid: `AC${'0123456789abcdef'.repeat(2)}`, fromNumber: number, twilioAuthToken: token, helpText: `${name} help: call 020 7946 0000.` },
    } as never,
  })
  return { id: org.id, number, token, name }
}

/** A distinct sender for each case, so cases never see each other's suppressions. */
const nextSender = () => `+1415555${String(1000 + sender++).padStart(4, '0')}`

const inbound = async (org: Org, params: Record<string, string>, sign: { token?: string; url?: string; signature?: null | string } = {}) => {
  const form = { AccountSid: `AC${'0123456789abcdef'.repeat(2)}`, MessageSid: `SM${'ab'.repeat(16)}`, To: org.number, ...params }
  const url = sign.url ?? `${SITE}/api${PATH}`
  const signature = sign.signature === undefined ? signTwilioWebhook(sign.token ?? org.token, url, form) : sign.signature
  return anonymous().rest('POST', PATH, {
    raw: { type: 'application/x-www-form-urlencoded', body: new URLSearchParams(form).toString() },
    headers: signature === null ? {} : { 'x-twilio-signature': signature },
  })
}

const smsSuppressions = async (org: number, address: string) =>
  (await payload.find({ collection: 'suppressions', where: { and: [{ org: { equals: org } }, { address: { equals: address } }, { channel: { equals: 'sms' } }] }, depth: 0, limit: 10 })).docs

beforeAll(async () => {
  payload = await getTestPayload()
  alpha = await makeSmsOrg('+14155550142')
  beta = await makeSmsOrg('+14155550143')
})
afterAll(() => {
  if (savedSite === undefined) delete process.env.SITE_URL
  else process.env.SITE_URL = savedSite
})

describe('POST /api/callbacks/twilio/inbound', () => {
  it('keeps a reply that is no keyword once, linked to the org’s contact with that number; keywords are not kept', async () => {
    const from = nextSender()
    const contact = await payload.create({ collection: 'contacts', data: { org: alpha.id, email: `${unique('replier')}@example.com`, phone: from } })
    const sid = `SM${'cd'.repeat(16)}${sender}`.slice(0, 34)
    for (let attempt = 0; attempt < 2; attempt++) {
      // Twilio retries a webhook it got no answer to: the same MessageSid is kept once.
      expect((await inbound(alpha, { From: from, Body: 'Can I bring a friend?', MessageSid: sid })).status).toBe(200)
    }
    const kept = await payload.find({ collection: 'messages', where: { providerMessageID: { equals: sid } }, depth: 0 })
    expect(kept.docs).toEqual([expect.objectContaining({ org: alpha.id, direction: 'inbound', channel: 'sms', from, to: alpha.number, bodyText: 'Can I bring a friend?', status: 'received' })])
    const conversation = await payload.findByID({ collection: 'conversations', id: kept.docs[0]!.conversation as number, depth: 0 })
    expect(conversation).toEqual(expect.objectContaining({ org: alpha.id, contact: contact.id, status: 'open', unread: true, channels: ['sms'] }))
    await inbound(alpha, { From: from, Body: 'STOP', MessageSid: `SM${'ef'.repeat(16)}` })
    expect((await payload.find({ collection: 'messages', where: { from: { equals: from } }, depth: 0 })).totalDocs).toBe(1)
    // Beta's members see none of alpha's replies.
    const betaAdmin = await makeUser(payload, [{ org: beta.id, roles: ['admin'] }], { password: 'fixture-password' })
    const client = await loginAs(betaAdmin.email, 'fixture-password')
    expect((await client.get(`/messages?where[providerMessageID][equals]=${sid}`)).body.totalDocs).toBe(0)
  })


  it('verifies Twilio’s signature with the receiving org’s token: good passes, bad, missing or another org’s is 403', async () => {
    expect((await inbound(alpha, { From: nextSender(), Body: 'Hello' })).status).toBe(200)
    for (const sign of [{ signature: null }, { signature: 'bm90IGEgc2lnbmF0dXJl' }, { token: beta.token }, { url: `${SITE}/api/callbacks/twilio/inbound?x=1` }]) {
      const res = await inbound(alpha, { From: nextSender(), Body: 'STOP' }, sign)
      expect(res.status, JSON.stringify(sign)).toBe(403)
      expect(JSON.stringify(res.body)).toMatch(/X-Twilio-Signature/)
    }
    expect((await inbound({ ...alpha, number: '+14155550199' }, { From: nextSender(), Body: 'STOP' })).status).toBe(404)
  })

  it('behind a proxy, the signed URL is rebuilt from SITE_URL', async () => {
    process.env.SITE_URL = 'https://outpost.example.org'
    try {
      const from = nextSender()
      expect((await inbound(alpha, { From: from, Body: 'STOP' }, { url: 'https://outpost.example.org/api/callbacks/twilio/inbound' })).status).toBe(200)
      expect((await inbound(alpha, { From: nextSender(), Body: 'STOP' })).status).toBe(403)
      expect((await smsSuppressions(alpha.id, from))[0]).toEqual(expect.objectContaining({ status: 'active', reason: 'keyword' }))
    } finally {
      process.env.SITE_URL = savedSite
    }
  })

  // What real people reply, and what each must do.
  const replies: [string, 'opted_out' | 'review' | 'message' | 'help'][] = [
    ['STOP', 'opted_out'],
    ['stop', 'opted_out'],
    ['  Stop  ', 'opted_out'],
    ['Stop.', 'opted_out'],
    ['STOP!', 'opted_out'],
    ['StopAll', 'opted_out'],
    ['UNSUBSCRIBE', 'opted_out'],
    ['cancel', 'opted_out'],
    ['End', 'opted_out'],
    ['quit', 'opted_out'],
    ['REVOKE', 'opted_out'],
    ['optout', 'opted_out'],
    ['ＳＴＯＰ', 'opted_out'],
    ['stop please', 'review'],
    ['stop\u0000 please', 'review'],
    ['STOP ALL', 'review'],
    ['Please stop texting me', 'review'],
    ['stpo', 'review'],
    ['unsubscribe me', 'review'],
    ['arrêt', 'message'],
    ['Thanks, see you Tuesday', 'message'],
    ['Is the shop open on Sunday?', 'message'],
    ['HELP', 'help'],
    ['info', 'help'],
  ]
  it.each(replies)('%j → %s', async (body, expected) => {
    const from = nextSender()
    const res = await inbound(alpha, { From: from, Body: body })
    expect(res.status).toBe(200)
    const xml = String(res.body)
    const rows = await smsSuppressions(alpha.id, from)
    if (expected === 'opted_out') {
      expect(rows).toEqual([expect.objectContaining({ status: 'active', reason: 'keyword', channel: 'sms' })])
      expect(xml).toMatch(/<Message>.*unsubscribed.*START.*<\/Message>/)
    } else if (expected === 'review') {
      expect(rows).toEqual([expect.objectContaining({ status: 'pending_review' })])
      expect(xml).not.toContain('<Message>')
    } else if (expected === 'help') {
      expect(rows).toEqual([])
      expect(xml).toContain(`<Message>${alpha.name} help: call 020 7946 0000.</Message>`)
    } else {
      expect(rows).toEqual([])
      expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>')
    }
  })

  it('replies at most once: no confirmation when Twilio’s Advanced Opt-Out answered, or for a repeated STOP', async () => {
    const from = nextSender()
    const handled = await inbound(alpha, { From: from, Body: 'STOP', OptOutType: 'STOP' })
    expect(String(handled.body)).not.toContain('<Message>')
    expect((await smsSuppressions(alpha.id, from))[0]).toEqual(expect.objectContaining({ status: 'active' }))
    const again = await inbound(alpha, { From: from, Body: 'stop' })
    expect(String(again.body)).not.toContain('<Message>')
    expect(await smsSuppressions(alpha.id, from)).toHaveLength(1)
  })

  it('START lifts the SMS opt-out (audited); email suppressions of the same org are untouched', async () => {
    const from = nextSender()
    await inbound(alpha, { From: from, Body: 'STOP' })
    const res = await inbound(alpha, { From: from, Body: 'Start' })
    expect(String(res.body)).toMatch(/<Message>.*subscribed again/)
    const [row] = await smsSuppressions(alpha.id, from)
    expect(row).toEqual(expect.objectContaining({ status: 'lifted', note: 'Replied START.' }))
    const audit = await payload.find({ collection: 'audit-logs', where: { and: [{ action: { equals: 'suppression.lift' } }, { targetID: { equals: String(row!.id) } }] } })
    expect(audit.docs).toHaveLength(1)
    // START with nothing to lift answers nothing.
    expect(String((await inbound(alpha, { From: nextSender(), Body: 'UNSTOP' })).body)).not.toContain('<Message>')
  })

  it('a number belongs to one org: a STOP to beta’s number suppresses in beta only, and another org’s members cannot see it', async () => {
    const from = nextSender()
    await inbound(beta, { From: from, Body: 'STOP' })
    expect(await smsSuppressions(alpha.id, from)).toEqual([])
    expect(await smsSuppressions(beta.id, from)).toHaveLength(1)
    const member = await makeUser(payload, [{ org: alpha.id, roles: ['admin'] }], { password: 'fixture-password' })
    const client = await loginAs(member.email, 'fixture-password')
    const listed = await client.get(`/suppressions?where[address][equals]=${encodeURIComponent(from)}`)
    expect(listed.status).toBe(200)
    expect(listed.body.docs).toEqual([])
    const graph = await client.gql<{ Suppressions: { docs: unknown[] } }>(`{ Suppressions(where: { address: { equals: "${from}" } }) { docs { id } } }`)
    expect(graph.body.data?.Suppressions.docs).toEqual([])
    // Two orgs cannot claim one number.
    const clash = await payload.create({ collection: 'organizations', data: { name: unique('clash'), slug: unique('clash'), sms: { fromNumber: alpha.number } } as never }).catch((error: Error) => error)
    expect(clash).toBeInstanceOf(Error)
  })

  it('refuses what is not a Twilio form: wrong type, no numbers, too large', async () => {
    expect((await anonymous().rest('POST', PATH, { body: { To: alpha.number } })).status).toBe(415)
    expect((await inbound(alpha, { From: '', Body: 'STOP' })).status).toBe(400)
    expect((await inbound(alpha, { From: nextSender(), Body: 'x'.repeat(70_000) })).status).toBe(413)
  })
})
