import type { Endpoint } from 'payload'

import { readBoundedBody } from '@/services/http/read-bounded-body'
import { acceptInboundEmail } from '@/services/inbox/accept-inbound-email'
import { MAX_INBOUND_EMAIL_BYTES } from '@/services/inbox/process-inbound-email'
import { appErrorResponse } from '@/services/errors/error-response'

const problem = (status: number, message: string) => Response.json({ status: 'error', errors: [{ message }] }, { status })

/**
 * POST /api/callbacks/inbound-email/:secret — SendGrid Inbound Parse (parsed or raw mode), for the org
 * whose secret the URL carries. Answers at once: 200 once stored (or already stored), 404 for an
 * unknown secret, 413 above 30 MB, 415 for another content type, and 500 for a post it cannot read
 * (kept as a dead letter) so SendGrid retries. The worker threads it (processInboundEmail).
 */
export const inboundEmailEndpoint: Endpoint = {
  path: '/callbacks/inbound-email/:secret',
  method: 'post',
  handler: async (req) => {
    try {
      const body = await readBoundedBody(req as unknown as Request, MAX_INBOUND_EMAIL_BYTES)
      if (body === null) return problem(413, 'The email is larger than 30 MB.')
      const result = await acceptInboundEmail({ payload: req.payload, secret: String(req.routeParams?.secret ?? ''), contentType: req.headers.get('content-type') ?? '', body })
      if (result.status === 'failed') return problem(500, `${result.reason} It is kept as a dead letter; SendGrid will retry.`)
      return Response.json({ status: result.status, id: result.id })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
