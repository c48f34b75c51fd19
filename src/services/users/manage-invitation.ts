import type { PayloadRequest } from 'payload'

import { hasOrgPermission, memberOrgIDs, relationID } from '@/access/orgAccess'

import { recordAudit } from '../audit/record-audit'
import { AppError } from '../errors/app-error'
import { issueInvitation } from './issue-invitation'

const NOT_FOUND = 'No such user, or you cannot see them.'

/** The invited user as the actor may see them, and the organisations of theirs the actor administers. */
const readInvitee = async (req: PayloadRequest, id: number) => {
  if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in first.')
  const user = await req.payload.findByID({ collection: 'users', id, depth: 0, req, user: req.user, overrideAccess: false, disableErrors: true })
  if (!user) throw new AppError('NOT_FOUND', NOT_FOUND)
  const managed = memberOrgIDs(user).filter((org) => hasOrgPermission(req.user, org, 'users.manage'))
  if (!managed.length) throw new AppError('FORBIDDEN', 'Only an admin of their organisation manages this invitation.')
  if (user.invitation?.status !== 'pending') {
    throw new AppError('CONFLICT', user.invitation?.status === 'accepted' ? `${user.email} has already joined.` : `${user.email} has no pending invitation.`)
  }
  return { user, managed }
}

/** Sends a pending invitation again with a new 72-hour link; the old link stops working. Audited. */
export const resendInvitation = async ({ req, id }: { req: PayloadRequest; id: number }) => {
  const { user, managed } = await readInvitee(req, id)
  const org = await req.payload.findByID({ collection: 'organizations', id: Number(managed[0]), depth: 0, req, user: req.user, overrideAccess: false })
  const issued = await issueInvitation({ req, userID: user.id, email: user.email, orgName: org.name, inviterLabel: req.user!.name || req.user!.email })
  for (const orgID of managed) {
    await recordAudit(req, { action: 'user.invitation_resend', org: orgID, target: { collection: 'users', id: user.id }, summary: `Invitation to ${user.email} sent again; the new link expires ${issued.expiresAt}` })
  }
  return { status: 'invited' as const, user: user.id, email: user.email, expiresAt: issued.expiresAt, ...(issued.emailed ? {} : { link: issued.link }) }
}

/**
 * Withdraws a pending invitation: the link stops working at once and the person leaves the actor's
 * organisations; an invitee left with no organisation (they never joined) is deleted. Audited.
 */
export const revokeInvitation = async ({ req, id }: { req: PayloadRequest; id: number }) => {
  const { user, managed } = await readInvitee(req, id)
  const remaining = (user.orgs ?? []).filter((row) => !managed.some((org) => String(org) === String(relationID(row.org))))
  for (const orgID of managed) {
    await recordAudit(req, { action: 'user.invitation_revoke', org: orgID, target: { collection: 'users', id: user.id }, summary: `Invitation to ${user.email} withdrawn` })
  }
  await req.payload.db.updateOne({ collection: 'users', id: user.id, data: { resetPasswordExpiration: new Date().toISOString() }, req })
  if (!remaining.length) {
    await req.payload.delete({ collection: 'users', id: user.id, req, user: req.user, overrideAccess: false })
    return { status: 'revoked' as const, user: user.id, deleted: true }
  }
  // A system write: the invitation's state is no one's to set through the API (its field access says so).
  await req.payload.update({
    collection: 'users',
    id: user.id,
    overrideAccess: true,
    req,
    data: { orgs: remaining.map((row) => ({ org: relationID(row.org) as number, roles: row.roles })), invitation: { status: 'revoked' } },
  })
  return { status: 'revoked' as const, user: user.id, deleted: false }
}

/**
 * After Payload's reset-password flow succeeds for a user with a pending invitation (they chose their
 * password through the link), the invitation is accepted. Audited in each of their organisations.
 */
export const markInvitationAccepted = async ({ req, userID }: { req: PayloadRequest; userID: number }) => {
  const user = await req.payload.findByID({ collection: 'users', id: userID, depth: 0, overrideAccess: true, req, disableErrors: true })
  if (!user || user.invitation?.status !== 'pending') return
  await req.payload.update({ collection: 'users', id: userID, overrideAccess: true, req, data: { invitation: { status: 'accepted', acceptedAt: new Date().toISOString() } } })
  for (const orgID of memberOrgIDs(user)) {
    await recordAudit(req, { action: 'user.invitation_accept', org: orgID, target: { collection: 'users', id: userID }, summary: `${user.email} accepted the invitation and chose a password` })
  }
}
