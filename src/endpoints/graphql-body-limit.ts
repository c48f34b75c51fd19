import { readBoundedBody } from '@/services/http/read-bounded-body'

/** GraphQL request bodies: queries and variables, never files. A larger body is a 413 before parsing. */
export const MAX_GRAPHQL_BODY_BYTES = 1_000_000

const tooLarge = () =>
  Response.json({ errors: [{ message: `The GraphQL request is larger than ${MAX_GRAPHQL_BODY_BYTES / 1_000_000} MB.` }] }, { status: 413 })

/**
 * Wraps Payload's GraphQL route handler: a body over MAX_GRAPHQL_BODY_BYTES (declared or streamed) is
 * refused with a 413 and a sentence; the rest goes on unchanged.
 */
export const limitGraphQLBody =
  <Context>(handler: (request: Request, context?: Context) => Promise<Response>, max = MAX_GRAPHQL_BODY_BYTES) =>
  async (request: Request, context?: Context): Promise<Response> => {
    const body = await readBoundedBody(request, max)
    if (body === null) return tooLarge()
    return handler(new Request(request.url, { method: request.method, headers: request.headers, body: request.method === 'GET' || request.method === 'HEAD' ? undefined : new Uint8Array(body) }), context)
  }
