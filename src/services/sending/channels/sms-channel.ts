import type { OutgoingSms } from '@/integrations/sms'

import { getSmsTransport } from '../../sms/get-sms-transport'
import type { SmsContext } from '../../sms/load-sms-context'
import { renderSmsText } from '../../templates/render-template'
import { buildTemplateVariables } from '../../templates/template-variables'
import type { ChannelDriver } from '../channel-driver'
import { findActiveSuppressions } from '../find-active-suppressions'

/** Where Twilio posts delivery statuses: the public origin (SITE_URL); none without one (Twilio could not reach us). */
export const smsStatusCallbackUrl = (env: Record<string, string | undefined> = process.env): string | undefined => {
  const site = env.SITE_URL?.trim().replace(/\/+$/, '')
  return site ? `${site}/api/callbacks/twilio/status` : undefined
}

/**
 * SMS on the sending engine: the org's outbox or Twilio account, the approved text rendered per
 * recipient (whose address is their E.164 number), SMS suppressions only, and a number that has opted
 * out at the carrier (Twilio 21610) suppressed for SMS.
 */
export const smsChannel: ChannelDriver<OutgoingSms, SmsContext> = {
  channel: 'sms',
  rejectedBy: 'Twilio',
  transport: (context) => getSmsTransport(context),
  findSuppressed: (client, context, addresses) => findActiveSuppressions(client, context.org.id, addresses, 'sms'),
  buildMessages: (context, recipients, transport) => {
    const statusCallback = transport.kind === 'twilio' ? smsStatusCallbackUrl() : undefined
    return recipients.map((recipient) => {
      const variables = buildTemplateVariables({
        contact: { ...recipient.contact, phone: recipient.email },
        org: { name: context.org.name, postalAddress: context.org.postalAddress, sms: { optOutLine: context.settings.optOutLine } },
        unsubscribeUrl: '',
      })
      return {
        to: recipient.email,
        ...(context.settings.messagingServiceSid ? { messagingServiceSid: context.settings.messagingServiceSid } : { from: context.settings.fromNumber ?? undefined }),
        body: renderSmsText(context.template.smsBody, variables),
        statusCallback,
        reference: String(recipient.id),
      }
    })
  },
  rejectedAddress: (context, recipient, error) =>
    error.addressRejected
      ? {
          org: context.org.id,
          channel: 'sms',
          address: recipient.email,
          reason: 'unsubscribe',
          status: 'active',
          source: 'twilio',
          note: `${error.message} (job ${context.jobID})`.slice(0, 1000),
        }
      : null,
}
