import type { Endpoint } from 'payload'

import { readJSONObject, routeID } from '@/endpoints/request-input'
import { appErrorResponse } from '@/services/errors/error-response'
import { createContactFromConversation } from '@/services/inbox/create-contact-from-conversation'
import { linkConversation } from '@/services/inbox/link-conversation'
import { listReplyChannels } from '@/services/inbox/list-reply-channels'
import { readConversation } from '@/services/inbox/read-conversation'
import { sendConversationReply } from '@/services/inbox/send-conversation-reply'

const NOT_FOUND = 'No such conversation, or you cannot see it.'

export const conversationEndpoints: Endpoint[] = [
  {
    /** GET /api/conversations/:id/reply-channels: each channel with its address, or why it cannot be used. */
    path: '/:id/reply-channels',
    method: 'get',
    handler: async (req) => {
      try {
        const conversation = await readConversation(req, routeID(req, NOT_FOUND))
        return Response.json({ channels: await listReplyChannels({ payload: req.payload, conversation }) })
      } catch (error) {
        return appErrorResponse(error)
      }
    },
  },
  {
    /**
     * POST /api/conversations/:id/reply {channel, text}: answer on a reachable channel (inbound.reply).
     * 201 sent; 202 kept and queued for a retry after a transient provider failure; 502 failed (kept, with the reason).
     */
    path: '/:id/reply',
    method: 'post',
    handler: async (req) => {
      try {
        const id = routeID(req, NOT_FOUND)
        const body = await readJSONObject(req, 100_000)
        const sent = await sendConversationReply({ req, conversationID: id, channel: body.channel, text: body.text })
        return Response.json({ status: sent.status, message: sent.message, error: sent.error }, { status: sent.status === 'sent' ? 201 : sent.status === 'queued' ? 202 : 502 })
      } catch (error) {
        return appErrorResponse(error)
      }
    },
  },
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
