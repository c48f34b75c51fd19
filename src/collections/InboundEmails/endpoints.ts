import type { Endpoint } from 'payload'

import { routeID } from '@/endpoints/request-input'
import { appErrorResponse } from '@/services/errors/error-response'
import { readInboundEmailRaw } from '@/services/inbox/read-inbound-email-raw'

/** GET /api/inbound-emails/:id/raw: the post as received (org admins), to see why a dead letter failed. */
export const inboundEmailRawEndpoint: Endpoint = {
  path: '/:id/raw',
  method: 'get',
  handler: async (req) => {
    try {
      const id = routeID(req, 'No such inbound email, or you cannot see it.')
      const raw = await readInboundEmailRaw({ req, id })
      return new Response(new Uint8Array(raw.body), {
        headers: {
          'content-type': 'application/octet-stream',
          'content-disposition': `attachment; filename="inbound-email-${id}.txt"`,
          'x-original-content-type': raw.contentType.replace(/[^\x20-\x7e]/g, '').slice(0, 200),
        },
      })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
