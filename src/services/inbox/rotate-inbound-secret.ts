import type { PayloadRequest } from 'payload'

import { hasOrgPermission } from '@/access/orgAccess'
import { newInboundSecret } from '@/collections/Organizations/inboundSettings'

import { recordAudit } from '../audit/record-audit'
import { AppError } from '../errors/app-error'

/**
 * Gives an org a new inbound email secret (the old address stops at once), as one of its admins.
 * Audited as a settings change, without the secret itself. Returns the new address path.
 */
export const rotateInboundSecret = async ({ req, orgID }: { req: PayloadRequest; orgID: number }): Promise<{ path: string }> => {
  const user = req.user
  if (!user || user.collection !== 'users') throw new AppError('UNAUTHORIZED', 'Log in to change the inbound address.')
  const visible = await req.payload.findByID({ collection: 'organizations', id: orgID, depth: 0, req, user, overrideAccess: false, disableErrors: true })
  if (!visible) throw new AppError('NOT_FOUND', 'No such organisation, or you cannot see it.')
  if (!hasOrgPermission(user, orgID, 'org.settings')) throw new AppError('FORBIDDEN', 'Only an org admin changes the inbound address.')
  const secret = newInboundSecret()
  await req.payload.update({ collection: 'organizations', id: orgID, data: { inbound: { emailSecret: secret } }, req, overrideAccess: true, depth: 0 })
  await recordAudit(req, { action: 'settings.change', org: orgID, target: { collection: 'organizations', id: orgID }, summary: 'Rotated the inbound email address: the old one no longer receives mail' })
  return { path: `/api/callbacks/inbound-email/${secret}` }
}
