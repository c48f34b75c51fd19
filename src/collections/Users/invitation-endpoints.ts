import type { Endpoint } from 'payload'

import { readJSONObject, routeID } from '@/endpoints/request-input'
import { appErrorResponse } from '@/services/errors/error-response'
import { inviteUser } from '@/services/users/invite-user'
import { resendInvitation, revokeInvitation } from '@/services/users/manage-invitation'

const NOT_FOUND = 'No such user, or you cannot see them.'

export const invitationEndpoints: Endpoint[] = [
  {
    /** POST /api/users/invite {email, name?, org, roles[]}: invite a person into an organisation you administer (201). */
    path: '/invite',
    method: 'post',
    handler: async (req) => {
      try {
        const result = await inviteUser({ req, body: await readJSONObject(req, 10_000) })
        return Response.json(result, { status: 201 })
      } catch (error) {
        return appErrorResponse(error)
      }
    },
  },
  {
    /** POST /api/users/:id/resend-invitation: a new 72-hour link for a pending invitation. */
    path: '/:id/resend-invitation',
    method: 'post',
    handler: async (req) => {
      try {
        return Response.json(await resendInvitation({ req, id: routeID(req, NOT_FOUND) }))
      } catch (error) {
        return appErrorResponse(error)
      }
    },
  },
  {
    /** POST /api/users/:id/revoke-invitation: withdraw a pending invitation (the link stops working). */
    path: '/:id/revoke-invitation',
    method: 'post',
    handler: async (req) => {
      try {
        return Response.json(await revokeInvitation({ req, id: routeID(req, NOT_FOUND) }))
      } catch (error) {
        return appErrorResponse(error)
      }
    },
  },
]
