import type { Endpoint } from 'payload'

import { readJSONObject, routeID } from '@/endpoints/request-input'
import { appErrorResponse } from '@/services/errors/error-response'
import { createContactFromConversation } from '@/services/inbox/create-contact-from-conversation'
import { linkConversation } from '@/services/inbox/link-conversation'

const NOT_FOUND = 'No such conversation, or you cannot see it.'

export const conversationEndpoints: Endpoint[] = [
  {
    /** POST /api/conversations/:id/link {contact}: link to an existing contact of the org (audited). */
    path: '/:id/link',
    method: 'post',
    handler: async (req) => {
      try {
        const id = routeID(req, NOT_FOUND)
        const body = await readJSONObject(req, 10_000)
        return Response.json({ status: 'linked', ...(await linkConversation({ req, conversationID: id, contactID: body.contact })) })
      } catch (error) {
        return appErrorResponse(error)
      }
    },
  },
  {
    /** POST /api/conversations/:id/create-contact {firstName?, lastName?, email?, phone?}: create the sender as a contact and link (audited). */
    path: '/:id/create-contact',
    method: 'post',
    handler: async (req) => {
      try {
        const id = routeID(req, NOT_FOUND)
        const body = await readJSONObject(req, 10_000)
        return Response.json({ status: 'created', ...(await createContactFromConversation({ req, conversationID: id, data: body })) }, { status: 201 })
      } catch (error) {
        return appErrorResponse(error)
      }
    },
  },
]
