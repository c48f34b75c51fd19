import type { Endpoint } from 'payload'

import { routeID } from '@/endpoints/request-input'
import { appErrorResponse } from '@/services/errors/error-response'
import { sendSettingsTest } from '@/services/sending/send-settings-test'

/** POST /api/organizations/:id/test-email: a test message through the saved sending settings, to the admin. */
export const testEmailEndpoint: Endpoint = {
  path: '/:id/test-email',
  method: 'post',
  handler: async (req) => {
    try {
      const orgID = routeID(req, 'No such organisation, or you cannot see it.')
      return Response.json({ status: 'sent', ...(await sendSettingsTest({ req, orgID })) })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
