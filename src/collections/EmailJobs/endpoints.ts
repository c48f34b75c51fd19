import type { Endpoint } from 'payload'

import { appErrorResponse } from '@/services/errors/error-response'
import { queueEmailJob } from '@/services/sending/queue-email-job'

/** POST /api/email-jobs/:id/queue */
export const queueEmailJobEndpoint: Endpoint = {
  path: '/:id/queue',
  method: 'post',
  handler: async (req) => {
    try {
      const result = await queueEmailJob({ payload: req.payload, req, jobID: String(req.routeParams?.id) })
      return Response.json({ status: 'queued', ...result })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
