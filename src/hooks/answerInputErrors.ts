import type { AfterErrorHook } from 'payload'

import { classifyDatabaseError } from '@/services/http/classify-database-error'

/**
 * A value from the request that the database refused (see classifyDatabaseError) answers 400/409 with
 * a sentence, through REST and GraphQL alike; every other error keeps Payload's answer (a real fault:
 * logged, and a 500 that says nothing of its insides).
 */
export const answerInputErrors: AfterErrorHook = ({ error, graphqlResult, req }) => {
  const classified = classifyDatabaseError(error)
  if (!classified) return
  req.payload.logger.warn({ sqlState: classified.code, path: req.url ? new URL(req.url).pathname : undefined }, `Refused a request value the database cannot use: ${classified.message}`)
  const answer = { message: classified.message, code: classified.code }
  if (graphqlResult) return { graphqlResult: { ...graphqlResult, message: classified.message, extensions: { ...graphqlResult.extensions, statusCode: classified.status, code: classified.code } } }
  return { response: { errors: [answer] }, status: classified.status }
}
