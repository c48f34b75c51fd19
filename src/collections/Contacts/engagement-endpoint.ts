import type { Endpoint } from 'payload'

import { routeID } from '@/endpoints/request-input'
import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { readContactEngagement } from '@/services/metrics/read-contact-engagement'

/** GET /api/contacts/:id/engagement: messages sent, delivered, opened, clicked, bounced, complained, and the latest events. */
export const contactEngagementEndpoint: Endpoint = {
  path: '/:id/engagement',
  method: 'get',
  handler: async (req) => {
    try {
      if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in to see engagement.')
      const result = await readContactEngagement({ payload: req.payload, user: req.user, contactID: routeID(req, 'No such contact, or you cannot see it.') })
      return Response.json(result, { headers: { 'Cache-Control': 'private, no-store' } })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
