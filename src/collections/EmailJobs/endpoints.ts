import type { Endpoint } from 'payload'

import { isAppError } from '@/services/errors/app-error'
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
      if (isAppError(error)) return Response.json({ errors: [{ message: error.message, code: error.code }] }, { status: error.status })
      throw error
    }
  },
}
