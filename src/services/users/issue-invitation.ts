import { randomBytes } from 'node:crypto'

import type { PayloadRequest } from 'payload'

import { publicSiteURL } from '../config/server-env'

/** An invitation link works this long (the issue's 72 hours). */
export const INVITATION_HOURS = 72

export type IssuedInvitation = {
  expiresAt: string
  /** The one-time link: Payload's own "set a new password" page with a token only this user holds. */
  link: string
  /** Whether the invitation went out by email; without a mail server (SMTP_HOST) the admin passes the link on. */
  emailed: boolean
}

/**
 * Gives an invited user a fresh one-time link (any earlier one stops working) and emails it. The link is
 * Payload's reset-password page with a random token stored as Payload's own reset token, expiring after
 * INVITATION_HOURS: Payload's reset flow checks it, sets the password the person chooses and logs them
 * in (markInvitationAccepted records it). System writes: the caller has already checked that the actor
 * may manage the user's organisation.
 */
export const issueInvitation = async ({ req, userID, email, orgName, inviterLabel }: { req: PayloadRequest; userID: number; email: string; orgName: string; inviterLabel: string }): Promise<IssuedInvitation> => {
  const token = randomBytes(32).toString('hex')
  const expiresAt = new Date(Date.now() + INVITATION_HOURS * 3600_000).toISOString()
  await req.payload.db.updateOne({ collection: 'users', id: userID, data: { resetPasswordToken: token, resetPasswordExpiration: expiresAt }, req })
  await req.payload.update({
    collection: 'users',
    id: userID,
    overrideAccess: true,
    req,
    data: { invitation: { status: 'pending', invitedAt: new Date().toISOString(), expiresAt, invitedBy: typeof req.user?.id === 'number' ? req.user.id : null } },
  })
  const link = `${publicSiteURL(process.env, req.payload.config.serverURL)}/admin/reset/${token}`
  const emailed = req.payload.email?.name !== 'console'
  const expires = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(expiresAt))
  await req.payload.sendEmail({
    to: email,
    subject: `You are invited to ${orgName} on Outpost`,
    text: [
      `${inviterLabel} invited you to ${orgName} on Outpost.`,
      `Choose your password here to join (the link works once, until ${expires} UTC):`,
      link,
      'If you did not expect this invitation, ignore this email: nothing happens without the link.',
    ].join('\n\n'),
  })
  return { expiresAt, link, emailed }
}
