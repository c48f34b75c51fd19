import type { PayloadRequest } from 'payload'

import { hasOrgPermission, isSuperAdmin, orgIDsAllowing, relationID } from '@/access/orgAccess'
import { EmailSendError } from '@/integrations/email'

import { recordAudit } from '../audit/record-audit'
import { AppError } from '../errors/app-error'
import { loadOrgSender } from '../sending/load-org-sender'
import { renderTemplatePreview } from './render-template-preview'

const MAX_TESTS_PER_WINDOW = 10
const WINDOW_MS = 10 * 60 * 1000

/**
 * Sends the rendered template, marked as a test, to the requesting user's own address only, and
 * audits it. Limited to 10 test sends per user per 10 minutes.
 */
export const sendTemplateTest = async ({ req, templateID }: { req: PayloadRequest; templateID: number | string }) => {
  const user = req.user
  if (!user || user.collection !== 'users') throw new AppError('UNAUTHORIZED', 'Log in to send a test.')
  const email = (user as { email?: string }).email
  if (!email) throw new AppError('INVALID_INPUT', 'Your account has no email address to send the test to.')
  const name = ((user as { name?: null | string }).name ?? '').trim()
  const [firstName, ...rest] = name.split(/\s+/)
  // Cheap refusals before any rendering: no test-send role anywhere, or over the rate limit.
  if (!isSuperAdmin(user) && !orgIDsAllowing(user, 'templates.testSend').length) throw new AppError('FORBIDDEN', 'Your role cannot send test emails.')
  const recent = await req.payload.count({
    collection: 'audit-logs',
    overrideAccess: true, // counting one's own test sends, whatever one may read of the audit log
    req,
    where: {
      and: [
        { action: { equals: 'template.test_send' } },
        { actor: { equals: user.id } },
        { createdAt: { greater_than: new Date(Date.now() - WINDOW_MS).toISOString() } },
      ],
    },
  })
  if (recent.totalDocs >= MAX_TESTS_PER_WINDOW) {
    throw new AppError('RATE_LIMITED', `At most ${MAX_TESTS_PER_WINDOW} test sends per 10 minutes: try again shortly.`)
  }
  const preview = await renderTemplatePreview({
    payload: req.payload,
    user,
    templateID,
    recipient: { email, firstName: firstName ?? '', lastName: rest.join(' ') },
  })
  const org = relationID(preview.template.org)
  if (!hasOrgPermission(user, org, 'templates.testSend')) {
    throw new AppError('FORBIDDEN', 'Your role cannot send test emails.')
  }
  // The test goes out the way the org's jobs do.
  const { identity, transport } = await loadOrgSender(req.payload, preview.org.id)
  try {
    const result = await transport.send({
      from: { address: identity.fromAddress, name: identity.fromName },
      replyTo: identity.replyTo ?? undefined,
      to: email,
      subject: `[TEST] ${preview.subject}`,
      html: preview.html,
      text: preview.text,
      headers: { 'X-Outpost-Test': 'true', 'X-Outpost-Template': String(preview.template.id) },
    })
    await recordAudit(req, {
      action: 'template.test_send',
      org,
      target: { collection: 'email-templates', id: preview.template.id },
      summary: `Test of "${preview.template.name}" sent to ${email}`,
    })
    return { sentTo: email, providerMessageID: result.providerMessageID }
  } catch (error) {
    if (error instanceof EmailSendError) throw new AppError('PROVIDER_REJECTED', error.message, { providerCode: error.providerCode })
    throw error
  }
}
