import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createSmtpTransport } from '@/integrations/email/smtp-transport'
import { buildRecipientMessage } from '@/services/sending/build-recipient-message'
import { verifyUnsubscribeToken } from '@/services/unsubscribe/unsubscribe-token'

import { type SmtpSink, startSmtpSink } from './fakes/smtp-sink'

const SECRET = 'z'.repeat(40)
const template = {
  subject: 'News for {{first_name}}',
  html: '<p>Hello {{full_name}}</p><p><a href="{{unsubscribe_link}}">Unsubscribe</a></p>',
  footer: '{{org_name}}',
}
const org = { id: 7, name: 'Demo Org', postalAddress: '1 Demo Street' }
const settings = { fromAddress: 'news@demo.example', fromName: 'Demo News', replyTo: 'reply@demo.example' }

let sink: SmtpSink
beforeAll(async () => {
  sink = await startSmtpSink()
})
afterAll(() => sink.close())

describe('a recipient’s message', () => {
  it('arrives over real SMTP with one-click unsubscribe headers, a signed link and an attachment', async () => {
    const message = buildRecipientMessage({
      template,
      org,
      settings,
      recipient: { id: 42, email: 'Ada@Example.com', contact: { firstName: 'Ada', lastName: 'Lovelace' } },
      attachments: [{ filename: 'programme.txt', content: Buffer.from('spring'), contentType: 'text/plain' }],
      env: { SITE_URL: 'https://outpost.example.org', UNSUBSCRIBE_MAILTO: 'stop@demo.example' },
      secret: SECRET,
    })
    const transport = createSmtpTransport({ host: '127.0.0.1', port: sink.port, secure: false })
    await transport.send(message)
    await transport.close()
    const [received] = await sink.waitFor(1)
    const header = (name: string) => received!.parsed.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n\s+/g, ' ')
    expect(received!.parsed.subject).toBe('News for Ada')
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
    const links = /<(https:\/\/outpost\.example\.org\/api\/unsubscribe\/([^>]+))>, <mailto:stop@demo\.example\?subject=[^>]+>/.exec(header('list-unsubscribe') ?? '')
    expect(links).not.toBeNull()
    expect(verifyUnsubscribeToken(decodeURIComponent(links![2]!), SECRET)).toEqual({ org: 7, address: 'ada@example.com', channel: 'email' })
    expect(received!.parsed.html).toContain(links![1])
    expect(received!.parsed.text).toContain('1 Demo Street')
    expect(received!.parsed.replyTo?.text).toBe('reply@demo.example')
    expect(received!.parsed.attachments.map((a) => a.filename)).toEqual(['programme.txt'])
  })

  it('without any URL base the link is a mailto and there is no one-click header', () => {
    const message = buildRecipientMessage({ template, org, settings, recipient: { id: 1, email: 'b@example.com' }, env: {}, secret: SECRET })
    expect(message.headers!['List-Unsubscribe']).toMatch(/^<mailto:news@demo\.example\?subject=/)
    expect(message.headers).not.toHaveProperty('List-Unsubscribe-Post')
  })
})
