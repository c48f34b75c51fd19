import type { Endpoint } from 'payload'

import { parseID, readJSONObject, routeID } from '@/endpoints/request-input'
import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { addSuppressionList } from '@/services/suppressions/add-suppression-list'
import { reviewSuppression } from '@/services/suppressions/review-suppression'

/**
 * POST /api/suppressions/bulk {org, channel, addresses, note?}: a pasted list (one per line, comma or
 * semicolon). POST /api/suppressions/:id/confirm | dismiss {note}: the review queue.
 */
export const suppressionEndpoints: Endpoint[] = [
  {
    path: '/bulk',
    method: 'post',
    handler: async (req) => {
      try {
        if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in to add suppressions.')
        const body = await readJSONObject(req)
        const org = body.org === null || body.org === undefined || body.org === '' ? null : parseID(body.org)
        if (org === null && body.org !== null && body.org !== undefined && body.org !== '') throw new AppError('INVALID_INPUT', '`org` must be an organisation id.')
        const channel = body.channel ?? 'email'
        if (channel !== 'email' && channel !== 'sms') throw new AppError('INVALID_INPUT', '`channel` must be "email" or "sms".')
        if (typeof body.addresses !== 'string') throw new AppError('INVALID_INPUT', '`addresses` must be text: one address per line, comma or semicolon.')
        const note = typeof body.note === 'string' ? body.note : null
        return Response.json(await addSuppressionList({ req, org, channel, text: body.addresses, note }))
      } catch (error) {
        return appErrorResponse(error)
      }
    },
  },
  ...(['confirm', 'dismiss'] as const).map(
    (decision): Endpoint => ({
      path: `/:id/${decision}`,
      method: 'post',
      handler: async (req) => {
        try {
          const id = routeID(req, 'No such suppression, or you cannot see it.')
          const body = await readJSONObject(req)
          return Response.json(await reviewSuppression({ req, id, decision, note: body.note }))
        } catch (error) {
          return appErrorResponse(error)
        }
      },
    }),
  ),
]
