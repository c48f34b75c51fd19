import type { Endpoint, PayloadRequest } from 'payload'

import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { changeEmailJobState, JOB_ACTIONS } from '@/services/sending/change-email-job-state'
import { queueEmailJob } from '@/services/sending/queue-email-job'

/** The route's job id; anything but a plain id is no job at all (and never reaches the database). */
const jobIDOf = (req: PayloadRequest): number => {
  const raw = String(req.routeParams?.id ?? '')
  if (!/^\d{1,9}$/.test(raw)) throw new AppError('NOT_FOUND', 'No such email job, or you cannot see it.')
  return Number(raw)
}

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
