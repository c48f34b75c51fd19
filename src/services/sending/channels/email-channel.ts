import type { EmailTransport, OutgoingEmail } from '@/integrations/email'

import { buildRecipientMessage } from '../build-recipient-message'
import type { ChannelDriver } from '../channel-driver'
import { findActiveSuppressions } from '../find-active-suppressions'
import { getOrgTransport } from '../get-org-transport'
import type { SendContext } from '../load-send-context'
import { packMessageContent } from '../pack-message-content'

/** Email on the sending engine: the org's SMTP or SendGrid transport, the approved template rendered per recipient. */
export const emailChannel: ChannelDriver<OutgoingEmail, SendContext> = {
  channel: 'email',
  rejectedBy: 'SMTP bounce',
  transport: (context) => getOrgTransport(context),
  findSuppressed: (client, context, addresses) => findActiveSuppressions(client, context.org.id, addresses),
  buildMessages: (context, recipients, transport, secret) =>
    recipients.map((recipient) => {
      const message = buildRecipientMessage({
        template: context.template,
        org: context.org,
        settings: context.settings,
        recipient: { id: recipient.id, email: recipient.email, contact: recipient.contact },
        attachments: context.attachments,
        secret,
        jobID: context.jobID,
      })
      // A provider that shares one content among many recipients gets the personal parts as substitutions.
      return (transport as EmailTransport).sharesContent ? packMessageContent(message) : message
    }),
  // A hard bounce (the receiving server refused the address itself) suppresses the address, as a
  // SendGrid bounce event does: later jobs of this org exclude it.
  rejectedAddress: (context, recipient, error) =>
    error.addressRejected
      ? {
          org: context.org.id,
          channel: 'email',
          address: recipient.email,
          reason: 'bounce',
          status: 'active',
          source: 'smtp',
          note: `${error.message} (job ${context.jobID})`.slice(0, 1000),
        }
      : null,
}
