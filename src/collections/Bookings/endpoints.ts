import type { Endpoint } from 'payload'

import { listAgendaBookings } from '@/services/bookings/list-agenda-bookings'
import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { parseStoredID } from '@/services/http/stored-id'

const instant = (raw: null | string, name: string): Date => {
  if (!raw) throw new AppError('INVALID_INPUT', `Say from when to when: \`?${name}=<ISO date and time>\`.`)
  const date = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/.test(raw) ? new Date(raw) : new Date(Number.NaN)
  if (Number.isNaN(date.getTime())) throw new AppError('INVALID_INPUT', `\`${name}\` must be an ISO date and time, like 2027-03-01T00:00:00Z.`)
  return date
}

/**
 * GET /api/bookings/agenda?org=<id>&from=<ISO>&to=<ISO>[&owner=<user id>][&cancelled=1]: the org's bookings
 * overlapping [from, to) for the week and agenda views (see listAgendaBookings).
 */
export const agendaEndpoint: Endpoint = {
  path: '/agenda',
  method: 'get',
  handler: async (req) => {
    try {
      // Who asks comes first: an anonymous caller learns nothing about the parameters.
      if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in to see bookings.')
      const org = parseStoredID(req.searchParams.get('org'))
      if (org === null) throw new AppError('INVALID_INPUT', 'Say which organisation: `?org=<id>`.')
      const rawOwner = req.searchParams.get('owner')
      const owner = rawOwner ? parseStoredID(rawOwner) : null
      if (rawOwner && owner === null) throw new AppError('INVALID_INPUT', '`owner` must be a user id.')
      const json = await listAgendaBookings({
        payload: req.payload,
        user: req.user,
        org,
        from: instant(req.searchParams.get('from'), 'from'),
        to: instant(req.searchParams.get('to'), 'to'),
        owner,
        includeCancelled: ['1', 'true'].includes(req.searchParams.get('cancelled') ?? ''),
      })
      return new Response(json, { headers: { 'content-type': 'application/json', 'cache-control': 'private, no-store' } })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
