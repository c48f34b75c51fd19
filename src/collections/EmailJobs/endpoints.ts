import type { Endpoint } from 'payload'

import { appErrorResponse } from '@/services/errors/error-response'
import { changeEmailJobState, JOB_ACTIONS } from '@/services/sending/change-email-job-state'
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

/** POST /api/email-jobs/:id/cancel | pause | resume | resend-unknown */
export const jobStateEndpoints: Endpoint[] = JOB_ACTIONS.map((action) => ({
  path: `/:id/${action}`,
  method: 'post',
  handler: async (req) => {
    try {
      return Response.json(await changeEmailJobState({ payload: req.payload, req, jobID: String(req.routeParams?.id), action }))
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}))
