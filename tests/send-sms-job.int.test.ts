import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { signTwilioWebhook, startTwilioFake, type TwilioFake } from './fakes/twilio-fake'
import { type ApiClient, anonymous, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeMedia, makeUser, unique } from './helpers/fixtures'
import { countersAndRows, runTriggersUntilDone } from './helpers/send-fixtures'

/**
 * SMS jobs on the one sending engine: SMS templates (opt-out line required), queueing with the
 * mobile-number rule and SMS-only suppressions, sending through the outbox and through Twilio (a
 * loopback fake speaking its REST API), Twilio's error codes, status callbacks (signature, forwards
 * only, replays), the metrics' SMS channel and "Send test SMS".
 */

let payload: Payload
let twilio: TwilioFake
const SITE = 'http://localhost:3000'
const saved = { base: process.env.TWILIO_API_BASE_URL, site: process.env.SITE_URL }

type SmsOrg = { org: number; admin: ApiClient; sender: ApiClient; viewer: ApiClient; template: number; token: string; adminPhone: string }

const SMS_TEXT = 'Hi {{first_name}}, {{org_name}} opens at 9 tomorrow. {{opt_out_line}}'

/** Each org's own sender number (unique per org): counted, not random, so two orgs never draw the same one. */
let fromNumbers = 2000
const nextFromNumber = () => `+1415555${fromNumbers++}`

const makeSmsOrg = async (sms: Record<string, unknown>): Promise<SmsOrg> => {
  const name = unique('sms-org')
  const token = String(sms.twilioAuthToken ?? 'unused-token')
  const org = await payload.create({
    collection: 'organizations',
    data: { name, slug: name, postalAddress: '1 Text Street', sms: { defaultCountry: 'US', ...sms }, sending: { batchDelaySeconds: 0 } } as never,
  })
  const password = 'fixture-password'
  const adminPhone = '+14155550177'
  const adminUser = await makeUser(payload, [{ org: org.id, roles: ['admin'] }], { password, phone: adminPhone } as never)
  const senderUser = await makeUser(payload, [{ org: org.id, roles: ['sender'] }], { password })
  const viewerUser = await makeUser(payload, [{ org: org.id, roles: ['viewer'] }], { password })
  const template = await payload.create({ collection: 'email-templates', data: { org: org.id, name: unique('sms-tpl'), channel: 'sms', smsBody: SMS_TEXT, status: 'approved' } as never })
  return {
    org: org.id,
    admin: await loginAs(adminUser.email, password),
    sender: await loginAs(senderUser.email, password),
    viewer: await loginAs(viewerUser.email, password),
    template: template.id,
    token,
    adminPhone,
  }
}

const queueSmsJob = async (fixture: SmsOrg, contacts: number[]) => {
  const created = await fixture.sender.post('/email-jobs', { name: unique('sms-job'), org: fixture.org, template: fixture.template, contacts })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  expect(created.body.doc.channel).toBe('sms')
  const queued = await fixture.sender.post(`/email-jobs/${created.body.doc.id}/queue`)
  expect(queued.status, JSON.stringify(queued.body)).toBe(200)
  return { id: created.body.doc.id as number, queued: queued.body }
}

const recipientsOf = async (jobID: number) =>
  (
    await (payload.db as any).pool.query(
      `SELECT r.id, r.email, r.status::text, r.excluded_reason, r.provider_message_i_d AS sid, r.last_error, r.provider_code, r.channel::text, c.first_name
         FROM email_recipients r LEFT JOIN contacts c ON c.id = r.contact_id WHERE r.job_id = $1 ORDER BY r.id`,
      [jobID],
    )
  ).rows as { id: number; email: string; status: string; excluded_reason: null | string; sid: null | string; last_error: null | string; provider_code: null | string; channel: string; first_name: string }[]

const postStatus = (params: Record<string, string>, token: string, sign: { url?: string; signature?: null | string } = {}) => {
  const url = sign.url ?? `${SITE}/api/callbacks/twilio/status`
  const signature = sign.signature === undefined ? signTwilioWebhook(token, url, params) : sign.signature
  return anonymous().rest('POST', '/callbacks/twilio/status', {
    raw: { type: 'application/x-www-form-urlencoded', body: new URLSearchParams(params).toString() },
    headers: signature === null ? {} : { 'x-twilio-signature': signature },
  })
}

beforeAll(async () => {
  payload = await getTestPayload()
  twilio = await startTwilioFake()
  process.env.TWILIO_API_BASE_URL = twilio.url
  process.env.SITE_URL = SITE
})
afterAll(async () => {
  await twilio?.close()
  for (const [key, value] of [['TWILIO_API_BASE_URL', saved.base], ['SITE_URL', saved.site]] as const) {
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
})

describe('SMS templates', () => {
  it('require the opt-out line, need no subject or HTML, and still go through approval', async () => {
    const fixture = await makeSmsOrg({ provider: 'outbox' })
    const client = fixture.sender
    const missing = await client.post('/email-templates', { org: fixture.org, name: unique('t'), channel: 'sms', smsBody: 'Hi {{first_name}}' })
    expect(missing.status).toBe(400)
    expect(JSON.stringify(missing.body)).toMatch(/must contain \{\{opt_out_line\}\}/)
    const empty = await client.post('/email-templates', { org: fixture.org, name: unique('t'), channel: 'sms', smsBody: '   ' })
    expect(empty.status).toBe(400)
    expect(JSON.stringify(empty.body)).toMatch(/SMS text is required/)
    const broken = await client.post('/email-templates', { org: fixture.org, name: unique('t'), channel: 'sms', smsBody: 'Hi {{#if first_name}} {{opt_out_line}}' })
    expect(broken.status).toBe(400)
    const good = await client.post('/email-templates', { org: fixture.org, name: unique('t'), channel: 'sms', smsBody: SMS_TEXT })
    expect(good.status, JSON.stringify(good.body)).toBe(201)
    expect(good.body.doc).toEqual(expect.objectContaining({ channel: 'sms', status: 'draft' }))
    // An email template still needs its body and unsubscribe link.
    const email = await client.post('/email-templates', { org: fixture.org, name: unique('t'), subject: 'S' })
    expect(email.status).toBe(400)
    expect(JSON.stringify(email.body)).toMatch(/body is required/)
    // A draft SMS template cannot be sent.
    const job = await fixture.sender.post('/email-jobs', { name: unique('j'), org: fixture.org, template: good.body.doc.id, contacts: [] })
    expect(job.status).toBe(400)
    expect(JSON.stringify(job.body)).toMatch(/Only approved templates/)
  })
})

describe('an SMS job through the outbox', () => {
  it('queues numbers in E.164 with reasons for the left-out, honours SMS suppressions only, and sends every message to the outbox', async () => {
    const fixture = await makeSmsOrg({ provider: 'outbox', optOutLine: 'Text STOP to end' })
    const add = (firstName: string, phone: null | string, email?: string) => makeContact(payload, fixture.org, { firstName, phone, ...(email ? { email } : {}) } as never)
    const emailSuppressed = `${unique('gone')}@example.com`
    const contacts = [
      await add('Ada', '+1 415 555 0101'),
      await add('Bea', '(415) 555-0102'), // local: read in the org's default country (US)
      await add('Cy', null),
      await add('Dot', null), // a number stored before the E.164 rule (set below)
      await add('Eve', '+44 20 7946 0000'), // a London landline
      await add('Fay', '+14155550106'), // opted out of SMS
      await add('Gus', '+14155550107', emailSuppressed), // opted out of email only: still texted
      await add('Hal', '+1 (415) 555-0101'), // Ada's number again: one message
    ]
    await (payload.db as any).pool.query(`UPDATE contacts SET phone = '12345' WHERE id = $1`, [contacts[3]!.id])
    // Today a number is stored in E.164, read in the org's default country, or refused with the reason.
    expect(contacts[1]!.phone).toBe('+14155550102')
    const refused = await fixture.sender.post('/contacts', { org: fixture.org, email: `${unique('p')}@example.com`, phone: '12345' })
    expect(refused.status).toBe(400)
    expect(refused.body.errors[0].data.errors[0]).toEqual(expect.objectContaining({ path: 'phone', message: '"12345" is not a phone number we can use: it is too short.' }))
    // An SMS suppression written locally is stored in E.164 too, so it matches.
    await payload.create({ collection: 'suppressions', data: { org: fixture.org, channel: 'sms', address: '(415) 555-0106', reason: 'keyword' } as never })
    await payload.create({ collection: 'suppressions', data: { org: fixture.org, channel: 'email', address: emailSuppressed, reason: 'unsubscribe' } as never })
    // The SMS suppression of another org changes nothing here.
    const other = await makeSmsOrg({ provider: 'outbox' })
    await payload.create({ collection: 'suppressions', data: { org: other.org, channel: 'sms', address: '+14155550102', reason: 'keyword' } as never })

    const { id: jobID, queued } = await queueSmsJob(fixture, contacts.map((c) => c.id))
    expect(queued).toEqual(expect.objectContaining({ total: 7, pending: 3, excluded: 4 }))
    const before = await recipientsOf(jobID)
    const byName = Object.fromEntries(before.map((r) => [r.first_name, r]))
    expect(byName.Ada).toEqual(expect.objectContaining({ email: '+14155550101', status: 'pending', channel: 'sms' }))
    expect(byName.Bea).toEqual(expect.objectContaining({ email: '+14155550102', status: 'pending' }))
    expect(byName.Gus).toEqual(expect.objectContaining({ email: '+14155550107', status: 'pending' }))
    expect(byName.Cy).toEqual(expect.objectContaining({ status: 'excluded', excluded_reason: 'No mobile number' }))
    expect(byName.Dot!.excluded_reason).toMatch(/^Not a valid mobile number: it is too short/)
    expect(byName.Eve!.excluded_reason).toBe('Not a mobile number (fixed line)')
    expect(byName.Fay).toEqual(expect.objectContaining({ status: 'excluded', excluded_reason: 'keyword' }))
    expect(byName.Hal).toBeUndefined()

    expect(await runTriggersUntilDone(payload, jobID)).toBe('completed')
    const after = await recipientsOf(jobID)
    expect(after.filter((r) => r.status === 'sent').map((r) => r.email).sort()).toEqual(['+14155550101', '+14155550102', '+14155550107'])
    const outbox = await payload.find({ collection: 'sms-outbox', where: { job: { equals: jobID } }, depth: 0, limit: 10, sort: 'to' })
    expect(outbox.docs.map((m) => [m.to, m.body])).toEqual([
      ['+14155550101', `Hi Ada, ${(await payload.findByID({ collection: 'organizations', id: fixture.org })).name} opens at 9 tomorrow. Text STOP to end`],
      ['+14155550102', expect.stringMatching(/^Hi Bea, .* Text STOP to end$/)],
      ['+14155550107', expect.stringMatching(/^Hi Gus, /)],
    ])
    expect(outbox.docs.every((m) => m.segments === 1 && m.encoding === 'GSM-7' && /^SM[0-9a-f]{32}$/.test(m.messageSid ?? ''))).toBe(true)
    // The outbox message id is the recipient's provider id, so the two can be followed either way.
    for (const message of outbox.docs) expect(after.find((r) => r.email === message.to)!.sid).toBe(message.messageSid)
    const { counters, rows } = await countersAndRows(payload, jobID)
    expect(counters).toEqual(expect.objectContaining({ total: 7, sent: 3, excluded: 4, pending: 0, failed: 0, unknown: 0 }))
    expect(rows).toEqual(expect.objectContaining({ total: 7, sent: 3, excluded: 4 }))

    // The outbox is the org's own: another org's member sees none of it, through REST and GraphQL.
    expect((await other.admin.get(`/sms-outbox?where[job][equals]=${jobID}`)).body.totalDocs).toBe(0)
    const gql = await other.admin.gql(`{ SmsOutboxMessages(where: { job: { equals: ${jobID} } }) { totalDocs } }`)
    expect(gql.body.data?.SmsOutboxMessages?.totalDocs, JSON.stringify(gql.body)).toBe(0)
    expect((await fixture.viewer.get(`/sms-outbox?where[job][equals]=${jobID}`)).body.totalDocs).toBe(3)
    expect((await fixture.admin.post('/sms-outbox', { org: fixture.org, to: '+14155550101', body: 'x' })).status).toBe(403)
  })

  it('an SMS job carries no attachments and needs a complete Twilio account when Twilio is chosen', async () => {
    const fixture = await makeSmsOrg({ provider: 'twilio' })
    const contact = await makeContact(payload, fixture.org, { phone: '+14155550131' } as never)
    const created = await fixture.sender.post('/email-jobs', { name: unique('sms-job'), org: fixture.org, template: fixture.template, contacts: [contact.id] })
    const queued = await fixture.sender.post(`/email-jobs/${created.body.doc.id}/queue`)
    expect(queued.status).toBe(400)
    expect(JSON.stringify(queued.body)).toMatch(/lack an account SID and an auth token and a sender number or Messaging Service/)

    const outbox = await makeSmsOrg({ provider: 'outbox' })
    const media = await makeMedia(payload, outbox.org)
    const texted = await makeContact(payload, outbox.org, { phone: '+14155550132' } as never)
    const withFile = await outbox.sender.post('/email-jobs', { name: unique('sms-job'), org: outbox.org, template: outbox.template, contacts: [texted.id], attachments: [media.id] })
    const refused = await outbox.sender.post(`/email-jobs/${withFile.body.doc?.id}/queue`)
    expect(refused.status).toBe(400)
    expect(JSON.stringify(refused.body)).toMatch(/An SMS carries no attachments/)
  })
})

describe('an SMS job through Twilio', () => {
  it('posts each message to Twilio’s API, maps its error codes, then follows status callbacks forwards only', async () => {
    const fixture = await makeSmsOrg({ provider: 'twilio', twilioAccountSid: twilio.accountSid, twilioAuthToken: twilio.authToken, fromNumber: nextFromNumber() })
    const phones = ['+14155550141', '+14155550142', '+14155550143', '+14155550144', '+14155550145']
    const contacts = []
    for (const [n, phone] of phones.entries()) contacts.push(await makeContact(payload, fixture.org, { firstName: `P${n}`, phone } as never))
    twilio.setRule((form) => {
      if (form.get('To') === '+14155550144') return { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' }
      if (form.get('To') === '+14155550145') return { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." }
      return null
    })
    const seen = twilio.requests.length
    const { id: jobID } = await queueSmsJob(fixture, contacts.map((c) => c.id))
    try {
      expect(await runTriggersUntilDone(payload, jobID)).toBe('completed_with_errors')
    } finally {
      twilio.setRule(null)
    }
    const requests = twilio.requests.slice(seen).filter((r) => r.path.includes(twilio.accountSid))
    expect(requests).toHaveLength(5)
    const form = new URLSearchParams(requests[0]!.body.toString('utf8'))
    expect(requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`)
    expect(form.get('StatusCallback')).toBe(`${SITE}/api/callbacks/twilio/status`)
    expect(form.get('Body')).toMatch(/^Hi P\d, .* Reply STOP to opt out$/)

    const rows = await recipientsOf(jobID)
    const at = (phone: string) => rows.find((r) => r.email === phone)!
    expect(at('+14155550144')).toEqual(expect.objectContaining({ status: 'failed', provider_code: '21610' }))
    expect(at('+14155550144').last_error).toMatch(/replied STOP/)
    expect(at('+14155550145').last_error).toMatch(/^The number is not a valid phone number \(21211, HTTP 400\)\.$/)
    const stopped = await payload.find({ collection: 'suppressions', where: { and: [{ org: { equals: fixture.org } }, { address: { equals: '+14155550144' } }] }, depth: 0 })
    expect(stopped.docs).toEqual([expect.objectContaining({ channel: 'sms', status: 'active', reason: 'unsubscribe' })])
    const sent = twilio.messages.filter((m) => phones.includes(m.to))
    expect(sent.map((m) => m.sid).sort()).toEqual(rows.filter((r) => r.status === 'sent').map((r) => r.sid).sort())

    const first = at('+14155550141')
    const params = (status: string, extra: Record<string, string> = {}) => ({ AccountSid: twilio.accountSid, MessageSid: first.sid!, MessageStatus: status, To: first.email, From: '+14155559999', ...extra })
    // The signature: bad, missing, another account's token, or the wrong URL are refused.
    expect((await postStatus(params('delivered'), twilio.authToken, { signature: null })).status).toBe(403)
    expect((await postStatus(params('delivered'), 'not-the-token')).status).toBe(403)
    expect((await postStatus(params('delivered'), twilio.authToken, { url: `${SITE}/api/callbacks/twilio/status?x=1` })).status).toBe(403)
    expect((await countersAndRows(payload, jobID)).counters.delivered).toBe(0)

    expect((await postStatus(params('sending'), twilio.authToken)).body.outcome).toBe('recorded')
    expect((await postStatus(params('delivered'), twilio.authToken)).body.outcome).toBe('updated')
    expect((await postStatus(params('delivered'), twilio.authToken)).body.outcome).toBe('duplicate')
    // Never backwards: a late "sent" leaves it delivered.
    expect((await postStatus(params('sent'), twilio.authToken)).body.outcome).toBe('no_change')
    expect((await postStatus(params('sent'), twilio.authToken)).body.outcome).toBe('duplicate')
    expect((await recipientsOf(jobID)).find((r) => r.id === first.id)!.status).toBe('delivered')

    // Undelivered to an unknown number: failed with the reason, and the number suppressed for SMS.
    const second = at('+14155550142')
    const undelivered = await postStatus({ AccountSid: twilio.accountSid, MessageSid: second.sid!, MessageStatus: 'undelivered', ErrorCode: '30005', To: second.email }, twilio.authToken)
    expect(undelivered.body.outcome).toBe('suppressed')
    const secondNow = (await recipientsOf(jobID)).find((r) => r.id === second.id)!
    expect(secondNow).toEqual(expect.objectContaining({ status: 'failed', provider_code: '30005', last_error: 'The number is unknown or no longer in service (30005).' }))

    const { counters, rows: truth } = await countersAndRows(payload, jobID)
    expect(counters).toEqual(expect.objectContaining({ total: 5, sent: 2, delivered: 1, failed: 3 }))
    expect(truth).toEqual(expect.objectContaining({ sent: 2, delivered: 1, failed: 3 }))

    // The callbacks feed the metrics under channel=sms.
    const summary = await fixture.admin.get(`/metrics/summary?org=${fixture.org}&channel=sms&bucket=hour`)
    expect(summary.status, JSON.stringify(summary.body)).toBe(200)
    expect(JSON.stringify(summary.body)).toMatch(/"delivered":1/)
    const events = await payload.find({ collection: 'webhook-events', where: { and: [{ org: { equals: fixture.org } }, { provider: { equals: 'twilio' } }] }, depth: 0, limit: 20 })
    expect(events.docs.every((e) => e.channel === 'sms')).toBe(true)
    expect(events.totalDocs).toBe(4)
  })

  it('a callback names a message id of ours only through its own org: another org’s token is refused, unknown ids are 404 or unmatched', async () => {
    const fixture = await makeSmsOrg({ provider: 'twilio', twilioAccountSid: twilio.accountSid, twilioAuthToken: twilio.authToken, fromNumber: nextFromNumber() })
    const contact = await makeContact(payload, fixture.org, { phone: '+14155550151' } as never)
    const { id: jobID } = await queueSmsJob(fixture, [contact.id])
    await runTriggersUntilDone(payload, jobID)
    const [row] = await recipientsOf(jobID)
    const otherToken = 'another-orgs-token-0123456789'
    await makeSmsOrg({ provider: 'twilio', twilioAccountSid: `AC${'fe'.repeat(16)}`, twilioAuthToken: otherToken, fromNumber: nextFromNumber() })
    const base = { MessageSid: row!.sid!, MessageStatus: 'failed', ErrorCode: '30008' }
    expect((await postStatus({ ...base, AccountSid: `AC${'fe'.repeat(16)}` }, otherToken)).status).toBe(403)
    expect((await recipientsOf(jobID))[0]!.status).toBe('sent')
    // No message and no account of ours: nothing to verify it with.
    expect((await postStatus({ MessageSid: `SM${'0'.repeat(32)}`, MessageStatus: 'delivered', AccountSid: `AC${'12'.repeat(16)}` }, 'x')).status).toBe(404)
    // Bad input is a 4xx with a reason.
    expect((await postStatus({ MessageSid: 'nope', MessageStatus: 'delivered' }, 'x')).status).toBe(400)
    expect((await postStatus({ MessageSid: row!.sid!, MessageStatus: 'exploded' }, twilio.authToken)).status).toBe(400)
    const wrongType = await anonymous().rest('POST', '/callbacks/twilio/status', { body: { MessageSid: row!.sid } })
    expect(wrongType.status).toBe(415)
  })

  it('paces sends at the org’s SMS rate: no 1-second window holds more than the per-second limit', async () => {
    const fixture = await makeSmsOrg({ provider: 'twilio', twilioAccountSid: twilio.accountSid, twilioAuthToken: twilio.authToken, fromNumber: nextFromNumber(), perSecondLimit: 4 })
    const contacts = []
    for (let n = 0; n < 12; n++) contacts.push(await makeContact(payload, fixture.org, { phone: `+1415555${String(3000 + n)}` } as never))
    const started = twilio.messages.length
    const { id: jobID } = await queueSmsJob(fixture, contacts.map((c) => c.id))
    expect(await runTriggersUntilDone(payload, jobID)).toBe('completed')
    const times = twilio.messages.slice(started).filter((m) => m.to.startsWith('+14155553')).map((m) => m.receivedAt.getTime()).sort((a, b) => a - b)
    expect(times).toHaveLength(12)
    for (const [i, t] of times.entries()) expect(times.filter((u) => u >= t && u < t + 1000).length, `window from message ${i}`).toBeLessThanOrEqual(4)
    // Twelve at four a second take close to three seconds: paced, not sent in one burst and then held.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(2500)
  })
})

describe('Send test SMS', () => {
  it('texts the admin’s own number through the saved settings; others get a clear refusal', async () => {
    const outbox = await makeSmsOrg({ provider: 'outbox' })
    const sent = await outbox.admin.post(`/organizations/${outbox.org}/test-sms`, {})
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    expect(sent.body).toEqual(expect.objectContaining({ sentTo: outbox.adminPhone, provider: 'outbox' }))
    const stored = await payload.find({ collection: 'sms-outbox', where: { and: [{ org: { equals: outbox.org } }, { to: { equals: outbox.adminPhone } }] }, depth: 0 })
    expect(stored.docs[0]!.body).toMatch(/the SMS settings work\. Reply STOP to opt out$/)
    expect((await outbox.viewer.post(`/organizations/${outbox.org}/test-sms`, {})).status).toBe(403)
    const bad = await outbox.admin.post(`/organizations/${outbox.org}/test-sms`, { to: '12' })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toMatch(/not a phone number we can text: it is too short/)
    const landline = await outbox.admin.post(`/organizations/${outbox.org}/test-sms`, { to: '+442079460000' })
    expect(landline.status).toBe(400)

    const viaTwilio = await makeSmsOrg({ provider: 'twilio', twilioAccountSid: twilio.accountSid, twilioAuthToken: twilio.authToken, fromNumber: nextFromNumber() })
    const ok = await viaTwilio.admin.post(`/organizations/${viaTwilio.org}/test-sms`, { to: '(415) 555-0188' })
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect(twilio.messages.at(-1)).toEqual(expect.objectContaining({ to: '+14155550188', body: expect.stringMatching(/the SMS settings work/) }))
    twilio.setRule(() => ({ status: 401, code: 20003, message: 'Authenticate <raw bytes>' }))
    try {
      const refused = await viaTwilio.admin.post(`/organizations/${viaTwilio.org}/test-sms`, { to: '+14155550189' })
      expect(refused.status).toBe(502)
      expect(JSON.stringify(refused.body)).toMatch(/Twilio refused the account SID or auth token \(20003, HTTP 401\)/)
      expect(JSON.stringify(refused.body)).not.toMatch(/raw bytes/)
    } finally {
      twilio.setRule(null)
    }
    // Another org's admin cannot use this org's settings.
    expect((await outbox.admin.post(`/organizations/${viaTwilio.org}/test-sms`, {})).status).toBe(404)
  })
})
