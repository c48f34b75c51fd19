import type { Endpoint, PayloadRequest } from 'payload'

import { engagementEndpoint } from '@/endpoints/engagement-endpoint'
import { routeID } from '@/endpoints/request-input'
import { appErrorResponse } from '@/services/errors/error-response'
import { readJobEngagement } from '@/services/metrics/read-job-engagement'
import { changeEmailJobState, JOB_ACTIONS } from '@/services/sending/change-email-job-state'
import { queueEmailJob } from '@/services/sending/queue-email-job'

const jobIDOf = (req: PayloadRequest) => routeID(req, 'No such email job, or you cannot see it.')

/** POST /api/email-jobs/:id/queue */
export const queueEmailJobEndpoint: Endpoint = {
  path: '/:id/queue',
  method: 'post',
  handler: async (req) => {
    try {
      const result = await queueEmailJob({ payload: req.payload, req, jobID: jobIDOf(req) })
      return Response.json({ status: 'queued', ...result })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

/** POST /api/email-jobs/:id/cancel | pause | resume | resend-unknown | retry-failed */
export const jobStateEndpoints: Endpoint[] = JOB_ACTIONS.map((action) => ({
  path: `/:id/${action}`,
  method: 'post',
  handler: async (req) => {
    try {
      return Response.json(await changeEmailJobState({ payload: req.payload, req, jobID: jobIDOf(req), action }))
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}))

/** GET /api/email-jobs/:id/engagement: delivered, bounced, complained, unsubscribed, opened and clicked, with rates. */
export const jobEngagementEndpoint = engagementEndpoint('No such email job, or you cannot see it.', ({ payload, user, id }) => readJobEngagement({ payload, user, jobID: id }))
