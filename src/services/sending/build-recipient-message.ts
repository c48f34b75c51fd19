import type { OutgoingEmail } from '@/integrations/email'

import { renderTemplateParts, type TemplateContent } from '../templates/render-template'
import { buildTemplateVariables } from '../templates/template-variables'
import { buildUnsubscribeUrl } from '../unsubscribe/build-unsubscribe-url'
import { createReplyToken } from '../inbox/reply-token'
import { createUnsubscribeToken } from '../unsubscribe/unsubscribe-token'
import type { SendingSettings } from './resolve-sending-settings'

type Env = Record<string, string | undefined>

export type RecipientInput = {
  id: number
  email: string
  contact?: { firstName?: null | string; lastName?: null | string; phone?: null | string } | null
}

/**
 * One recipient's message: the approved template rendered with their variables and a signed
 * unsubscribe link, plus RFC 2369 `List-Unsubscribe` and RFC 8058 `List-Unsubscribe-Post` headers
 * (one-click only over HTTP(S)), and our recipient id as the provider reference. The recipient's
 * values travel as `substitutions` over parts shared by the whole job (see renderTemplateParts).
 */
export const buildRecipientMessage = ({
  template,
  org,
  settings,
  recipient,
  attachments,
  env = process.env,
  secret,
  jobID,
}: {
  template: TemplateContent
  org: { id: number; name?: null | string; postalAddress?: null | string }
  settings: Pick<SendingSettings, 'fromAddress' | 'fromName' | 'replyTo' | 'replyDomain'>
  recipient: RecipientInput
  /** The job it is part of: with a reply domain, replies come back to this job's signed address. */
  jobID?: number
  attachments?: OutgoingEmail['attachments']
  env?: Env
  secret?: string
}): OutgoingEmail => {
  const token = createUnsubscribeToken({ org: org.id, address: recipient.email, channel: 'email' }, secret)
  const unsubscribeUrl = buildUnsubscribeUrl({ env, fromAddress: settings.fromAddress, token })
  const variables = buildTemplateVariables({
    contact: { ...recipient.contact, email: recipient.email },
    org,
    unsubscribeUrl,
  })
  const rendered = renderTemplateParts(template, variables)
  const isHttp = /^https?:\/\//.test(unsubscribeUrl)
  const mailto = env.UNSUBSCRIBE_MAILTO?.trim()
  const listUnsubscribe = [
    `<${unsubscribeUrl}>`,
    ...(isHttp && mailto ? [`<mailto:${mailto}?subject=${encodeURIComponent(`unsubscribe ${token}`)}>`] : []),
  ].join(', ')
  return {
    from: { address: settings.fromAddress, name: settings.fromName },
    to: recipient.email,
    replyTo: settings.replyDomain && jobID !== undefined ? `reply+${createReplyToken({ org: org.id, job: jobID }, secret)}@${settings.replyDomain}` : (settings.replyTo ?? undefined),
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers: {
      'List-Unsubscribe': listUnsubscribe,
      ...(isHttp ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
      'X-Outpost-Recipient': String(recipient.id),
    },
    attachments,
    reference: String(recipient.id),
    // The template is rendered once per job; this recipient's values go in as substitutions (applied by
    // the SMTP transport, sent as SendGrid substitutions), unless the template needed them rendered in.
    ...(Object.keys(rendered.substitutions).length ? { substitutions: rendered.substitutions } : {}),
  }
}
