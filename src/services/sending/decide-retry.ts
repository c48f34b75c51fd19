import type { SendError } from '@/integrations/sending/types'

const MAX_BACKOFF_SECONDS = 24 * 3600

/** Exponential backoff: the retry delay, doubled for each attempt already made, capped at a day. */
export const retryDelayFor = (attempt: number, retryDelaySeconds: number): number =>
  Math.min(MAX_BACKOFF_SECONDS, retryDelaySeconds * 2 ** Math.max(0, attempt - 1))

export type RetryDecision = { retry: true; error: string; retryInSeconds: number } | { retry: false; error: string }

/**
 * What a failed attempt leads to, for a job's recipient and an inbox reply alike: a transient or
 * account-level failure is tried again with backoff until `maxAttempts`, with the reason and the attempt
 * in its error; a permanent one (or the last attempt) fails with the reason.
 */
export const decideRetry = (error: SendError, attempt: number, maxAttempts: number, retryDelaySeconds: number): RetryDecision => {
  const retryable = error.kind === 'transient' || error.accountLevel
  if (retryable && attempt < maxAttempts) {
    return { retry: true, error: `${error.message} Retrying (attempt ${attempt} of ${maxAttempts}).`, retryInSeconds: retryDelayFor(attempt, retryDelaySeconds) }
  }
  return { retry: false, error: `${error.message}${retryable ? ` Gave up after ${attempt} attempts.` : ''}` }
}
