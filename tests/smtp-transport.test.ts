import net from 'node:net'

import { afterEach, describe, expect, it } from 'vitest'

import { applySubstitutions, createEmailTransport, createSmtpTransport, EmailSendError, type EmailTransport, type OutgoingEmail } from '@/integrations/email'

import { type SmtpSink, startSmtpSink } from './fakes/smtp-sink'

const message = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  from: { address: 'news@outpost.example', name: 'Outpost News' },
  to: 'someone@example.com',
  subject: 'Hello',
  html: '<p>Hello</p>',
  text: 'Hello',
  ...overrides,
})

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const sinkAndTransport = async (options: { parse?: boolean; maxConnections?: number } = {}) => {
  const sink: SmtpSink = await startSmtpSink({ parse: options.parse })
  cleanups.push(() => sink.close())
  const transport: EmailTransport = createSmtpTransport({
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    pool: { maxConnections: options.maxConnections ?? 2 },
  })
  cleanups.push(() => transport.close())
  return { sink, transport }
}

describe('applySubstitutions', () => {
  it('replaces keys in subject, html and text, longest first, and drops substitutions', () => {
    const result = applySubstitutions(
      message({
        subject: 'For {{name}}',
        html: '<p>{{name}} / {{name_full}}</p>',
        text: '{{name_full}}, {{name}}',
        substitutions: { '{{name}}': 'Ann', '{{name_full}}': 'Ann Lee' },
      }),
    )
    expect(result.subject).toBe('For Ann')
    expect(result.html).toBe('<p>Ann / Ann Lee</p>')
    expect(result.text).toBe('Ann Lee, Ann')
    expect(result).not.toHaveProperty('substitutions')
  })

  it('treats keys literally and does not substitute inside substituted values', () => {
    const result = applySubstitutions(
      message({ html: 'a.b a*b $1 -x-', text: '-x-', substitutions: { 'a.b': '[$&]', '-x-': 'has -y- inside', '-y-': 'Y' } }),
    )
    expect(result.html).toBe('[$&] a*b $1 has -y- inside')
    expect(result.text).toBe('has -y- inside')
  })
})

describe('SMTP transport', () => {
  it('applies substitutions before sending', async () => {
    const { sink, transport } = await sinkAndTransport()
    expect(transport.kind).toBe('smtp')
    await transport.send(
      message({
        to: 'ann@example.com',
        subject: 'News for -first_name-',
        html: '<p>Hi -first_name-, <a href="-unsubscribe-">unsubscribe</a></p>',
        text: 'Hi -first_name-. Unsubscribe: -unsubscribe-',
        headers: { 'X-Outpost-Recipient': 'r-1' },
        substitutions: { '-first_name-': 'Ann', '-unsubscribe-': 'https://outpost.example/u/ann' },
      }),
    )
    const [received] = await sink.waitFor(1)
    expect(received.to).toEqual(['ann@example.com'])
    expect(received.parsed.subject).toBe('News for Ann')
    expect(received.parsed.html).toContain('<p>Hi Ann, <a href="https://outpost.example/u/ann">unsubscribe</a></p>')
    expect(received.parsed.text?.trim()).toBe('Hi Ann. Unsubscribe: https://outpost.example/u/ann')
    expect(received.parsed.headers.get('x-outpost-recipient')).toBe('r-1')
  })

  it('sends a batch of 200 over a pool of 2 connections quickly (TCP_NODELAY), results in order', async () => {
    const { sink, transport } = await sinkAndTransport({ parse: false, maxConnections: 2 })
    // Warm the pool up so the measurement is about sending, not connecting.
    await transport.send(message({ to: 'warmup@example.com' }))
    sink.reset()

    const messages = Array.from({ length: 200 }, (_, i) =>
      message({ to: `reader${i}@example.com`, html: '<p>Hi -n-</p>', text: 'Hi -n-', substitutions: { '-n-': `#${i}` } }),
    )
    const started = performance.now()
    const results = await transport.sendBatch(messages)
    const elapsed = performance.now() - started

    expect(results).toHaveLength(200)
    expect(results.every((r) => r.ok)).toBe(true)
    const ids = results.map((r) => (r.ok ? r.providerMessageID : null))
    expect(new Set(ids).size).toBe(200)
    expect(sink.messages).toHaveLength(200)
    expect(new Set(sink.messages.map((m) => m.to[0]))).toEqual(new Set(messages.map((m) => m.to)))
    // Result i belongs to message i: its Message-ID is in the raw message sent to reader i.
    const rawByRecipient = new Map(sink.messages.map((m) => [m.to[0], m.raw.toString('utf8')]))
    results.forEach((result, i) => {
      if (!result.ok) throw result.error
      const raw = rawByRecipient.get(`reader${i}@example.com`)!
      expect(raw).toContain(`Message-ID: ${result.providerMessageID}`)
      expect(raw).toContain(`Hi #${i}`)
    })
    // Without NODELAY each message waits ~45 ms on delayed ACK: about 4.5 s for 200 over 2 connections.
    console.info(`SMTP sendBatch: 200 messages over 2 connections in ${Math.round(elapsed)} ms`)
    expect(elapsed).toBeLessThan(3000)
  })

  it('a 5xx refusal is permanent and a 4xx is transient; the rest of the batch is delivered', async () => {
    const { sink, transport } = await sinkAndTransport()
    sink.setRecipientRule((address) =>
      address.startsWith('gone')
        ? { code: 550, message: '5.1.1 No such user here' }
        : address.startsWith('relay')
          ? { code: 550, message: '5.7.1 Relaying denied' }
          : address.startsWith('busy')
          ? { code: 450, message: 'Mailbox busy, try later' }
          : null,
    )

    const results = await transport.sendBatch([
      message({ to: 'ok1@example.com' }),
      message({ to: 'gone@example.com' }),
      message({ to: 'busy@example.com' }),
      message({ to: 'ok2@example.com' }),
      message({ to: 'relay@example.com' }),
    ])

    expect(results.map((r) => r.ok)).toEqual([true, false, false, true, false])
    const [, gone, busy, , relay] = results
    if (gone.ok || busy.ok || relay.ok) throw new Error('expected failures')
    // Refused for a policy reason (here the relay): permanent, but the address itself is not to blame.
    expect(relay.error).toMatchObject({ kind: 'permanent', providerCode: '550 5.7.1', addressRejected: false })
    expect(relay.error.message).toBe('The mail server refused the message permanently: it was refused by the receiving side’s policy (authentication, reputation or content) (550 5.7.1).')
    expect(gone.error).toBeInstanceOf(EmailSendError)
    expect(gone.error).toMatchObject({ kind: 'permanent', providerCode: '550 5.1.1' })
    expect(gone.error.message).toBe('The mail server refused the message permanently: the mailbox does not exist (550 5.1.1).')
    // 5.1.1: the address itself is gone (a hard bounce, to be suppressed).
    expect(gone.error.addressRejected).toBe(true)
    expect(busy.error).toMatchObject({ kind: 'transient', providerCode: '450', addressRejected: false })
    expect(busy.error.message).toMatch(/try again later \(450\)/)
    // The server's own words are never repeated to users (an org's SMTP host can point anywhere).
    expect(`${gone.error.message}${busy.error.message}`).not.toMatch(/No such user|Mailbox busy/)
    await sink.waitFor(2)
    expect(sink.messages.map((m) => m.to[0]).sort()).toEqual(['ok1@example.com', 'ok2@example.com'])

    // send() throws the same classification.
    await expect(transport.send(message({ to: 'gone2@example.com' }))).rejects.toMatchObject({ kind: 'permanent', providerCode: '550 5.1.1' })
    await expect(transport.send(message({ to: 'busy2@example.com' }))).rejects.toMatchObject({ kind: 'transient', providerCode: '450' })
  })

  it('an unreachable server is a transient failure with the connection error code', async () => {
    const server = net.createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    const port = (server.address() as net.AddressInfo).port
    await new Promise<void>((resolve) => server.close(() => resolve()))

    const transport = createEmailTransport({ provider: 'smtp', smtp: { host: '127.0.0.1', port, secure: false, pool: { maxConnections: 1 } } })
    cleanups.push(() => transport.close())
    const error = await transport.send(message()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EmailSendError)
    expect(error).toMatchObject({ kind: 'transient', providerCode: 'ECONNREFUSED' })
    expect((error as Error).message).toBe('The mail server refused the connection (ECONNREFUSED).')

    const batch = await transport.sendBatch([message({ to: 'a@example.com' }), message({ to: 'b@example.com' })])
    expect(batch.every((r) => !r.ok && r.error.kind === 'transient' && r.error.providerCode === 'ECONNREFUSED')).toBe(true)
  })
})
