import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * What the database layer knows of the work it serves: the HTTP request's abort signal (its client
 * went away), the route class for logs and metrics, and the statement timeout that applies. Set by
 * boundedRoute for REST and GraphQL, by backgroundTask for jobs, and around migrations; code outside
 * any context gets its process kind's default (see statementTimeoutFor).
 */
export type RequestContext = {
  signal?: AbortSignal
  route?: string
  /** Milliseconds; 0 means none. */
  statementTimeoutMs?: number
  /** Set when a statement of this request hit the timeout (the answer is then a 503 with Retry-After). */
  timedOut?: boolean
  /** Set when the client went away and its queries were cancelled. */
  cancelled?: boolean
}

const storage = new AsyncLocalStorage<RequestContext>()

export const currentRequestContext = (): RequestContext | undefined => storage.getStore()

export const runInRequestContext = <T>(context: RequestContext, work: () => T): T => storage.run(context, work)

/**
 * Runs `work` (migrations, background tasks, shared computations) with its own statement timeout
 * (milliseconds, 0 for none) in a context of its own: it never inherits a request's abort signal, so a
 * client that goes away cannot cancel work that is not only its own.
 */
export const withStatementTimeout = <T>(statementTimeoutMs: number, work: () => T): T => storage.run({ statementTimeoutMs }, work)
