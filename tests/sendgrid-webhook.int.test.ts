import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { closeOrgTransports } from '@/services/sending/get-org-transport'

import { type SendGridEventJSON, makeEventSigner, sendgridEvent } from './fakes/sendgrid-events'
import { type SendGridDelivery, type SendGridFake, startSendGridFake } from './fakes/sendgrid-fake'
import { anonymous, getTestPayload, loginAs } from './helpers/app'
import { makeUser } from './helpers/fixtures'
import { countersAndRows, makeRecipients, makeSendingOrg, queueJob, runTriggersUntilDone, type SendingOrg } from './helpers/send-fixtures'

const API_KEY = 'SG.outpost-webhook-test'
let payload: Payload
let fake: SendGridFake
let fixture: SendingOrg
const savedBase = process.env.SENDGRID_API_BASE_URL

beforeAll(async () => {
  payload = await getTestPayload()
  fake = await startSendGridFake({ apiKey: API_KEY })
  process.env.SENDGRID_API_BASE_URL = fake.url
  fixture = await makeSendingOrg(payload, { provider: 'sendgrid', sendgridApiKey: API_KEY, batchSize: 100, batchDelaySeconds: 0 })
})
afterAll(async () => {
  if (savedBase === undefined) delete process.env.SENDGRID_API_BASE_URL
  else process.env.SENDGRID_API_BASE_URL = savedBase
  delete process.env.SENDGRID_WEBHOOK_PUBLIC_KEY
  await closeOrgTransports()
  await fake.close()
})

const post = (events: unknown, path = '/callbacks/sendgrid/', headers: Record<string, string> = {}) =>
  anonymous().post(path, undefined, { raw: { type: 'application/json', body: typeof events === 'string' ? events : JSON.stringify(events) }, headers })

/** Sends a job of `count` recipients through the SendGrid fake; returns the job and each recipient's delivery. */
const sentJob = async (count: number) => {
  const contacts = await makeRecipients(payload, fixture.org, count)
  const jobID = await queueJob(fixture, contacts.map((c) => c.id))
  expect(await runTriggersUntilDone(payload, jobID)).toBe('completed')
  const recipients = (await payload.find({ collection: 'email-recipients', where: { job: { equals: jobID } }, depth: 0, limit: 0, pagination: false, sort: 'id' })).docs
  const deliveries = recipients.map((r) => fake.deliveries.find((d) => d.customArgs.outpost_recipient_id === String(r.id))!)
  expect(deliveries.every(Boolean)).toBe(true)
  return { jobID, recipients, deliveries }
}

const recipient = async (id: number) => payload.findByID({ collection: 'email-recipients', id, depth: 0 })
const suppressionsOf = async (address: string) =>
  (await payload.find({ collection: 'suppressions', where: { and: [{ org: { equals: fixture.org } }, { address: { equals: address } }] }, depth: 0, sort: 'id' })).docs
const eventRows = async (ids: string[]) =>
  (await payload.find({ collection: 'webhook-events', where: { eventID: { in: ids } }, depth: 0, limit: 0, pagination: false, sort: 'id' })).docs
const okBody = (body: Record<string, unknown>, failed: number, updated: number) =>
  expect(body).toEqual(expect.objectContaining({ status: 'ok', failed_updated: failed, updated }))

describe('SendGrid event webhook: each event type', () => {
  it('delivered, bounce, blocked, dropped, spamreport, unsubscribe, open, click: statuses, counters, suppressions, stored once', async () => {
    const { jobID, recipients, deliveries } = await sentJob(8)
    const [d0, d1, d2, d3, d4, d5, d6] = deliveries as [SendGridDelivery, ...SendGridDelivery[]]
    const events = [
      sendgridEvent(d0, 'processed'),
      sendgridEvent(d0, 'delivered'),
      sendgridEvent(d1!, 'bounce'),
      sendgridEvent(d2!, 'bounce', { type: 'blocked', status: '4.7.1', reason: '421 4.7.1 Temporarily deferred due to unexpected volume' }),
      sendgridEvent(d3!, 'dropped'),
      sendgridEvent(d4!, 'delivered'),
      sendgridEvent(d4!, 'spamreport'),
      sendgridEvent(d5!, 'delivered'),
      sendgridEvent(d5!, 'group_unsubscribe', { asm_group_id: 7 }),
      sendgridEvent(d6!, 'delivered'),
      sendgridEvent(d6!, 'open', { useragent: 'Mozilla/5.0' }),
      sendgridEvent(d6!, 'click'),
    ]
    const response = await post(events)
    expect(response.status).toBe(200)
    // Newly failed: bounce, blocked, dropped, spamreport (4). Newly updated otherwise: d0, d5, d6 delivered (3).
    okBody(response.body, 4, 3)
    expect(response.body).toEqual(expect.objectContaining({ stored: 12, duplicates: 0, skipped: 0, suppressed: 4, review: 1, unmatched: 0 }))

    const [r0, r1, r2, r3, r4, r5, r6, r7] = await Promise.all(recipients.map((r) => recipient(r.id)))
    expect(r0).toEqual(expect.objectContaining({ status: 'delivered' }))
    expect(r0!.deliveredAt).toBeTruthy()
    expect(r1).toEqual(expect.objectContaining({ status: 'failed', providerCode: '5.1.1' }))
    expect(r1!.lastError).toMatch(/rejected the address \(bounce\): 550 5\.1\.1/)
    expect(r2).toEqual(expect.objectContaining({ status: 'failed', providerCode: '4.7.1' }))
    expect(r2!.lastError).toMatch(/blocked the message \(soft bounce\)/)
    expect(r3).toEqual(expect.objectContaining({ status: 'failed' }))
    expect(r3!.lastError).toMatch(/dropped.*Bounced Address/)
    expect(r4).toEqual(expect.objectContaining({ status: 'failed', lastError: 'The recipient reported the message as spam.' }))
    expect(r5!.status).toBe('delivered')
    expect(r6!.status).toBe('delivered')
    expect(r7!.status).toBe('sent')

    const { counters, rows } = await countersAndRows(payload, jobID)
    expect(counters).toEqual({ total: 8, pending: 0, sent: 4, delivered: 3, failed: 4, excluded: 0, unknown: 0 })
    expect(rows).toEqual({ total: 8, pending: 0, sent: 4, delivered: 3, failed: 4, excluded: 0, unknown: 0 })
    // The job had completed; failures arriving later make it completed with errors.
    expect((await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })).status).toBe('completed_with_errors')

    const suppression = async (address: string) => (await suppressionsOf(address)).map((s) => ({ reason: s.reason, status: s.status, source: s.source }))
    expect(await suppression(d0.to)).toEqual([])
    expect(await suppression(d1!.to)).toEqual([{ reason: 'bounce', status: 'active', source: 'sendgrid webhook' }])
    expect(await suppression(d2!.to)).toEqual([{ reason: 'bounce', status: 'pending_review', source: 'sendgrid webhook' }])
    expect(await suppression(d3!.to)).toEqual([{ reason: 'dropped', status: 'active', source: 'sendgrid webhook' }])
    expect(await suppression(d4!.to)).toEqual([{ reason: 'spamreport', status: 'active', source: 'sendgrid webhook' }])
    expect(await suppression(d5!.to)).toEqual([{ reason: 'unsubscribe', status: 'active', source: 'sendgrid webhook' }])
    expect(await suppression(d6!.to)).toEqual([])

    const stored = await eventRows(events.map((e) => e.sg_event_id))
    expect(stored).toHaveLength(12)
    const byEvent = new Map(stored.map((row) => [row.eventID, row]))
    const outcome = (e: SendGridEventJSON) => byEvent.get(e.sg_event_id)!.outcome
    // d4's delivered and spamreport came in one post: the spamreport decides (failed), the delivered changes nothing.
    expect(events.map(outcome)).toEqual(['recorded', 'updated', 'failed', 'failed', 'failed', 'no_change', 'failed', 'updated', 'suppressed', 'updated', 'recorded', 'recorded'])
    const open = byEvent.get(events[10]!.sg_event_id)!
    expect(open).toEqual(expect.objectContaining({ type: 'open', address: d6!.to, recipient: recipients[6]!.id, job: jobID, org: fixture.org }))
    expect(open.payload).toEqual(events[10])
    expect(new Date(open.occurredAt).getTime()).toBe(events[10]!.timestamp * 1000)
    expect(new Date(open.receivedAt).getTime()).toBeGreaterThanOrEqual(events[10]!.timestamp * 1000)

    // Audited: each suppression the webhook created.
    const audits = await payload.find({ collection: 'audit-logs', where: { and: [{ action: { equals: 'suppression.create' } }, { summary: { like: d1!.to } }] }, depth: 0 })
    expect(audits.docs).toHaveLength(1)
    expect(audits.docs[0]).toEqual(expect.objectContaining({ actorLabel: 'SendGrid webhook', org: fixture.org }))
  })

  it('replaying a whole post three times changes nothing: identical rows, counters, suppressions', async () => {
    const { jobID, recipients, deliveries } = await sentJob(5)
    const events = [
      sendgridEvent(deliveries[0]!, 'delivered'),
      sendgridEvent(deliveries[1]!, 'bounce'),
      sendgridEvent(deliveries[2]!, 'spamreport'),
      sendgridEvent(deliveries[3]!, 'open'),
      sendgridEvent(deliveries[4]!, 'unsubscribe'),
    ]
    const first = await post(events)
    okBody(first.body, 2, 1)
    const snapshot = async () => ({
      rows: (await Promise.all(recipients.map((r) => recipient(r.id)))).map((r) => ({ status: r.status, lastError: r.lastError, updatedAt: r.updatedAt })),
      counters: (await countersAndRows(payload, jobID)).counters,
      suppressions: (await Promise.all(deliveries.map((d) => suppressionsOf(d.to)))).flat().map((s) => s.id),
      events: (await eventRows(events.map((e) => e.sg_event_id))).map((e) => ({ id: e.id, outcome: e.outcome })),
      audits: (await payload.count({ collection: 'audit-logs', where: { action: { equals: 'suppression.create' } } })).totalDocs,
    })
    const before = await snapshot()
    expect(before.suppressions).toHaveLength(3)
    for (let i = 0; i < 3; i++) {
      const again = await post(events)
      expect(again.status).toBe(200)
      okBody(again.body, 0, 0)
      expect(again.body).toEqual(expect.objectContaining({ stored: 0, duplicates: 5 }))
    }
    expect(await snapshot()).toEqual(before)
    // The same event twice inside one post counts once too.
    const dup = sendgridEvent(deliveries[0]!, 'click')
    expect((await post([dup, dup])).body).toEqual(expect.objectContaining({ stored: 1, duplicates: 1 }))
  })

  it('precedence: a late delivered never revives a failed recipient; a later bounce fails a delivered one once', async () => {
    const { jobID, recipients, deliveries } = await sentJob(2)
    const [a, b] = deliveries as [SendGridDelivery, SendGridDelivery]
    const now = Math.floor(Date.now() / 1000)
    // Out of order: the bounce arrives first, the (earlier) delivered after it.
    okBody((await post([sendgridEvent(a, 'bounce', { timestamp: now })])).body, 1, 0)
    okBody((await post([sendgridEvent(a, 'delivered', { timestamp: now - 30 })])).body, 0, 0)
    expect((await recipient(recipients[0]!.id)).status).toBe('failed')
    // Both in one post, delivered last in the array: failed still wins.
    okBody((await post([sendgridEvent(b, 'spamreport', { timestamp: now }), sendgridEvent(b, 'delivered', { timestamp: now + 1 })])).body, 1, 0)
    expect((await recipient(recipients[1]!.id)).status).toBe('failed')
    // Each was delivered before it failed (a complaint implies a delivery): the delivery time is kept, in
    // either order, without moving a status or a counter, so delivery and complaint rates count it.
    expect(new Date((await recipient(recipients[0]!.id)).deliveredAt!).getTime()).toBe((now - 30) * 1000)
    expect(new Date((await recipient(recipients[1]!.id)).deliveredAt!).getTime()).toBe((now + 1) * 1000)
    // A replay changes nothing, and a later duplicate delivery does not move the time.
    okBody((await post([sendgridEvent(b, 'delivered', { timestamp: now + 5 })])).body, 0, 0)
    expect(new Date((await recipient(recipients[1]!.id)).deliveredAt!).getTime()).toBe((now + 1) * 1000)
    const { counters, rows } = await countersAndRows(payload, jobID)
    expect(counters).toEqual(rows)
    expect(counters).toEqual(expect.objectContaining({ sent: 0, delivered: 0, failed: 2 }))
    expect((await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })).status).toBe('failed')
  })

  it('maps by custom_args (with its address), else by sg_message_id and address, else by address inside that message’s org; anything else is stored unmatched', async () => {
    const { recipients, deliveries } = await sentJob(3)
    const [a, b, c] = deliveries as [SendGridDelivery, SendGridDelivery, SendGridDelivery]
    const byMessageID = sendgridEvent({ ...b, customArgs: {} }, 'delivered')
    // A forged or stale recipient id with another address does not win: the message id and address do.
    const wrongID = sendgridEvent({ ...a, customArgs: { outpost_recipient_id: String(recipients[1]!.id) } }, 'delivered')
    // Neither id nor message names c, but the recipient id names this org: the address is looked up here.
    const inOrg = sendgridEvent({ ...c, messageID: 'unknownmsgid', customArgs: { outpost_recipient_id: String(recipients[0]!.id) } }, 'delivered')
    // An address alone (unknown message, no id) picks no org by "last sent": unmatched, changes nothing.
    const byAddressOnly = sendgridEvent({ ...c, customArgs: {}, messageID: 'unknownmsgid' }, 'bounce')
    const stranger = sendgridEvent({ to: 'nobody-we-know@example.net', messageID: 'zzz', customArgs: {} }, 'bounce')
    const response = await post([byMessageID, wrongID, inOrg, byAddressOnly, stranger])
    okBody(response.body, 0, 3)
    expect(response.body.unmatched).toBe(2)
    expect((await Promise.all(recipients.map((r) => recipient(r.id)))).map((r) => r.status)).toEqual(['delivered', 'delivered', 'delivered'])
    const rows = await eventRows([byMessageID.sg_event_id, wrongID.sg_event_id, inOrg.sg_event_id, byAddressOnly.sg_event_id, stranger.sg_event_id])
    expect(rows.map((r) => r.recipient)).toEqual([recipients[1]!.id, recipients[0]!.id, recipients[2]!.id, null, null])
    expect(rows.slice(3).map((r) => [r.outcome, r.org])).toEqual([['unmatched', null], ['unmatched', null]])
    expect(await suppressionsOf(c.to)).toEqual([])
    const noSuppression = await payload.find({ collection: 'suppressions', where: { address: { equals: 'nobody-we-know@example.net' } }, depth: 0 })
    expect(noSuppression.totalDocs).toBe(0)
  })

  it('never crosses organisations: another org’s recipient id or message id with this org’s address changes nothing here', async () => {
    const { recipients, deliveries } = await sentJob(1)
    const victim = deliveries[0]!
    // A second organisation, its own job sent through the same SendGrid account.
    const intruder = await makeSendingOrg(payload, { provider: 'sendgrid', sendgridApiKey: API_KEY, batchSize: 100, batchDelaySeconds: 0 })
    const theirs = await makeRecipients(payload, intruder.org, 1)
    const theirJob = await queueJob(intruder, theirs.map((contact) => contact.id))
    expect(await runTriggersUntilDone(payload, theirJob)).toBe('completed')
    const theirRecipient = (await payload.find({ collection: 'email-recipients', where: { job: { equals: theirJob } }, depth: 0 })).docs[0]!
    const theirDelivery = fake.deliveries.find((d) => d.customArgs.outpost_recipient_id === String(theirRecipient.id))!

    // Their recipient id, our recipient's address (no message id): once fell back to the address and failed ours.
    const forgedID = sendgridEvent({ to: victim.to, messageID: 'none', customArgs: { outpost_recipient_id: String(theirRecipient.id) } }, 'bounce')
    delete (forgedID as Record<string, unknown>).sg_message_id
    // Their message id with our address: once suppressed our address.
    const foreignMessage = sendgridEvent({ to: victim.to, messageID: theirDelivery.messageID, customArgs: {} }, 'spamreport')
    // Our recipient id, their message id: the two name different orgs, so the address is looked up nowhere.
    const mixed = sendgridEvent({ to: theirDelivery.to, messageID: theirDelivery.messageID, customArgs: { outpost_recipient_id: String(recipients[0]!.id) } }, 'dropped')
    const response = await post([forgedID, foreignMessage, mixed])
    expect(response.status).toBe(200)
    okBody(response.body, 0, 0)
    expect(response.body.unmatched).toBe(3)
    expect((await recipient(recipients[0]!.id)).status).toBe('sent')
    expect((await recipient(theirRecipient.id)).status).toBe('sent')
    expect(await suppressionsOf(victim.to)).toEqual([])
    const theirSuppressions = await payload.find({ collection: 'suppressions', where: { address: { in: [victim.to, theirDelivery.to] } }, depth: 0 })
    expect(theirSuppressions.totalDocs).toBe(0)
    const rows = await eventRows([forgedID.sg_event_id, foreignMessage.sg_event_id, mixed.sg_event_id])
    expect(rows.map((r) => [r.outcome, r.recipient, r.org])).toEqual([['unmatched', null, null], ['unmatched', null, null], ['unmatched', null, null]])
  })

  it('a malformed or unknown event inside a valid array is skipped and counted; the rest applies', async () => {
    const { recipients, deliveries } = await sentJob(1)
    const good = sendgridEvent(deliveries[0]!, 'delivered')
    const response = await post([
      good,
      { event: 'delivered', email: 'x@example.com', timestamp: 1700000000 },
      { ...sendgridEvent(deliveries[0]!, 'teleported') },
      { ...sendgridEvent(deliveries[0]!, 'open'), email: 'not an address' },
      { ...sendgridEvent(deliveries[0]!, 'open'), timestamp: 'yesterday' },
      'a string',
      null,
      [1, 2],
    ])
    expect(response.status).toBe(200)
    okBody(response.body, 0, 1)
    expect(response.body).toEqual(expect.objectContaining({ received: 8, stored: 1, skipped: 7 }))
    expect(response.body.problems).toEqual(expect.arrayContaining([expect.stringMatching(/unknown type "teleported"/), expect.stringMatching(/no valid email/), expect.stringMatching(/no sg_event_id/)]))
    expect((await recipient(recipients[0]!.id)).status).toBe('delivered')
  })
})

describe('SendGrid event webhook: the request', () => {
  it('NUL characters, which PostgreSQL cannot store, are dropped instead of failing the post', async () => {
    const { recipients, deliveries } = await sentJob(1)
    const bounce = sendgridEvent(deliveries[0]!, 'bounce', { reason: '550 no\u0000such user', 'odd\u0000key': 'x\u0000y' })
    const response = await post([bounce])
    expect(response.status, JSON.stringify(response.body)).toBe(200)
    okBody(response.body, 1, 0)
    expect((await recipient(recipients[0]!.id)).lastError).toMatch(/550 nosuch user/)
    const [row] = await eventRows([bounce.sg_event_id])
    expect(row!.payload).toEqual(expect.objectContaining({ reason: '550 nosuch user', oddkey: 'xy' }))
  })

  it('a lone UTF-16 surrogate (valid JSON, refused by PostgreSQL) becomes U+FFFD instead of failing the post; pairs survive', async () => {
    const { recipients, deliveries } = await sentJob(1)
    const bounce = sendgridEvent(deliveries[0]!, 'bounce', { reason: '550 bad\ud800 user \ud83d\ude00', ['k\udc00']: 'v' })
    const body = JSON.stringify([bounce])
    expect(body).toContain('\\ud800')
    const response = await post(body)
    expect(response.status, JSON.stringify(response.body)).toBe(200)
    okBody(response.body, 1, 0)
    expect((await recipient(recipients[0]!.id)).lastError).toMatch(/550 bad\ufffd user \u{1f600}/u)
    const [row] = await eventRows([bounce.sg_event_id])
    expect(row!.payload).toEqual(expect.objectContaining({ reason: '550 bad\ufffd user \u{1f600}', 'k\ufffd': 'v' }))
  })

  it('answers on the trailing-slash URL and on the one without', async () => {
    const { deliveries } = await sentJob(1)
    for (const path of ['/callbacks/sendgrid/', '/callbacks/sendgrid']) {
      const response = await post([sendgridEvent(deliveries[0]!, 'open')], path)
      expect(response.status).toBe(200)
      okBody(response.body, 0, 0)
      expect(response.body.stored).toBe(1)
    }
    expect((await post([], '/callbacks/sendgrid')).body).toEqual(expect.objectContaining({ status: 'ok', failed_updated: 0, updated: 0, received: 0 }))
  })

  it('400 with a reason for a body that is not JSON, not an array, or over 5 MB; nothing is stored', async () => {
    const before = (await payload.count({ collection: 'webhook-events' })).totalDocs
    const notJSON = await post('event=delivered&email=a@b.c')
    expect(notJSON.status).toBe(400)
    expect(notJSON.body.errors[0].message).toMatch(/not JSON/)
    const notArray = await post({ event: 'delivered', email: 'a@example.com' })
    expect(notArray.status).toBe(400)
    expect(notArray.body.errors[0].message).toMatch(/not a JSON array/)
    const { deliveries } = await sentJob(1)
    const filler = sendgridEvent(deliveries[0]!, 'open', { padding: 'x'.repeat(1000) })
    const huge = JSON.stringify(Array.from({ length: 5300 }, () => ({ ...filler, sg_event_id: Math.random().toString(36) })))
    expect(huge.length).toBeGreaterThan(5 * 1024 * 1024)
    const tooLarge = await post(huge)
    expect(tooLarge.status).toBe(400)
    expect(tooLarge.body.errors[0].message).toMatch(/larger than 5 MB/)
    expect((await payload.count({ collection: 'webhook-events' })).totalDocs).toBe(before)
  })

  it('signed webhook: a good signature passes; a missing, bad, stale or replayed-onto-another-body one is a 403 with a reason', async () => {
    const signer = makeEventSigner()
    process.env.SENDGRID_WEBHOOK_PUBLIC_KEY = signer.publicKey
    try {
      const { recipients, deliveries } = await sentJob(1)
      const body = JSON.stringify([sendgridEvent(deliveries[0]!, 'delivered')])
      const missing = await post(body)
      expect(missing.status).toBe(403)
      expect(missing.body.errors[0].message).toMatch(/not signed/)
      const bad = await post(body, undefined, { ...signer.sign(body), 'X-Twilio-Email-Event-Webhook-Signature': makeEventSigner().sign(body)['X-Twilio-Email-Event-Webhook-Signature'] })
      expect(bad.status).toBe(403)
      expect(bad.body.errors[0].message).toMatch(/does not match/)
      const stale = await post(body, undefined, signer.sign(body, Math.floor(Date.now() / 1000) - 6 * 60))
      expect(stale.status).toBe(403)
      expect(stale.body.errors[0].message).toMatch(/old/)
      const otherBody = await post(body.replace('delivered', 'bounce'), undefined, signer.sign(body))
      expect(otherBody.status).toBe(403)
      expect((await recipient(recipients[0]!.id)).status).toBe('sent')

      const good = await post(body, undefined, signer.sign(body))
      expect(good.status).toBe(200)
      okBody(good.body, 0, 1)
      expect((await recipient(recipients[0]!.id)).status).toBe('delivered')
      // The PEM form of the key works as well.
      process.env.SENDGRID_WEBHOOK_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----\n${signer.publicKey.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----`
      const body2 = JSON.stringify([sendgridEvent(deliveries[0]!, 'open')])
      expect((await post(body2, undefined, signer.sign(body2))).status).toBe(200)
      // A key that is no key: the server's fault, so a 5xx (SendGrid retries), not a silent accept.
      process.env.SENDGRID_WEBHOOK_PUBLIC_KEY = 'not-a-key'
      const broken = await post(body2, undefined, signer.sign(body2))
      expect(broken.status).toBe(500)
      expect(broken.body.errors[0].message).toMatch(/SENDGRID_WEBHOOK_PUBLIC_KEY/)
    } finally {
      delete process.env.SENDGRID_WEBHOOK_PUBLIC_KEY
    }
  })

  it('two simultaneous posts of the same events apply them once', async () => {
    const { jobID, deliveries } = await sentJob(20)
    const events = deliveries.map((d, i) => sendgridEvent(d, i % 2 ? 'bounce' : 'delivered'))
    const responses = await Promise.all([post(events), post([...events].reverse()), post(events)])
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200])
    expect(responses.reduce((sum, r) => sum + r.body.failed_updated, 0)).toBe(10)
    expect(responses.reduce((sum, r) => sum + r.body.updated, 0)).toBe(10)
    const { counters, rows } = await countersAndRows(payload, jobID)
    expect(counters).toEqual(rows)
    expect(counters).toEqual(expect.objectContaining({ delivered: 10, failed: 10, sent: 10 }))
    const suppressed = await payload.count({ collection: 'suppressions', where: { and: [{ org: { equals: fixture.org } }, { reason: { equals: 'bounce' } }, { address: { in: deliveries.map((d) => d.to) } }] } })
    expect(suppressed.totalDocs).toBe(10)
  })
})

describe('webhook events are org data', () => {
  it('a user of another org sees none of them through REST or GraphQL; members see their own', async () => {
    const { deliveries } = await sentJob(1)
    const event = sendgridEvent(deliveries[0]!, 'open')
    await post([event])
    const other = await makeSendingOrg(payload, { provider: 'smtp' })
    const outsiderREST = await other.sender.get(`/webhook-events?where[eventID][equals]=${event.sg_event_id}`)
    expect(outsiderREST.status).toBe(200)
    expect(outsiderREST.body.totalDocs).toBe(0)
    const outsiderGQL = await other.sender.gql(`query($id: String) { WebhookEvents(where: { eventID: { equals: $id } }) { totalDocs } }`, { id: event.sg_event_id })
    expect(outsiderGQL.body.data?.WebhookEvents.totalDocs).toBe(0)
    const member = await fixture.viewer.get(`/webhook-events?where[eventID][equals]=${event.sg_event_id}`)
    expect(member.body.totalDocs).toBe(1)
    // Nobody writes events through the API.
    const admin = await makeUser(payload, [{ org: fixture.org, roles: ['admin'] }])
    const adminClient = await loginAs(admin.email, 'fixture-password')
    const write = await adminClient.post('/webhook-events', { eventID: 'forged', type: 'delivered', occurredAt: new Date().toISOString(), receivedAt: new Date().toISOString(), payload: {} })
    expect(write.status).toBe(403)
  })
})
