import { isAppError } from './app-error'

/** The one mapping from a domain error to an HTTP answer for custom endpoints; anything else is rethrown. */
export const appErrorResponse = (error: unknown): Response => {
  if (isAppError(error)) {
    const details = error.data?.details
    return Response.json({ errors: [{ message: error.message, code: error.code, ...(details === undefined ? {} : { details }) }] }, { status: error.status })
  }
  throw error
}
