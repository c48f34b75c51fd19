import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'

import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { buildRecipientMessage } from '@/services/sending/build-recipient-message'
import { processInboundEmail } from '@/services/inbox/process-inbound-email'
import { createReplyToken, readReplyAddress } from '@/services/inbox/reply-token'

import { type ApiClient, anonymous, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeUser, unique } from './helpers/fixtures'

/**
 * SendGrid Inbound Parse into the inbox, with recorded real-world messages (tests/fixtures/inbound):
 * both modes, charsets, the dead-letter list, Message-ID dedupe, automatic mail, opt-out replies,
 * signed reply addresses and the org's secret address.
 */

let payload: Payload
type Org = { id: number; secret: string; admin: ApiClient; viewer: ApiClient }
let alpha: Org
let beta: Org

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures/inbound', name))

/** A multipart/form-data body built by hand, so fields can carry bytes in any charset. */
const multipart = (parts: [string, Buffer | string, { filename?: string; type?: string }?][]) => {
  const boundary = `----outpost${randomBytes(8).toString('hex')}`
  const chunks: Buffer[] = []
  for (const [name, value, file] of parts) {
    const disposition = `form-data; name="${name}"${file?.filename ? `; filename="${file.filename}"` : ''}`
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${file?.type ? `Content-Type: ${file.type}\r\n` : ''}\r\n`))
    chunks.push(Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'))
    chunks.push(Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { type: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) }
}

const post = (secret: string, form: { type: string; body: Buffer }) =>
  anonymous().rest('POST', `/callbacks/inbound-email/${secret}`, { raw: { type: form.type, body: new Uint8Array(form.body) } })

/** Posts and runs the worker's part, as a worker would; returns the stored row. */
const deliver = async (org: Org, form: { type: string; body: Buffer }) => {
  const res = await post(org.secret, form)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  if (res.body.id) await processInboundEmail({ payload, id: res.body.id })
  return { res, row: res.body.id ? await payload.findByID({ collection: 'inbound-emails', id: res.body.id, depth: 0 }) : null }
}

const parsedForm = (fields: Record<string, Buffer | string>, files: [string, Buffer, string][] = []) =>
  multipart([...Object.entries(fields).map(([k, v]) => [k, v] as [string, Buffer | string]), ...files.map(([name, data, type]) => [name, data, { filename: name, type }] as [string, Buffer, { filename: string; type: string }])])

const headersOf = (messageID: string, extra = '') => `Received: from mx.example.com\nMessage-ID: ${messageID}\nDate: Sat, 5 Dec 2026 17:14:01 +0000\n${extra}`

const makeOrg = async (): Promise<Org> => {
  const name = unique('mail-org')
  const org = await payload.create({ collection: 'organizations', data: { name, slug: name, postalAddress: '1 Mail Road' } })
  const stored = await payload.findByID({ collection: 'organizations', id: org.id, depth: 0 })
  const admin = await makeUser(payload, [{ org: org.id, roles: ['admin'] }], { password: 'fixture-password' })
  const viewer = await makeUser(payload, [{ org: org.id, roles: ['viewer'] }], { password: 'fixture-password' })
  return { id: org.id, secret: stored.inbound!.emailSecret!, admin: await loginAs(admin.email, 'fixture-password'), viewer: await loginAs(viewer.email, 'fixture-password') }
}

const messagesFrom = async (org: number, from: string) =>
  (await payload.find({ collection: 'messages', where: { and: [{ org: { equals: org } }, { from: { equals: from } }] }, depth: 0, sort: 'createdAt' })).docs

beforeAll(async () => {
  payload = await getTestPayload()
  alpha = await makeOrg()
  beta = await makeOrg()
})

describe('POST /api/callbacks/inbound-email/:secret', () => {
  it('a Gmail reply in raw mode threads to its contact, keeping the reply and not the quoted history', async () => {
    const contact = await makeContact(payload, alpha.id, { email: 'gail.gmail@example.com', firstName: 'Gail' })
    const { row } = await deliver(alpha, multipart([['email', fixture('gmail-reply.eml')], ['envelope', '{"to":["news@send.example"],"from":"gail.gmail@example.com"}']]))
    expect(row).toEqual(expect.objectContaining({ status: 'threaded', mode: 'raw', messageID: '<CAGmail+reply-0001@mail.gmail.com>', from: 'gail.gmail@example.com', subject: 'Re: Spring update' }))
    const [message] = await messagesFrom(alpha.id, 'gail.gmail@example.com')
    expect(message).toEqual(expect.objectContaining({ direction: 'inbound', channel: 'email', subject: 'Re: Spring update', bodyText: 'Yes please, count me in for Saturday — can I bring my son?' }))
    // Its HTML is kept sanitised for the formatted view: Gmail's markup minus classes and attributes.
    expect(message!.bodyHtml).toContain('<div>Yes please, count me in for Saturday — can I bring my son?</div>')
    expect(message!.bodyHtml).not.toMatch(/class=|dir=/)
    const conversation = await payload.findByID({ collection: 'conversations', id: message!.conversation as number, depth: 0 })
    expect(conversation).toEqual(expect.objectContaining({ contact: contact.id, channels: ['email'], unread: true }))
  })

  it('an Outlook reply (ISO-8859-1, an inline image) reads the same in raw and in parsed mode', async () => {
    const raw = fixture('outlook-reply.eml')
    await deliver(alpha, multipart([['email', raw]]))
    // The same message as SendGrid's parsed mode posts it: the text in ISO-8859-1, as `charsets` says.
    const text = Buffer.from("Thanks, we'll be there. Caf\u00e9 at noon?\r\n\r\nOtto\r\n\r\nFrom: News <news@send.example>\r\nSent: Friday, December 4, 2026 10:00 AM\r\nSubject: Spring update\r\n\r\nDear Otto, our spring fair is on Saturday.\r\n", 'latin1')
    await deliver(
      beta,
      parsedForm(
        {
          headers: headersOf('<DB9PR01MB0001.eurprd01.prod.outlook.com>', 'In-Reply-To: <outpost-job-7-abc@news.example>\n'),
          from: '"Otto Outlook" <Otto.Outlook@example.org>',
          to: '"News" <news@send.example>',
          subject: 'RE: Spring update',
          text,
          charsets: JSON.stringify({ from: 'UTF-8', to: 'UTF-8', subject: 'UTF-8', text: 'iso-8859-1' }),
          envelope: '{"to":["news@send.example"]}',
          attachments: '1',
          'attachment-info': JSON.stringify({ attachment1: { filename: 'image001.png', type: 'image/png', 'content-id': 'image001.png@01DB0000.00000000' } }),
        },
        [['attachment1', Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'), 'image/png']],
      ),
    )
    const [viaRaw] = await messagesFrom(alpha.id, 'otto.outlook@example.org')
    const [viaParsed] = await messagesFrom(beta.id, 'otto.outlook@example.org')
    for (const message of [viaRaw, viaParsed]) {
      expect(message).toEqual(expect.objectContaining({ subject: 'RE: Spring update', bodyText: "Thanks, we'll be there. Café at noon?\n\nOtto", providerMessageID: '<DB9PR01MB0001.eurprd01.prod.outlook.com>' }))
    }
    // The inline image is kept as the org's attachment, linked to the message; the org's members read it, others do not.
    for (const message of [viaRaw, viaParsed]) {
      expect(message!.attachments).toHaveLength(1)
      const media = await payload.findByID({ collection: 'media', id: (message!.attachments as number[])[0]!, depth: 0 })
      expect(media).toEqual(expect.objectContaining({ org: message!.org, mimeType: 'image/png' }))
    }
    expect((await beta.viewer.get(`/media/${(viaRaw!.attachments as number[])[0]}`)).status).toBe(404)
    expect((await alpha.viewer.get(`/media/${(viaRaw!.attachments as number[])[0]}`)).status).toBe(200)
    // An unknown sender: an unlinked conversation, and no contact made.
    const conversation = await payload.findByID({ collection: 'conversations', id: viaRaw!.conversation as number, depth: 0 })
    expect(conversation).toEqual(expect.objectContaining({ contact: null, address: 'otto.outlook@example.org' }))
    expect((await payload.count({ collection: 'contacts', where: { email: { equals: 'otto.outlook@example.org' } } })).totalDocs).toBe(0)
  })

  it('names the job a reply answers: by its signed reply address, or by In-Reply-To to one of the job’s messages', async () => {
    const template = (await payload.find({ collection: 'email-templates', where: { org: { equals: alpha.id } }, depth: 0, limit: 1 })).docs[0]!
    const job = await payload.create({ collection: 'email-jobs', data: { org: alpha.id, name: unique('job'), template: template.id } as never })
    const pool = (payload.db as any).pool
    await pool.query(`INSERT INTO email_recipients (org_id, job_id, email, status, provider_message_i_d, created_at, updated_at) VALUES ($1, $2, 'jo@example.com', 'sent', '<job-msg-1@send.example>', now(), now())`, [alpha.id, job.id])
    const byToken = await deliver(alpha, parsedForm({ headers: headersOf('<job-tok-1@example.com>'), from: 'jo@example.com', to: `reply+${createReplyToken({ org: alpha.id, job: job.id })}@reply.example.org`, text: 'Yes' }))
    const byHeader = await deliver(alpha, parsedForm({ headers: headersOf('<job-irt-1@example.com>', 'In-Reply-To: <job-msg-1@send.example>\n'), from: 'jo@example.com', text: 'And again' }))
    expect(byToken.row!.status).toBe('threaded')
    expect(byHeader.row!.status).toBe('threaded')
    expect((await messagesFrom(alpha.id, 'jo@example.com')).map((m) => m.job)).toEqual([job.id, job.id])
  })

  it('a reply to one of the org’s messages joins that thread by In-Reply-To, whoever sends it', async () => {
    const first = await deliver(alpha, parsedForm({ headers: headersOf('<thread-root-1@example.com>'), from: 'vera@example.com', subject: 'Stall booking', text: 'Can I book a stall?' }))
    // Her colleague answers from another address, quoting Vera's message.
    const second = await deliver(alpha, parsedForm({ headers: headersOf('<thread-reply-1@example.com>', 'In-Reply-To: <thread-root-1@example.com>\nReferences: <thread-root-1@example.com>\n'), from: 'walt@example.com', subject: 'Re: Stall booking', text: 'We would like two.' }))
    expect(second.row!.conversation).toBe(first.row!.conversation)
    expect(second.row!.reason).toMatch(/^Threaded by In-Reply-To/)
    // Another org's Message-ID joins nothing here.
    const elsewhere = await deliver(beta, parsedForm({ headers: headersOf('<thread-reply-2@example.com>', 'In-Reply-To: <thread-root-1@example.com>\n'), from: 'walt@example.com', text: 'Hello beta' }))
    expect(elsewhere.row!.conversation).not.toBe(first.row!.conversation)
  })

  it('a sender address that is no email address ends as failed with the reason, not retried', async () => {
    const { row } = await deliver(beta, parsedForm({ headers: headersOf('<bad-from-1@example.com>'), from: 'Someone <not an address>', text: 'Hello' }))
    expect(row).toEqual(expect.objectContaining({ status: 'failed', reason: expect.stringMatching(/is not a valid email address/) }))
  })

  it('stores a Message-ID once, however often SendGrid posts it', async () => {
    const form = () => parsedForm({ headers: headersOf('<dup-0001@example.com>'), from: 'dee@example.com', subject: 'Hello', text: 'Hello there' })
    const first = await deliver(alpha, form())
    expect(first.res.body.status).toBe('queued')
    const again = await post(alpha.secret, form())
    expect(again.status).toBe(200)
    expect(again.body.status).toBe('duplicate')
    expect(await messagesFrom(alpha.id, 'dee@example.com')).toHaveLength(1)
  })

  it('automatic mail (an out-of-office, a bounce, our own message) becomes a log entry only', async () => {
    const ooo = await deliver(alpha, multipart([['email', fixture('out-of-office.eml')]]))
    expect(ooo.row).toEqual(expect.objectContaining({ status: 'ignored', reason: 'An automatic message (Auto-Submitted: auto-replied).' }))
    const bounce = await deliver(alpha, multipart([['email', fixture('bounce.eml')]]))
    expect(bounce.row).toEqual(expect.objectContaining({ status: 'ignored', reason: 'A delivery report (bounce).' }))
    const bulk = await deliver(alpha, parsedForm({ headers: headersOf('<bulk-1@example.com>', 'Precedence: bulk\n'), from: 'list@example.com', text: 'News' }))
    expect(bulk.row!.status).toBe('ignored')
    const own = await deliver(alpha, parsedForm({ headers: headersOf('<own-1@example.com>', 'X-Outpost-Recipient: 42\n'), from: 'news@send.example', text: 'Hi' }))
    expect(own.row).toEqual(expect.objectContaining({ status: 'ignored', reason: 'Our own outgoing message came back.' }))
    for (const from of ['ursula@example.com', 'mailer-daemon@mx.example.net', 'list@example.com']) expect(await messagesFrom(alpha.id, from)).toHaveLength(0)
  })

  it('a reply whose first line is an opt-out keyword suppresses the address for email; a near miss goes to review and is kept', async () => {
    const exact = await deliver(alpha, parsedForm({ headers: headersOf('<stop-1@example.com>'), from: 'Quinn <quinn@example.com>', subject: 'Re: news', text: 'Unsubscribe\n\nOn Fri, News wrote:\n> hello' }))
    expect(exact.row).toEqual(expect.objectContaining({ status: 'ignored', reason: expect.stringMatching(/^An opt-out reply \("Unsubscribe"\)/) }))
    const suppression = await payload.find({ collection: 'suppressions', where: { and: [{ org: { equals: alpha.id } }, { address: { equals: 'quinn@example.com' } }] }, depth: 0 })
    expect(suppression.docs).toEqual([expect.objectContaining({ channel: 'email', status: 'active', reason: 'keyword' })])
    const fuzzy = await deliver(alpha, parsedForm({ headers: headersOf('<stop-2@example.com>'), from: 'rae@example.com', text: 'please unsubscribe me from this list' }))
    expect(fuzzy.row!.status).toBe('threaded')
    expect(fuzzy.row!.reason).toMatch(/review queue/)
    expect((await payload.find({ collection: 'suppressions', where: { address: { equals: 'rae@example.com' } }, depth: 0 })).docs[0]!.status).toBe('pending_review')
  })

  it('a signed reply address names its job only in its own org; another org’s token attaches nothing', async () => {
    // A job id no test makes (ids of jobs made in this run are far smaller).
    const ours = `reply+${createReplyToken({ org: alpha.id, job: 2_000_000_077 })}@reply.example.org`
    const theirs = `reply+${createReplyToken({ org: beta.id, job: 88 })}@reply.example.org`
    const good = await deliver(alpha, parsedForm({ headers: headersOf('<tok-1@example.com>'), from: 'sam@example.com', to: ours, text: 'Got it' }))
    expect(good.row!.reason).toMatch(/^Threaded by its signed reply address \(job 2000000077\)/)
    // That is no job of this org, so no job is named on the message.
    expect((await messagesFrom(alpha.id, 'sam@example.com'))[0]!.job).toBeNull()
    const foreign = await deliver(alpha, parsedForm({ headers: headersOf('<tok-2@example.com>'), from: 'sam@example.com', to: theirs, text: 'Got it too' }))
    expect(foreign.row!.reason).toMatch(/^Threaded by the sender/)
    // A tampered token is no token.
    expect(readReplyAddress(ours.replace(/([0-9a-f])@/, (_, c: string) => `${c === '0' ? '1' : '0'}@`))).toBeNull()
    expect(readReplyAddress(ours.toUpperCase())).toEqual({ org: alpha.id, job: 2_000_000_077 })
  })

  it('refuses an unknown secret (404), another content type (415) and more than 30 MB (413); accepts a 25 MB attachment', async () => {
    const form = parsedForm({ headers: headersOf('<x-1@example.com>'), from: 'x@example.com', text: 'x' })
    expect((await post('not-a-real-secret-at-all', form)).status).toBe(404)
    expect((await anonymous().rest('POST', `/callbacks/inbound-email/${alpha.secret}`, { body: { from: 'x@example.com' } })).status).toBe(415)
    const big = parsedForm({ headers: headersOf('<big-1@example.com>'), from: 'big@example.com', subject: 'Plans', text: 'The plans are attached.' }, [['plans.pdf', Buffer.alloc(25 * 1024 * 1024, 1), 'application/pdf']])
    const accepted = await deliver(alpha, big)
    expect(accepted.row).toEqual(expect.objectContaining({ status: 'threaded', size: big.body.length }))
    const [withPlans] = await messagesFrom(alpha.id, 'big@example.com')
    expect(withPlans!.attachments).toHaveLength(1)
    // A file of a type attachments may not hold is left out, and the message says so.
    const exe = await deliver(alpha, parsedForm({ headers: headersOf('<exe-1@example.com>'), from: 'exe@example.com', text: 'See attached' }, [['setup.exe', Buffer.from('MZ'), 'application/x-msdownload']]))
    expect(exe.row!.status).toBe('threaded')
    const [withExe] = await messagesFrom(alpha.id, 'exe@example.com')
    expect(withExe).toEqual(expect.objectContaining({ attachments: [], attachmentNote: 'Not kept: setup.exe (application/x-msdownload is not a type attachments may hold)' }))
    const huge = parsedForm({ headers: headersOf('<huge-1@example.com>'), from: 'big@example.com', text: 'x' }, [['huge.bin', Buffer.alloc(31 * 1024 * 1024, 1), 'application/octet-stream']])
    expect((await post(alpha.secret, huge)).status).toBe(413)
  })

  it('keeps a post it cannot read as a dead letter with its raw body (for org admins) and answers 500 so SendGrid retries', async () => {
    const broken = { type: 'multipart/form-data; boundary=nope', body: Buffer.from('--nope\r\nContent-Disposition: form-data; name="from"\r\n\r\nbroken@example.com') }
    const res = await post(alpha.secret, broken)
    expect(res.status).toBe(500)
    expect(JSON.stringify(res.body)).toMatch(/kept as a dead letter; SendGrid will retry/)
    expect((await post(alpha.secret, broken)).status).toBe(500)
    const dead = await alpha.admin.get('/inbound-emails?where[status][equals]=failed')
    expect(dead.body.totalDocs).toBe(1)
    const raw = await alpha.admin.get(`/inbound-emails/${dead.body.docs[0].id}/raw`)
    expect(raw.status).toBe(200)
    expect(String(raw.body)).toContain('broken@example.com')
    // Viewers and other orgs see neither the list nor the raw body.
    expect((await alpha.viewer.get(`/inbound-emails/${dead.body.docs[0].id}/raw`)).status).toBe(403)
    expect((await beta.admin.get(`/inbound-emails/${dead.body.docs[0].id}/raw`)).status).toBe(404)
    expect((await beta.admin.gql(`{ InboundEmails(where: { id: { equals: ${dead.body.docs[0].id} } }) { totalDocs } }`)).body.data.InboundEmails.totalDocs).toBe(0)
  })

  it('an org admin rotates the secret: the old address stops at once; others may not', async () => {
    const org = await makeOrg()
    expect((await org.viewer.post(`/organizations/${org.id}/rotate-inbound-secret`)).status).toBe(403)
    expect((await beta.admin.post(`/organizations/${org.id}/rotate-inbound-secret`)).status).toBe(404)
    // Only admins read the secret.
    expect((await org.viewer.get(`/organizations/${org.id}`)).body.inbound?.emailSecret).toBeUndefined()
    expect((await org.admin.get(`/organizations/${org.id}`)).body.inbound.emailSecret).toBe(org.secret)
    const rotated = await org.admin.post(`/organizations/${org.id}/rotate-inbound-secret`)
    expect(rotated.status).toBe(200)
    const fresh = String(rotated.body.path).split('/').pop()!
    expect(fresh).not.toBe(org.secret)
    const form = () => parsedForm({ headers: headersOf(`<rot-${unique('m')}@example.com>`), from: 'r@example.com', text: 'x' })
    expect((await post(org.secret, form())).status).toBe(404)
    expect((await post(fresh, form())).status).toBe(200)
    const audit = await payload.find({ collection: 'audit-logs', where: { and: [{ org: { equals: org.id } }, { action: { equals: 'settings.change' } }] }, depth: 0 })
    expect(audit.docs.map((d) => d.summary)).toContain('Rotated the inbound email address: the old one no longer receives mail')
  })
})

describe('sending with a reply domain', () => {
  it('sets Reply-To to the job’s signed reply address', () => {
    const message = buildRecipientMessage({
      template: { subject: 'Hi', html: '<p>Hi {{unsubscribe_link}}</p>' },
      org: { id: 5, name: 'Org' },
      settings: { fromAddress: 'news@send.example', fromName: 'News', replyTo: 'office@send.example', replyDomain: 'reply.send.example' },
      recipient: { id: 9, email: 'a@example.com' },
      jobID: 12,
    })
    expect(message.replyTo).toMatch(/^reply\+5-c-[0-9a-f]{24}@reply\.send\.example$/)
    expect(readReplyAddress(message.replyTo!)).toEqual({ org: 5, job: 12 })
    const without = buildRecipientMessage({ template: { subject: 'Hi', html: '<p>{{unsubscribe_link}}</p>' }, org: { id: 5 }, settings: { fromAddress: 'n@s.example', fromName: 'N', replyTo: 'office@send.example' }, recipient: { id: 9, email: 'a@example.com' }, jobID: 12 })
    expect(without.replyTo).toBe('office@send.example')
  })
})
