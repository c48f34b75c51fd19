import type { Endpoint, PayloadRequest } from 'payload'

import { engagementEndpoint } from '@/endpoints/engagement-endpoint'
import { routeID } from '@/endpoints/request-input'
import { bodyChange, bodyJob, bodyOrg, bodySegmentIDs } from '@/endpoints/audience-input'
import { readJSONObject } from '@/endpoints/request-input'
import { countJobAudience } from '@/services/audiences/count-job-audience'
import { readJobSelection } from '@/services/audiences/read-job-selection'
import { AppError, nullIfNotFound } from '@/services/errors/app-error'
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

/** Above this many, the picker shows how many are chosen, not which (it pages through them on the server). */
export const SELECTION_IDS_LIMIT = 50_000

/** GET /api/email-jobs/:id/selection: how many contacts are chosen one by one, and which (up to SELECTION_IDS_LIMIT). */
export const jobSelectionEndpoint: Endpoint = {
  path: '/:id/selection',
  method: 'get',
  handler: async (req) => {
    try {
      const id = jobIDOf(req)
      const job = await req.payload.findByID({ collection: 'email-jobs', id, depth: 0, user: req.user, overrideAccess: false }).catch(nullIfNotFound)
      if (!job) throw new AppError('NOT_FOUND', 'No such email job, or you cannot see it.')
      return Response.json(await readJobSelection({ payload: req.payload, jobID: id, idsLimit: SELECTION_IDS_LIMIT }))
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

/**
 * POST /api/email-jobs/audience-count { org, job?, audience: { all, tags, segments, excludeTags,
 * excludeSegments }, change? }: how many contacts the audience being edited reaches, how many of them
 * are suppressed, and the size of the explicit selection with `change` applied.
 */
export const audienceCountEndpoint: Endpoint = {
  path: '/audience-count',
  method: 'post',
  handler: async (req) => {
    try {
      const body = await readJSONObject(req)
      const audience = body.audience && typeof body.audience === 'object' && !Array.isArray(body.audience) ? (body.audience as Record<string, unknown>) : {}
      const result = await countJobAudience({
        payload: req.payload,
        user: req.user,
        org: bodyOrg(body),
        job: bodyJob(body),
        audience: {
          all: audience.all === true,
          tags: audience.tags,
          segments: bodySegmentIDs(audience, 'segments'),
          excludeTags: audience.excludeTags,
          excludeSegments: bodySegmentIDs(audience, 'excludeSegments'),
        },
        change: bodyChange(body),
      })
      return Response.json(result, { headers: { 'Cache-Control': 'private, no-store' } })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
