import type { Endpoint, PayloadRequest } from 'payload'

import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'

import { routeID } from './request-input'

type Read = (args: { payload: PayloadRequest['payload']; user: NonNullable<PayloadRequest['user']>; id: number }) => Promise<unknown>

/**
 * `GET /api/<collection>/:id/engagement` for a collection whose documents have engagement figures (jobs,
 * templates, contacts): login required, a malformed id is the same 404 as one the user cannot see, and
 * `read` loads the document as the user.
 */
export const engagementEndpoint = (notFound: string, read: Read): Endpoint => ({
  path: '/:id/engagement',
  method: 'get',
  handler: async (req) => {
    try {
      if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in to see engagement.')
      const result = await read({ payload: req.payload, user: req.user, id: routeID(req, notFound) })
      return Response.json(result, { headers: { 'Cache-Control': 'private, no-store' } })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
})
