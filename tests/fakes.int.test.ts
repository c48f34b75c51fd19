import nodemailer from 'nodemailer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startHttpFake } from './fakes/http-fake'
import { type SmtpSink, startSmtpSink } from './fakes/smtp-sink'

describe('SMTP sink', () => {
  let sink: SmtpSink
  beforeAll(async () => {
    sink = await startSmtpSink()
  })
  afterAll(() => sink.close())

  it('records and parses what a real SMTP client sends', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true })
    await transport.sendMail({
      from: 'Outpost <outpost@example.org>',
      to: 'ada@example.com',
      subject: 'Hello',
      text: 'plain',
      html: '<p>html</p>',
      headers: { 'List-Unsubscribe': '<https://x.example/u/abc>' },
      attachments: [{ filename: 'note.txt', content: 'attached' }],
    })
    const [message] = await sink.waitFor(1)
    expect(message!.to).toEqual(['ada@example.com'])
    expect(message!.parsed.subject).toBe('Hello')
    expect(message!.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toBe(
      'List-Unsubscribe: <https://x.example/u/abc>',
    )
    expect(message!.parsed.attachments[0]!.filename).toBe('note.txt')
    transport.close()
  })

  it('refuses recipients with the SMTP code a test chooses', async () => {
    sink.setRecipientRule((address) => (address.startsWith('gone') ? { code: 550, message: 'No such user' } : null))
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true })
    const error = await transport
      .sendMail({ from: 'a@example.org', to: 'gone@example.com', subject: 'x', text: 'x' })
      .then(() => null, (e: { responseCode?: number }) => e)
    expect(error?.responseCode).toBe(550)
    sink.setRecipientRule(null)
    transport.close()
  })
})

describe('HTTP fake', () => {
  it('serves routes, records requests and 404s the rest', async () => {
    const fake = await startHttpFake({ 'POST /v3/mail/send': () => ({ status: 202, headers: { 'x-message-id': 'abc' } }) })
    const sent = await fetch(`${fake.url}/v3/mail/send`, { method: 'POST', body: JSON.stringify({ a: 1 }) })
    expect(sent.status).toBe(202)
    expect(sent.headers.get('x-message-id')).toBe('abc')
    expect(fake.requests[0]!.json()).toEqual({ a: 1 })
    expect((await fetch(`${fake.url}/nope`)).status).toBe(404)
    await fake.close()
  })
})
