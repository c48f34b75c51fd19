import { APIError } from 'payload'

/** Every failure a person or an integrator can act on carries one of these codes. */
export const ERROR_STATUS = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  PROVIDER_REJECTED: 502,
  INTERNAL: 500,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

/**
 * A domain error with a code, mapped to its HTTP status in one place. It extends Payload's APIError
 * so a hook or endpoint can throw it and Payload answers with that status and this (public) message.
 */
export class AppError extends APIError<{ code: ErrorCode; details?: unknown }> {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message, ERROR_STATUS[code], { code, details }, code !== 'INTERNAL')
    this.name = 'AppError'
    this.code = code
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError

/**
 * For `.catch` on a Local API read made as a user: Payload's "not found" (which is also what access
 * control answers for another org's document) becomes null; anything else, such as a database failure,
 * is rethrown instead of passing for a 404.
 */
export const nullIfNotFound = (error: unknown): null => {
  if ((error as { status?: number } | null)?.status === 404) return null
  throw error
}
