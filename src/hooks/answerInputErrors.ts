import type { AfterErrorHook } from 'payload'

import { ClientGoneError } from '@/db/bounded-pool'
import { currentRequestContext } from '@/db/request-context'
import { classifyDatabaseError, sqlStateOf } from '@/services/http/classify-database-error'
import { countStatementTimeout } from '@/services/metrics/request-bounds-metrics'

/** A statement past its timeout, or cancelled for a client that went away: 503, with Retry-After (boundedRoute). */
const stoppedWork = (error: unknown): null | { message: string; timedOut: boolean } => {
  if (error instanceof ClientGoneError) return { message: error.message, timedOut: false }
  if (sqlStateOf(error) !== '57014') return null
  const context = currentRequestContext()
  if (context?.cancelled) return { message: 'The client closed the connection; the request’s database work was stopped.', timedOut: false }
  const seconds = context?.statementTimeoutMs ? ` (${Math.round(context.statementTimeoutMs / 1000)} s)` : ''
  return { message: `The database took longer than this request may${seconds}: try again in a moment, or narrow it (a filter, a search, a smaller page).`, timedOut: true }
}

/**
 * A value from the request that the database refused (see classifyDatabaseError) answers 400/409 with
 * a sentence, through REST and GraphQL alike; every other error keeps Payload's answer (a real fault:
 * logged, and a 500 that says nothing of its insides).
 */
export const answerInputErrors: AfterErrorHook = ({ error, graphqlResult, req }) => {
  const stopped = stoppedWork(error)
  if (stopped) {
    const context = currentRequestContext()
    const route = context?.route ?? (req.url ? new URL(req.url).pathname : 'unknown')
    if (stopped.timedOut) {
      if (context) context.timedOut = true
      countStatementTimeout(route)
      req.payload.logger.warn({ route }, 'A database statement ran past its timeout: answered 503.')
    }
    const answer = { message: stopped.message, code: stopped.timedOut ? 'STATEMENT_TIMEOUT' : 'CLIENT_GONE' }
    if (graphqlResult) return { graphqlResult: { ...graphqlResult, message: stopped.message, extensions: { ...graphqlResult.extensions, statusCode: 503, code: answer.code } } }
    return { response: { errors: [answer] }, status: 503 }
  }
  const classified = classifyDatabaseError(error)
  if (!classified) return
  req.payload.logger.warn({ sqlState: classified.code, path: req.url ? new URL(req.url).pathname : undefined }, `Refused a request value the database cannot use: ${classified.message}`)
  const answer = { message: classified.message, code: classified.code }
  if (graphqlResult) return { graphqlResult: { ...graphqlResult, message: classified.message, extensions: { ...graphqlResult.extensions, statusCode: classified.status, code: classified.code } } }
  return { response: { errors: [answer] }, status: classified.status }
}
