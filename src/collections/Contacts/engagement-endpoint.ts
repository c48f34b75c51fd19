import { engagementEndpoint } from '@/endpoints/engagement-endpoint'
import { readContactEngagement } from '@/services/metrics/read-contact-engagement'

/** GET /api/contacts/:id/engagement: messages sent, delivered, opened, clicked, bounced, complained, and the latest events. */
export const contactEngagementEndpoint = engagementEndpoint('No such contact, or you cannot see it.', ({ payload, user, id }) =>
  readContactEngagement({ payload, user, contactID: id }),
)
