import type { Endpoint, PayloadRequest } from 'payload'

import type { CalendarProvider } from '@/integrations/calendar/types'
import { completeCalendarConnect } from '@/services/calendar/complete-calendar-connect'
import { startCalendarConnect } from '@/services/calendar/start-calendar-connect'
import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { parseStoredID } from '@/services/http/stored-id'

const PROVIDERS: CalendarProvider[] = ['google', 'microsoft']

const providerOf = (raw: unknown): CalendarProvider => {
  if (!PROVIDERS.includes(raw as CalendarProvider)) throw new AppError('INVALID_INPUT', '`provider` must be google or microsoft.')
  return raw as CalendarProvider
}

const adminURL = (req: PayloadRequest, path: string) => `${req.payload.config.routes.admin}${path}`

/**
 * GET /api/calendar-connections/connect?provider=google|microsoft&org=<id>[&shared=1]: sends the browser
 * to the provider's consent page (302); `?format=json` answers `{ url }` instead.
 */
const connectEndpoint: Endpoint = {
  path: '/connect',
  method: 'get',
  handler: async (req) => {
    try {
      if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in to connect a calendar.')
      const org = parseStoredID(req.searchParams.get('org'))
      if (org === null) throw new AppError('INVALID_INPUT', 'Say which organisation: `?org=<id>`.')
      const url = await startCalendarConnect({ payload: req.payload, user: req.user, org, provider: providerOf(req.searchParams.get('provider')), shared: ['1', 'true'].includes(req.searchParams.get('shared') ?? '') })
      if (req.searchParams.get('format') === 'json') return Response.json({ url })
      return new Response(null, { status: 302, headers: { location: url, 'cache-control': 'no-store' } })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

/**
 * GET /api/calendar-connections/callback/:provider?code&state: the provider's redirect after consent;
 * stores the connection and sends the person to it (or back to the list with the reason as `?error=`).
 */
const callbackEndpoint: Endpoint = {
  path: '/callback/:provider',
  method: 'get',
  handler: async (req) => {
    try {
      const id = await completeCalendarConnect({
        payload: req.payload,
        req,
        provider: providerOf(req.routeParams?.provider),
        code: req.searchParams.get('code'),
        state: req.searchParams.get('state'),
        error: req.searchParams.get('error'),
      })
      return new Response(null, { status: 302, headers: { location: adminURL(req, `/collections/calendar-connections/${id}?connected=1`) } })
    } catch (error) {
      if (!req.user) return appErrorResponse(error)
      const message = error instanceof AppError ? error.message : 'The calendar could not be connected; try again.'
      return new Response(null, { status: 302, headers: { location: adminURL(req, `/collections/calendar-connections?error=${encodeURIComponent(message)}`) } })
    }
  },
}

export const calendarConnectionEndpoints: Endpoint[] = [connectEndpoint, callbackEndpoint]
