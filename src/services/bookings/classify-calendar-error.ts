export type CalendarErrorAction =
  /** Nothing will change by retrying the same request: shown on the booking as failed. */
  | { kind: 'permanent' }
  /** The access token may have expired: refresh it once and retry. */
  | { kind: 'refresh' }
  /** The grant is gone (revoked, expired, password changed): the connection needs its owner to reconnect. */
  | { kind: 'reconnect' }
  /** Busy or failing for now: retry after `delaySeconds`. */
  | { kind: 'backoff'; delaySeconds: number }
  /** The event is already gone: a delete counts as done. */
  | { kind: 'gone' }

const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'dailyLimitExceeded'])

/** Seconds from a Retry-After header (seconds or an HTTP date), else null. */
export const retryAfterSeconds = (header: null | string | undefined, now = Date.now()): null | number => {
  if (!header) return null
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000))
}

/** 30 s, 60 s, 120 s… up to an hour, for the nth attempt (from 1). */
export const backoffSeconds = (attempt: number): number => Math.min(3600, 30 * 2 ** Math.max(0, attempt - 1))

/**
 * What to do about a failed calendar call (Google Calendar or Microsoft Graph): 400 is permanent; 401
 * refreshes the token once (a second 401 needs a reconnect); `invalid_grant` always needs one; 403 for
 * a rate-limit reason, 429 and 5xx back off, honouring Retry-After; other 403s are permanent; 404 and
 * 410 count as done for a delete.
 */
export const classifyCalendarError = ({
  status,
  reason,
  oauthError,
  retryAfter,
  attempt,
  operation,
  refreshedAlready = false,
}: {
  status: null | number
  reason?: null | string
  oauthError?: null | string
  retryAfter?: null | string
  attempt: number
  operation: 'create' | 'update' | 'delete' | 'read'
  refreshedAlready?: boolean
}): CalendarErrorAction => {
  // unreadable_token: our own stored token cannot be decrypted any more; only a new sign-in helps.
  if (oauthError === 'invalid_grant' || oauthError === 'unauthorized_client' || oauthError === 'unreadable_token') return { kind: 'reconnect' }
  if (operation === 'delete' && (status === 404 || status === 410)) return { kind: 'gone' }
  const wait = () => ({ kind: 'backoff' as const, delaySeconds: retryAfterSeconds(retryAfter) ?? backoffSeconds(attempt) })
  if (status === null) return wait() // no answer at all: a network error
  if (status === 401) return refreshedAlready ? { kind: 'reconnect' } : { kind: 'refresh' }
  if (status === 403) return reason && RATE_LIMIT_REASONS.has(reason) ? wait() : { kind: 'permanent' }
  if (status === 429 || status >= 500) return wait()
  return { kind: 'permanent' }
}
