import net from 'node:net'

import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { closeOrgTransports } from '@/services/sending/get-org-transport'

import { getTestPayload, loginAs } from './helpers/app'
import { makeUser } from './helpers/fixtures'
import { makeRecipients, makeSendingOrg, queueJob, runTriggersUntilDone } from './helpers/send-fixtures'

/**
 * An org admin points the SMTP host at the server's own network. The test email and a queued job must
 * neither reach internal addresses (unless the operator allows them) nor show what a service there says.
 */
const BANNER = 'INFO {"server_id":"NDJWE4SECRETBANNER","version":"2.10.7","go":"go1.22"}'
let payload: Payload
let banner: net.Server
let bannerPort: number
let connections = 0
const saved = process.env.OUTBOUND_ALLOWED_HOSTS

beforeAll(async () => {
  payload = await getTestPayload()
  // A non-SMTP service on loopback that greets every connection with its own line (as NATS does), then hangs up.
  banner = net.createServer((socket) => {
    connections += 1
    socket.on('error', () => {})
    socket.end(`${BANNER}\r\n`)
  })
  await new Promise<void>((resolve) => banner.listen(0, '127.0.0.1', () => resolve()))
  bannerPort = (banner.address() as net.AddressInfo).port
})
afterAll(async () => {
  if (saved === undefined) delete process.env.OUTBOUND_ALLOWED_HOSTS
  else process.env.OUTBOUND_ALLOWED_HOSTS = saved
  await closeOrgTransports()
  await new Promise<void>((resolve) => banner.close(() => resolve()))
})

const adminOf = async (host: string, port: number) => {
  const fixture = await makeSendingOrg(payload, { provider: 'smtp', smtpHost: host, smtpPort: port, maxRetries: 0, batchDelaySeconds: 0 })
  const user = await makeUser(payload, [{ org: fixture.org, roles: ['admin'] }])
  return { fixture, admin: await loginAs(user.email, 'fixture-password') }
}

describe('outbound connections an org configures', () => {
  it('the test email refuses loopback and metadata addresses without connecting, unless the operator allows them', async () => {
    process.env.OUTBOUND_ALLOWED_HOSTS = 'none'
    const before = connections
    for (const host of ['127.0.0.1', '169.254.169.254', 'localhost']) {
      const { fixture, admin } = await adminOf(host, bannerPort)
      const res = await admin.post(`/organizations/${fixture.org}/test-email`)
      expect(res.status, host).toBe(502)
      expect(res.body.errors[0].message).toMatch(/private, loopback or link-local address, which Outpost does not connect to/)
      expect(res.body.errors[0].details).toEqual({ providerCode: 'EOUTBOUND' })
      expect(JSON.stringify(res.body)).not.toContain('server_id')
    }
    expect(connections).toBe(before)
  })

  it('an allowed address that does not speak SMTP gives a sentence and a code, never the service’s own words', async () => {
    process.env.OUTBOUND_ALLOWED_HOSTS = '127.0.0.1'
    const { fixture, admin } = await adminOf('127.0.0.1', bannerPort)
    const before = connections
    const res = await admin.post(`/organizations/${fixture.org}/test-email`)
    expect(connections).toBe(before + 1)
    expect(res.status).toBe(502)
    const text = JSON.stringify(res.body)
    expect(text).not.toMatch(/server_id|SECRETBANNER|INFO|go1\.22/)
    expect(res.body.errors[0].message).toBe('The server did not answer like a mail server (EPROTOCOL).')
  })

  it('a queued job to a refused host fails its recipients with the sentence; nothing of the remote side reaches lastError', async () => {
    process.env.OUTBOUND_ALLOWED_HOSTS = 'none'
    const { fixture } = await adminOf('127.0.0.1', bannerPort)
    const contacts = await makeRecipients(payload, fixture.org, 2)
    const jobID = await queueJob(fixture, contacts.map((c) => c.id))
    expect(await runTriggersUntilDone(payload, jobID)).toBe('failed')
    const rows = (await payload.find({ collection: 'email-recipients', where: { job: { equals: jobID } }, depth: 0 })).docs
    expect(rows.map((r) => [r.status, r.providerCode])).toEqual([['failed', 'EOUTBOUND'], ['failed', 'EOUTBOUND']])
    for (const row of rows) expect(row.lastError).toMatch(/^127\.0\.0\.1 is a private, loopback or link-local address/)

    // Allowed, the same host's banner still never reaches a member-readable lastError.
    process.env.OUTBOUND_ALLOWED_HOSTS = '127.0.0.1'
    await closeOrgTransports()
    const second = await makeRecipients(payload, fixture.org, 1)
    const jobID2 = await queueJob(fixture, second.map((c) => c.id))
    expect(await runTriggersUntilDone(payload, jobID2)).toBe('failed')
    const [row] = (await payload.find({ collection: 'email-recipients', where: { job: { equals: jobID2 } }, depth: 0 })).docs
    expect(row!.lastError).not.toMatch(/server_id|SECRETBANNER|INFO/)
    expect(row!.lastError).toMatch(/^The server did not answer like a mail server \(EPROTOCOL\)\./)
  })
})
