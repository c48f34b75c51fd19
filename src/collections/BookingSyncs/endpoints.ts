import type { Endpoint } from 'payload'

import { routeID } from '@/endpoints/request-input'
import { retryBookingSync } from '@/services/calendar/retry-booking-sync'
import { appErrorResponse } from '@/services/errors/error-response'

/** POST /api/booking-syncs/:id/retry: tries a failed (or waiting) calendar sync again now. */
export const retryBookingSyncEndpoint: Endpoint = {
  path: '/:id/retry',
  method: 'post',
  handler: async (req) => {
    try {
      const outcome = await retryBookingSync({ payload: req.payload, user: req.user, syncID: routeID(req, 'No such calendar sync, or you cannot see it.') })
      return Response.json(outcome)
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
