import type { Endpoint } from 'payload'

import { readJSONObject, routeID } from '@/endpoints/request-input'
import { appErrorResponse } from '@/services/errors/error-response'
import { sendSettingsTest } from '@/services/sending/send-settings-test'
import { rotateInboundSecret } from '@/services/inbox/rotate-inbound-secret'
import { sendSmsSettingsTest } from '@/services/sms/send-sms-settings-test'

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

/** POST /api/organizations/:id/test-sms {to?}: a test SMS through the saved SMS settings, to the admin's own number. */
export const testSmsEndpoint: Endpoint = {
  path: '/:id/test-sms',
  method: 'post',
  handler: async (req) => {
    try {
      const orgID = routeID(req, 'No such organisation, or you cannot see it.')
      const body = await readJSONObject(req, 10_000)
      return Response.json({ status: 'sent', ...(await sendSmsSettingsTest({ req, orgID, to: body.to })) })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

/** POST /api/organizations/:id/rotate-inbound-secret: a new inbound email address (org admins; audited). */
export const rotateInboundSecretEndpoint: Endpoint = {
  path: '/:id/rotate-inbound-secret',
  method: 'post',
  handler: async (req) => {
    try {
      const orgID = routeID(req, 'No such organisation, or you cannot see it.')
      return Response.json({ status: 'rotated', ...(await rotateInboundSecret({ req, orgID })) })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
