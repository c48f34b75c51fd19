import Handlebars from 'handlebars'
import type { PayloadRequest } from 'payload'

import { hasOrgPermission } from '@/access/orgAccess'
import { EmailSendError } from '@/integrations/email'

import { AppError } from '../errors/app-error'
import { loadOrgSender } from './load-org-sender'

const MAX_PER_WINDOW = 5
const WINDOW_MS = 10 * 60 * 1000
const recent = new Map<string, number[]>()

/** At most a few settings tests per user and org in ten minutes (per server process). */
export const takeSettingsTestSlot = (key: string, now = Date.now()) => {
  const times = (recent.get(key) ?? []).filter((t) => now - t < WINDOW_MS)
  if (times.length >= MAX_PER_WINDOW) throw new AppError('RATE_LIMITED', `At most ${MAX_PER_WINDOW} settings tests per 10 minutes: try again shortly.`)
  times.push(now)
  recent.set(key, times)
}

/**
 * Sends a short test message through the org's saved sending settings (provider, credentials,
 * identity) to the requesting admin's own address, so they see at once whether the settings work.
 * Needs `org.settings` in that org; a provider error comes back as a 502 with its reason and code.
 */
export const sendSettingsTest = async ({ req, orgID }: { req: PayloadRequest; orgID: number }) => {
  const user = req.user
  if (!user || user.collection !== 'users') throw new AppError('UNAUTHORIZED', 'Log in to send a test.')
  // Through access control: another org's settings do not exist for this user.
  const visible = await req.payload.findByID({ collection: 'organizations', id: orgID, depth: 0, req, user, overrideAccess: false, disableErrors: true })
  if (!visible) throw new AppError('NOT_FOUND', 'No such organisation, or you cannot see it.')
  if (!hasOrgPermission(user, orgID, 'org.settings')) throw new AppError('FORBIDDEN', 'Only an org admin tests the sending settings.')
  const email = (user as { email?: string }).email
  if (!email) throw new AppError('INVALID_INPUT', 'Your account has no email address to send the test to.')
  takeSettingsTestSlot(`${user.id}:${orgID}`)
  const { identity, transport } = await loadOrgSender(req.payload, orgID)
  const via = identity.provider === 'sendgrid' ? 'SendGrid' : `SMTP (${identity.smtp.host}:${identity.smtp.port})`
  const lines = [
    `This is a test from Outpost for ${visible.name}.`,
    `It was sent through ${via} from ${identity.fromName} <${identity.fromAddress}>${identity.replyTo ? `, replies to ${identity.replyTo}` : ''}.`,
    'If you can read this, the sending settings work.',
  ]
  try {
    const result = await transport.send({
      from: { address: identity.fromAddress, name: identity.fromName },
      replyTo: identity.replyTo ?? undefined,
      to: email,
      subject: `[TEST] Sending settings of ${visible.name}`,
      html: lines.map((line) => `<p>${Handlebars.escapeExpression(line)}</p>`).join(''),
      text: lines.join('\n\n'),
      headers: { 'X-Outpost-Test': 'true' },
    })
    return { sentTo: email, provider: identity.provider, providerMessageID: result.providerMessageID }
  } catch (error) {
    if (error instanceof EmailSendError) throw new AppError('PROVIDER_REJECTED', error.message, { providerCode: error.providerCode })
    throw error
  }
}
