import type { Endpoint } from 'payload'

import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { sendSettingsTest } from '@/services/sending/send-settings-test'

/** POST /api/organizations/:id/test-email: a test message through the saved sending settings, to the admin. */
export const testEmailEndpoint: Endpoint = {
  path: '/:id/test-email',
  method: 'post',
  handler: async (req) => {
    try {
      const raw = String(req.routeParams?.id ?? '')
      if (!/^\d{1,9}$/.test(raw)) throw new AppError('NOT_FOUND', 'No such organisation, or you cannot see it.')
      return Response.json({ status: 'sent', ...(await sendSettingsTest({ req, orgID: Number(raw) })) })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
