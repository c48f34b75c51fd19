import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { emailAdapter } from '@/integrations/email/payload-email-adapter'

import { type SmtpSink, startSmtpSink } from './fakes/smtp-sink'
import { type ApiClient, anonymous, getTestPayload, loginAs } from './helpers/app'
import { makeUser, unique } from './helpers/fixtures'

/**
 * Invitations: an org admin invites by email; the person chooses their own password through Payload's
 * reset flow with a one-time link that expires after 72 hours; pending invitations can be sent again or
 * withdrawn; everything is audited, and nobody else can do any of it.
 */

let payload: Payload
let sink: SmtpSink
let restoreEmail: () => void
type Org = { id: number; name: string; admin: ApiClient; sender: ApiClient; viewer: ApiClient }
let alpha: Org
let beta: Org

const makeOrg = async (): Promise<Org> => {
  const name = unique('invite-org')
  const org = await payload.create({ collection: 'organizations', data: { name, slug: name, postalAddress: '1 Invite Row' } as never })
  const login = async (role: 'admin' | 'sender' | 'viewer') => {
    const user = await makeUser(payload, [{ org: org.id, roles: [role] }], { password: 'fixture-password' })
    return loginAs(user.email, 'fixture-password')
  }
  return { id: org.id, name, admin: await login('admin'), sender: await login('sender'), viewer: await login('viewer') }
}

/** The link of the last email to `address` once the sink holds `count` messages, and its token. */
const linkFor = async (address: string, count: number) => {
  await sink.waitFor(count)
  const mail = sink.messages.filter((m) => m.to.includes(address)).at(-1)!
  const link = /(https?:\/\/\S+\/admin\/reset\/([0-9a-f]{64}))/.exec(mail.parsed.text ?? '')
  return { mail, link: link?.[1] ?? null, token: link?.[2] ?? null }
}

const setPassword = (token: string, password: string) => anonymous().post('/users/reset-password', { token, password })
const login = (email: string, password: string) => anonymous().post('/users/login', { email, password })
const auditOf = async (id: number) =>
  (await payload.find({ collection: 'audit-logs', where: { and: [{ targetCollection: { equals: 'users' } }, { targetID: { equals: String(id) } }] }, sort: 'createdAt', depth: 0, limit: 20 })).docs.map((d) => d.action)

beforeAll(async () => {
  payload = await getTestPayload()
  sink = await startSmtpSink()
  const adapter = await emailAdapter({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port), SMTP_FROM_ADDRESS: 'invites@outpost.test' })
  const email = adapter!({ payload })
  const saved = { email: payload.email, sendEmail: payload.sendEmail }
  payload.email = email
  payload.sendEmail = (message) => email.sendEmail(message)
  restoreEmail = () => Object.assign(payload, saved)
  alpha = await makeOrg()
  beta = await makeOrg()
})
afterAll(async () => {
  restoreEmail()
  await sink.close()
})

describe('inviting', () => {
  it('an org admin invites by email; the person sets their own password through the one-time link and joins, audited', async () => {
    const address = `${unique('new')}@example.com`
    const before = Date.now()
    const mark = sink.messages.length
    const res = await alpha.admin.post('/users/invite', { email: `  ${address.toUpperCase()} `, name: 'Nia New', org: alpha.id, roles: ['sender'] })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toEqual(expect.objectContaining({ status: 'invited', email: address }))
    expect(res.body.link).toBeUndefined()
    const expires = new Date(res.body.expiresAt).getTime()
    expect(expires - before).toBeGreaterThan(72 * 3600_000 - 60_000)
    expect(expires - before).toBeLessThan(72 * 3600_000 + 60_000)

    const { mail, token } = await linkFor(address, mark + 1)
    expect(mail.parsed.subject).toBe(`You are invited to ${alpha.name} on Outpost`)
    expect(token).not.toBeNull()
    const user = await payload.findByID({ collection: 'users', id: res.body.user, depth: 0 })
    expect(user).toEqual(expect.objectContaining({ email: address, name: 'Nia New', invitation: expect.objectContaining({ status: 'pending' }) }))
    expect(user.orgs?.map((row) => [typeof row.org === 'object' ? row.org.id : row.org, row.roles])).toEqual([[alpha.id, ['sender']]])

    // The person chooses a password through Payload's reset flow; the link then works no more.
    const accepted = await setPassword(token!, 'my-own-password-1')
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200)
    expect((await payload.findByID({ collection: 'users', id: user.id, depth: 0 })).invitation).toEqual(expect.objectContaining({ status: 'accepted', acceptedAt: expect.any(String) }))
    expect((await login(address, 'my-own-password-1')).status).toBe(200)
    expect((await setPassword(token!, 'another-password-2')).status).toBe(403)
    expect(await auditOf(user.id)).toEqual(expect.arrayContaining(['user.invite', 'user.invitation_accept']))
    // Accepted: nothing left to resend or withdraw.
    expect((await alpha.admin.post(`/users/${user.id}/resend-invitation`)).status).toBe(409)
  })

  it('a link expires after its 72 hours; resending gives a new link and stops the old one; withdrawing stops it and removes the invitee', async () => {
    const address = `${unique('late')}@example.com`
    const mark = sink.messages.length
    const res = await alpha.admin.post('/users/invite', { email: address, org: alpha.id, roles: ['viewer'] })
    expect(res.status).toBe(201)
    const first = await linkFor(address, mark + 1)
    // Three days pass.
    await payload.db.updateOne({ collection: 'users', id: res.body.user, data: { resetPasswordExpiration: new Date(Date.now() - 1000).toISOString() } })
    const expired = await setPassword(first.token!, 'too-late-password-1')
    expect(expired.status).toBe(403)
    expect(JSON.stringify(expired.body)).toMatch(/invalid or has expired/)

    const resent = await alpha.admin.post(`/users/${res.body.user}/resend-invitation`)
    expect(resent.status, JSON.stringify(resent.body)).toBe(200)
    const second = await linkFor(address, mark + 2)
    expect(second.token).not.toBe(first.token)
    expect((await setPassword(first.token!, 'old-link-password-1')).status).toBe(403)

    const withdrawn = await alpha.admin.post(`/users/${res.body.user}/revoke-invitation`)
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200)
    expect(withdrawn.body).toEqual(expect.objectContaining({ status: 'revoked', deleted: true }))
    expect((await setPassword(second.token!, 'withdrawn-password-1')).status).toBe(403)
    expect((await payload.find({ collection: 'users', where: { email: { equals: address } }, depth: 0 })).totalDocs).toBe(0)
    expect(await auditOf(res.body.user)).toEqual(['role.change', 'user.invite', 'user.invitation_resend', 'user.invitation_revoke'])
  })

  it('an address that already has an account is added to the organisation and told by email; a member already is a 409', async () => {
    const existing = await makeUser(payload, [{ org: beta.id, roles: ['viewer'] }], { password: 'fixture-password' })
    const mark = sink.messages.length
    const res = await alpha.admin.post('/users/invite', { email: existing.email, org: alpha.id, roles: ['approver'] })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toEqual(expect.objectContaining({ status: 'added', user: existing.id }))
    const { mail, token } = await linkFor(existing.email, mark + 1)
    expect(mail.parsed.subject).toBe(`You now have access to ${alpha.name} on Outpost`)
    expect(token).toBeNull()
    // Their password is theirs: it still works.
    expect((await login(existing.email, 'fixture-password')).status).toBe(200)
    const again = await alpha.admin.post('/users/invite', { email: existing.email, org: alpha.id, roles: ['viewer'] })
    expect(again.status).toBe(409)
    expect(JSON.stringify(again.body)).toMatch(/already a member/)
  })

  it('only an admin of the organisation invites, resends or withdraws; every bad input is a 400 with the reason', async () => {
    for (const client of [alpha.sender, alpha.viewer, beta.admin]) {
      const refused = await client.post('/users/invite', { email: `${unique('x')}@example.com`, org: alpha.id, roles: ['viewer'] })
      expect(refused.status).toBe(403)
      expect(JSON.stringify(refused.body)).toMatch(/Only an admin of that organisation invites people/)
    }
    expect((await anonymous().post('/users/invite', { email: 'a@example.com', org: alpha.id, roles: ['viewer'] })).status).toBe(401)
    const bad = async (body: Record<string, unknown>, reason: RegExp) => {
      const res = await alpha.admin.post('/users/invite', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.errors?.[0]?.message).toMatch(reason)
    }
    await bad({ email: 'not an address', org: alpha.id, roles: ['viewer'] }, /email address/)
    await bad({ email: 'ok@example.com', roles: ['viewer'] }, /Choose the organisation/)
    await bad({ email: 'ok@example.com', org: 'abc', roles: ['viewer'] }, /Choose the organisation/)
    await bad({ email: 'ok@example.com', org: alpha.id, roles: [] }, /at least one role/)
    await bad({ email: 'ok@example.com', org: alpha.id, roles: ['owner'] }, /"owner" is not a role/)
    expect((await alpha.admin.rest('POST', '/users/invite', { raw: { type: 'application/json', body: '{nope' } })).status).toBe(400)

    const pending = await alpha.admin.post('/users/invite', { email: `${unique('p')}@example.com`, org: alpha.id, roles: ['viewer'] })
    expect(pending.status).toBe(201)
    // Another org's admin cannot see the invitee (404); members without users.manage cannot act (403).
    expect((await beta.admin.post(`/users/${pending.body.user}/resend-invitation`)).status).toBe(404)
    expect((await beta.admin.post(`/users/${pending.body.user}/revoke-invitation`)).status).toBe(404)
    expect((await alpha.sender.post(`/users/${pending.body.user}/revoke-invitation`)).status).toBe(403)
    expect((await alpha.admin.post('/users/abc/resend-invitation')).status).toBe(404)
    // Nobody writes the invitation's state through the API.
    const forged = await alpha.admin.patch(`/users/${pending.body.user}`, { invitation: { status: 'accepted' } })
    expect([200, 403]).toContain(forged.status)
    expect((await payload.findByID({ collection: 'users', id: pending.body.user, depth: 0 })).invitation?.status).toBe('pending')
    // GraphQL: another org's admin does not see the invitee either.
    const gql = await beta.admin.gql(`{ Users(where: { email: { equals: "${pending.body.email}" } }) { docs { id invitation { status } } } }`)
    expect(gql.body.data?.Users?.docs ?? []).toEqual([])
  })
})
