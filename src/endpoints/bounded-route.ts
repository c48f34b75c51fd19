import { requestStatementTimeoutMs } from '@/db/db-limits'
import { runInRequestContext, type RequestContext } from '@/db/request-context'
import { countCancelledRequest } from '@/services/metrics/request-bounds-metrics'

type RouteHandler<Args extends unknown[]> = (request: Request, ...args: Args) => Promise<Response>

/** Seconds a client is told to wait before retrying after a statement timeout. */
export const RETRY_AFTER_SECONDS = 5

/** `GET /api/contacts/:id` style: the route without ids, for logs and metric labels. */
export const routeClass = (request: Request): string => {
  const path = new URL(request.url).pathname
    .split('/')
    .map((part) => (/^\d+$/.test(part) || /^[0-9a-f]{24}$/i.test(part) || /^[0-9a-f-]{36}$/i.test(part) ? ':id' : part))
    .slice(0, 5)
    .join('/')
  return `${request.method} ${path}`
}

/**
 * Wraps a Next route handler (Payload's REST and GraphQL) so its database work is bounded: it runs in a
 * request context carrying the request's abort signal (Next aborts it when the client disconnects;
 * src/db/bounded-pool.ts then cancels the running statement) and its route class. A statement past
 * its timeout is answered 503 by answerInputErrors; this adds the `Retry-After` header.
 */
export const boundedRoute =
  <Args extends unknown[]>(handler: RouteHandler<Args>): RouteHandler<Args> =>
  async (request, ...args) => {
    const context: RequestContext = { signal: request.signal, route: routeClass(request), statementTimeoutMs: requestStatementTimeoutMs() }
    const response = await runInRequestContext(context, () => handler(request, ...args))
    if (context.cancelled) countCancelledRequest(context.route!)
    if (!context.timedOut || response.status !== 503) return response
    const headers = new Headers(response.headers)
    headers.set('Retry-After', String(RETRY_AFTER_SECONDS))
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }
