import type { Endpoint, PayloadRequest } from 'payload'

import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { addSuppressionList } from '@/services/suppressions/add-suppression-list'
import { reviewSuppression } from '@/services/suppressions/review-suppression'

const idOf = (req: PayloadRequest): number => {
  const raw = String(req.routeParams?.id ?? '')
  if (!/^\d{1,9}$/.test(raw)) throw new AppError('NOT_FOUND', 'No such suppression, or you cannot see it.')
  return Number(raw)
}

const jsonBody = async (req: PayloadRequest): Promise<Record<string, unknown>> => {
  const text = req.text ? await req.text() : ''
  if (text.length > 2_000_000) throw new AppError('INVALID_INPUT', 'The request is too large (at most 2 MB).')
  if (!text.trim()) return {}
  try {
    const body: unknown = JSON.parse(text)
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>
  } catch {
    // reported below
  }
  throw new AppError('INVALID_INPUT', 'Send a JSON object.')
}

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
        const body = await jsonBody(req)
        const org = body.org === null || body.org === undefined || body.org === '' ? null : Number(body.org)
        if (org !== null && !(Number.isInteger(org) && org > 0)) throw new AppError('INVALID_INPUT', '`org` must be an organisation id.')
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
          const id = idOf(req)
          const body = await jsonBody(req)
          return Response.json(await reviewSuppression({ req, id, decision, note: body.note }))
        } catch (error) {
          return appErrorResponse(error)
        }
      },
    }),
  ),
]
