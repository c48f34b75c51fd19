import { randomBytes } from 'node:crypto'

import type { PayloadRequest } from 'payload'

import { hasOrgPermission, memberOrgIDs } from '@/access/orgAccess'
import { ORG_ROLES, type OrgRole } from '@/access/roles'
import { parseID } from '@/endpoints/request-input'

import { recordAudit } from '../audit/record-audit'
import { isValidEmail, normalizeEmail } from '../contacts/normalize-email'
import { AppError } from '../errors/app-error'
import { issueInvitation } from './issue-invitation'

export type InvitationResult = {
  status: 'invited' | 'added'
  user: number
  email: string
  expiresAt: null | string
  /** Only when no mail server is configured: the admin passes the link on themselves. */
  link?: string
}

const readRoles = (value: unknown): OrgRole[] => {
  const roles = Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
  const known = new Set<string>(ORG_ROLES)
  const bad = roles.find((r) => typeof r !== 'string' || !known.has(r))
  if (bad !== undefined) throw new AppError('INVALID_INPUT', `"${String(bad).slice(0, 40)}" is not a role: choose from ${ORG_ROLES.join(', ')}.`)
  if (!roles.length) throw new AppError('INVALID_INPUT', 'Choose at least one role for the person you invite.')
  return [...new Set(roles as OrgRole[])]
}

/**
 * Invites a person by email into one organisation with the roles given, as the role table allows
 * (`users.manage` in that organisation). A new address becomes a user who chooses their own password
 * through a one-time link valid for 72 hours (issueInvitation); the admin never types it. An address
 * that already has an account is added to the organisation and told so by email (the answer says
 * `added`: the person is a member of the inviter's organisation from then on, nothing else of theirs is
 * shown). Audited.
 */
export const inviteUser = async ({ req, body }: { req: PayloadRequest; body: Record<string, unknown> }): Promise<InvitationResult> => {
  if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in to invite people.')
  const email = typeof body.email === 'string' ? normalizeEmail(body.email) : ''
  if (!isValidEmail(email)) throw new AppError('INVALID_INPUT', 'Give the email address of the person you invite.')
  const name = typeof body.name === 'string' ? body.name.replace(/\u0000/g, '').trim().slice(0, 120) : ''
  const org = parseID(body.org)
  if (org === null) throw new AppError('INVALID_INPUT', 'Choose the organisation you invite them to.')
  const roles = readRoles(body.roles)
  if (!hasOrgPermission(req.user, org, 'users.manage')) throw new AppError('FORBIDDEN', 'Only an admin of that organisation invites people to it.')
  const orgDoc = await req.payload.findByID({ collection: 'organizations', id: org, depth: 0, req, user: req.user, overrideAccess: false, disableErrors: true })
  if (!orgDoc) throw new AppError('NOT_FOUND', 'No such organisation, or you cannot see it.')
  const inviter = req.user.name || req.user.email

  // Whether the address has an account is looked up by the system (the inviter may not see other orgs' users).
  const existing = (await req.payload.find({ collection: 'users', where: { email: { equals: email } }, depth: 0, limit: 1, overrideAccess: true, req })).docs[0]
  if (existing) {
    if (memberOrgIDs(existing).some((id) => String(id) === String(org))) throw new AppError('CONFLICT', `${email} is already a member of ${orgDoc.name}.`)
    await req.payload.update({
      collection: 'users',
      id: existing.id,
      overrideAccess: true,
      req,
      data: { orgs: [...(existing.orgs ?? []).map((row) => ({ org: typeof row.org === 'object' ? row.org.id : row.org, roles: row.roles })), { org, roles }] },
    })
    await req.payload.sendEmail({
      to: email,
      subject: `You now have access to ${orgDoc.name} on Outpost`,
      text: `${inviter} added you to ${orgDoc.name} on Outpost as ${roles.join(', ')}. Sign in with your usual password; the organisation is in your list.`,
    })
    await recordAudit(req, { action: 'user.invite', org, target: { collection: 'users', id: existing.id }, summary: `Added ${email} as ${roles.join(', ')} (existing account)` })
    return { status: 'added', user: existing.id, email, expiresAt: null }
  }

  // Created as the inviter: collection access and the membership rules apply to them.
  const created = await req.payload.create({
    collection: 'users',
    data: { email, name: name || undefined, password: randomBytes(32).toString('base64url'), orgs: [{ org, roles }] },
    req,
    user: req.user,
    overrideAccess: false,
  })
  const issued = await issueInvitation({ req, userID: created.id, email, orgName: orgDoc.name, inviterLabel: inviter })
  await recordAudit(req, { action: 'user.invite', org, target: { collection: 'users', id: created.id }, summary: `Invited ${email} as ${roles.join(', ')}; the link expires ${issued.expiresAt}` })
  return { status: 'invited', user: created.id, email, expiresAt: issued.expiresAt, ...(issued.emailed ? {} : { link: issued.link }) }
}
