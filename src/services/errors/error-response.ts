import { isAppError } from './app-error'

/** The one mapping from a domain error to an HTTP answer for custom endpoints; anything else is rethrown. */
export const appErrorResponse = (error: unknown): Response => {
  if (isAppError(error)) {
    const details = error.data?.details
    // A limit says when to come back: details.retryAfterSeconds becomes the Retry-After header.
    const retryAfter = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds
    const headers: Record<string, string> = typeof retryAfter === 'number' && retryAfter > 0 ? { 'Retry-After': String(Math.ceil(retryAfter)) } : {}
    return Response.json({ errors: [{ message: error.message, code: error.code, ...(details === undefined ? {} : { details }) }] }, { status: error.status, headers })
  }
  throw error
}
