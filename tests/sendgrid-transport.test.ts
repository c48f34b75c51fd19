import crypto from 'node:crypto'
import net from 'node:net'

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { createEmailTransport, createSendGridTransport, EmailSendError, type EmailTransport, type OutgoingEmail } from '@/integrations/email'

import { type SendGridFake, startSendGridFake } from './fakes/sendgrid-fake'

const API_KEY = 'SG.outpost-test-key'

let fake: SendGridFake
let transport: EmailTransport

const mailSendRequests = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v3/mail/send')

/** A closed loopback port: connecting to it is refused. */
const closedPort = async () => {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const message = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  from: { address: 'news@outpost.example', name: 'Outpost News' },
  to: 'someone@example.com',
  subject: 'Hello',
  html: '<p>Hello</p>',
  text: 'Hello',
  ...overrides,
})

beforeAll(async () => {
  fake = await startSendGridFake({ apiKey: API_KEY })
  transport = createEmailTransport({ provider: 'sendgrid', apiKey: API_KEY }, { SENDGRID_API_BASE_URL: fake.url })
})

afterEach(() => {
  fake.deliveries.length = 0
  fake.requests.length = 0
  fake.setRecipientRule(null)
})

afterAll(async () => {
  await transport.close()
  await fake.close()
})

describe('SendGrid transport: batching', () => {
  it('sends 2,500 same-content messages as 3 requests (1000/1000/500), each recipient personalized', async () => {
    expect(transport.kind).toBe('sendgrid')
    const html = '<p>Hi {{first_name}} ({{first}}), <a href="{{unsubscribe_url}}">unsubscribe</a></p>'
    const text = 'Hi {{first_name}} ({{first}}). Unsubscribe: {{unsubscribe_url}}'
    const messages = Array.from({ length: 2500 }, (_, i) =>
      message({
        to: `reader${i}@example.com`,
        subject: `Issue 7 for {{first_name}} #${i}`,
        html,
        text,
        headers: { 'List-Unsubscribe': `<https://outpost.example/u/${i}>`, 'X-Outpost-Index': String(i) },
        reference: `recipient-${i}`,
        substitutions: {
          '{{first_name}}': `Reader ${i}`,
          '{{first}}': `R${i}`,
          '{{unsubscribe_url}}': `https://outpost.example/u/${i}`,
        },
      }),
    )

    const results = await transport.sendBatch(messages)

    const requests = mailSendRequests()
    expect(requests.map((r) => r.json().personalizations.length).sort((a: number, b: number) => b - a)).toEqual([1000, 1000, 500])
    // The shared body goes once per request, unsubstituted; SendGrid fills it in per personalization.
    for (const request of requests) {
      expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`)
      const body = request.json()
      expect(body.content).toEqual([
        { type: 'text/plain', value: text },
        { type: 'text/html', value: html },
      ])
    }

    expect(fake.deliveries).toHaveLength(2500)
    const byAddress = new Map(fake.deliveries.map((d) => [d.to, d]))
    expect(byAddress.size).toBe(2500)
    const requestIDs = new Set(fake.deliveries.map((d) => d.messageID))
    expect(requestIDs.size).toBe(3)

    expect(results).toHaveLength(2500)
    results.forEach((result, i) => {
      const delivery = byAddress.get(`reader${i}@example.com`)!
      expect(delivery).toBeDefined()
      expect(delivery.from).toEqual({ email: 'news@outpost.example', name: 'Outpost News' })
      expect(delivery.subject).toBe(`Issue 7 for Reader ${i} #${i}`)
      expect(delivery.html).toBe(`<p>Hi Reader ${i} (R${i}), <a href="https://outpost.example/u/${i}">unsubscribe</a></p>`)
      expect(delivery.text).toBe(`Hi Reader ${i} (R${i}). Unsubscribe: https://outpost.example/u/${i}`)
      expect(delivery.customArgs).toEqual({ outpost_recipient_id: `recipient-${i}` })
      expect(delivery.headers).toEqual({ 'List-Unsubscribe': `<https://outpost.example/u/${i}>`, 'X-Outpost-Index': String(i) })
      // Results come back in input order, each carrying its request's X-Message-Id.
      expect(result).toEqual({ ok: true, providerMessageID: delivery.messageID })
    })
  })

  it('puts messages whose shared content differs into separate requests, and keeps result order', async () => {
    const attachment = { filename: 'a.txt', content: Buffer.from('attached'), contentType: 'text/plain' }
    const messages = [
      message({ to: 'a1@example.com', html: '<p>A</p>', subject: 'First subject' }),
      message({ to: 'b1@example.com', html: '<p>B</p>' }),
      message({ to: 'a2@example.com', html: '<p>A</p>', subject: 'Another subject' }), // subject is per recipient
      message({ to: 'c1@example.com', html: '<p>A</p>', text: 'Other text' }),
      message({ to: 'd1@example.com', html: '<p>A</p>', from: { address: 'other@outpost.example' } }),
      message({ to: 'e1@example.com', html: '<p>A</p>', replyTo: 'replies@outpost.example' }),
      message({ to: 'f1@example.com', html: '<p>A</p>', attachments: [attachment] }),
      message({ to: 'b2@example.com', html: '<p>B</p>' }),
      // Equal attachment bytes in another Buffer share the request; other bytes do not.
      message({ to: 'f2@example.com', html: '<p>A</p>', attachments: [{ ...attachment, content: Buffer.from('attached') }] }),
      message({ to: 'g1@example.com', html: '<p>A</p>', attachments: [{ ...attachment, content: Buffer.from('different') }] }),
    ]

    const results = await transport.sendBatch(messages)

    const requests = mailSendRequests().map((r) => r.json())
    expect(requests).toHaveLength(7)
    const recipientsPerRequest = requests
      .map((body) => body.personalizations.map((p: { to: { email: string }[] }) => p.to[0].email).join(','))
      .sort()
    expect(recipientsPerRequest).toEqual([
      'a1@example.com,a2@example.com',
      'b1@example.com,b2@example.com',
      'c1@example.com',
      'd1@example.com',
      'e1@example.com',
      'f1@example.com,f2@example.com',
      'g1@example.com',
    ])

    const byAddress = new Map(fake.deliveries.map((d) => [d.to, d]))
    expect(byAddress.get('a1@example.com')!.subject).toBe('First subject')
    expect(byAddress.get('a2@example.com')!.subject).toBe('Another subject')
    expect(byAddress.get('e1@example.com')!.replyTo).toBe('replies@outpost.example')
    expect(byAddress.get('d1@example.com')!.from).toEqual({ email: 'other@outpost.example' })
    expect(byAddress.get('g1@example.com')!.attachments[0].content.toString()).toBe('different')
    results.forEach((result, i) => {
      expect(result).toEqual({ ok: true, providerMessageID: byAddress.get(messages[i].to)!.messageID })
    })
    expect(results[0]).toEqual(results[2])
    expect(results[1]).toEqual(results[7])
    expect(results[0]).not.toEqual(results[1])
  })

  it('delivers attachments base64-encoded, decoding to the same bytes, with filename and type', async () => {
    const pdf = crypto.randomBytes(50_000)
    const csv = Buffer.from('name,email\nÅsa,asa@example.com\n', 'utf8')
    await transport.send(
      message({
        attachments: [
          { filename: 'report.pdf', content: pdf, contentType: 'application/pdf' },
          { filename: 'list.csv', content: csv },
        ],
      }),
    )
    const [sent] = mailSendRequests().map((r) => r.json())
    expect(sent.attachments[0].content).toBe(pdf.toString('base64'))
    expect(fake.deliveries).toHaveLength(1)
    const [first, second] = fake.deliveries[0].attachments
    expect(first.filename).toBe('report.pdf')
    expect(first.type).toBe('application/pdf')
    expect(first.content.equals(pdf)).toBe(true)
    expect(second.filename).toBe('list.csv')
    expect(second.content.equals(csv)).toBe(true)
  })

  it('send() returns the X-Message-Id of its request', async () => {
    const result = await transport.send(message({ to: 'single@example.com', reference: 'r-1' }))
    expect(fake.deliveries).toHaveLength(1)
    expect(result).toEqual({ providerMessageID: fake.deliveries[0].messageID })
    expect(result.providerMessageID).toMatch(/\S{10,}/)
    expect(fake.deliveries[0].customArgs).toEqual({ outpost_recipient_id: 'r-1' })
  })
})

describe('SendGrid transport: failures', () => {
  it('a wrong API key is a permanent failure naming HTTP 401', async () => {
    const wrongKey = createSendGridTransport({ apiKey: 'SG.wrong-key', baseUrl: fake.url })
    const error = await wrongKey.send(message()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EmailSendError)
    expect(error).toMatchObject({ kind: 'permanent', providerCode: '401' })
    expect((error as Error).message).toMatch(/API key/)
    expect((error as Error).message).toMatch(/401/)
    // SendGrid's words are recognised and said in ours, never passed on as they came.
    expect((error as Error).message).toMatch(/the API key is invalid, expired or revoked \(HTTP 401\)/)
    expect((error as Error).message).not.toMatch(/authorization grant/)
    expect(fake.deliveries).toHaveLength(0)

    const batch = await wrongKey.sendBatch([message({ to: 'x@example.com' }), message({ to: 'y@example.com', html: '<p>other</p>' })])
    expect(batch.map((r) => (r.ok ? 'ok' : `${r.error.kind} ${r.error.providerCode}`))).toEqual(['permanent 401', 'permanent 401'])
  })

  it('a 400 fails every recipient of that request permanently, with SendGrid’s message; other requests proceed', async () => {
    fake.setRecipientRule((address) => (address === 'bad@example.com' ? { status: 400, message: 'Invalid recipient address.' } : null))
    const messages = [
      message({ to: 'good1@example.com', html: '<p>group A</p>' }),
      message({ to: 'bad@example.com', html: '<p>group A</p>' }),
      message({ to: 'good2@example.com', html: '<p>group B</p>' }),
      message({ to: 'good3@example.com', html: '<p>group A</p>' }),
    ]

    const results = await transport.sendBatch(messages)

    expect(results.map((r) => r.ok)).toEqual([false, false, true, false])
    for (const index of [0, 1, 3]) {
      const result = results[index]
      if (result.ok) throw new Error('expected a failure')
      expect(result.error).toBeInstanceOf(EmailSendError)
      expect(result.error.kind).toBe('permanent')
      expect(result.error.providerCode).toBe('400')
      expect(result.error.message).toMatch(/SendGrid rejected the message/)
      expect(result.error.message).toMatch(/an address in the message is not valid \(HTTP 400\)/)
      expect(result.error.message).not.toMatch(/Invalid recipient address/)
      expect(result.error.message).toMatch(/400/)
    }
    expect(fake.deliveries.map((d) => d.to)).toEqual(['good2@example.com'])
  })

  it.each([429, 500] as const)('HTTP %i is a transient failure', async (status) => {
    fake.setRecipientRule(() => ({ status, message: status === 429 ? 'Too many requests' : 'Internal server error' }))
    const error = await transport.send(message()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EmailSendError)
    expect(error).toMatchObject({ kind: 'transient', providerCode: String(status) })
    expect((error as Error).message).toMatch(String(status))
    expect((error as Error).message).toMatch(status === 429 ? /limiting how fast.*\(HTTP 429\)/ : /problem on its side.*\(HTTP 500\)/)
    expect((error as Error).message).not.toMatch(/Too many requests|Internal server error/)
  })

  it('an unreachable API is a transient failure with the network error code', async () => {
    const unreachable = createSendGridTransport({ apiKey: API_KEY, baseUrl: `http://127.0.0.1:${await closedPort()}` })
    const error = await unreachable.send(message()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EmailSendError)
    expect(error).toMatchObject({ kind: 'transient', providerCode: 'ECONNREFUSED' })
    expect((error as Error).message).toMatch(/Could not reach SendGrid/)

    const batch = await unreachable.sendBatch([message({ to: 'a@example.com' }), message({ to: 'b@example.com' })])
    expect(batch.every((r) => !r.ok && r.error.kind === 'transient')).toBe(true)
  })

  it('an API that never answers is a transient timeout', async () => {
    const sockets = new Set<net.Socket>()
    const silent = net.createServer((socket) => sockets.add(socket)) // accepts connections, never replies
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()))
    try {
      const port = (silent.address() as net.AddressInfo).port
      const slow = createSendGridTransport({ apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 200 })
      const started = performance.now()
      const error = await slow.send(message()).catch((e: unknown) => e)
      expect(performance.now() - started).toBeLessThan(2000)
      expect(error).toBeInstanceOf(EmailSendError)
      expect(error).toMatchObject({ kind: 'transient', providerCode: 'ECONNABORTED' })
      expect((error as Error).message).toMatch(/did not answer in time/)
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    }
  })

  it('an empty batch sends nothing', async () => {
    expect(await transport.sendBatch([])).toEqual([])
    expect(mailSendRequests()).toHaveLength(0)
  })
})

describe('SendGrid fake (wire format the transport is tested against)', () => {
  const post = (body: unknown, key = API_KEY) =>
    fetch(`${fake.url}/v3/mail/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const valid = {
    from: { email: 'news@outpost.example' },
    content: [{ type: 'text/plain', value: 'Hi -n-' }],
    personalizations: [{ to: [{ email: 'a@example.com' }], subject: 'S', substitutions: { '-n-': 'Ann' } }],
  }

  it('answers 202 with an X-Message-Id and an empty body for a valid request', async () => {
    const response = await post(valid)
    expect(response.status).toBe(202)
    expect(response.headers.get('x-message-id')).toBeTruthy()
    expect(await response.text()).toBe('')
    expect(fake.deliveries).toMatchObject([{ to: 'a@example.com', text: 'Hi Ann', messageID: response.headers.get('x-message-id') }])
  })

  it.each([
    ['a wrong key', valid, 'SG.nope', 401],
    ['no personalizations', { ...valid, personalizations: [] }, API_KEY, 400],
    ['more than 1,000 personalizations', { ...valid, personalizations: Array.from({ length: 1001 }, () => valid.personalizations[0]) }, API_KEY, 400],
    ['a personalization without to', { ...valid, personalizations: [{ subject: 'S' }] }, API_KEY, 400],
    ['no from', { ...valid, from: undefined }, API_KEY, 400],
    ['no content', { ...valid, content: [] }, API_KEY, 400],
    ['no subject', { ...valid, personalizations: [{ to: [{ email: 'a@example.com' }] }] }, API_KEY, 400],
  ])('refuses %s with SendGrid’s error envelope', async (_case, body, key, status) => {
    const response = await post(body, key)
    expect(response.status).toBe(status)
    const json = await response.json()
    expect(json.errors).toHaveLength(1)
    expect(Object.keys(json.errors[0]).sort()).toEqual(['field', 'help', 'message'])
    expect(json.errors[0].message).toMatch(/\w+/)
    expect(fake.deliveries).toHaveLength(0)
  })
})
