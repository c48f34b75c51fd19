import type { PayloadRequest } from 'payload'
import type { PoolClient } from 'pg'

import { dbPool } from './pool'

type Queryable = Pick<PoolClient, 'query'>

/**
 * Runs `work` on the connection of the request's Payload transaction, so its SQL sees (and commits or
 * rolls back with) what the request has written so far; without one (system work, the embedded
 * database), on a pooled connection.
 */
export const withRequestClient = async <T>(req: Pick<PayloadRequest, 'payload' | 'transactionID'>, work: (client: Queryable) => Promise<T>): Promise<T> => {
  const id = req.transactionID ? await req.transactionID : undefined
  const sessions = (req.payload.db as unknown as { sessions?: Record<string, { db?: { session?: { client?: Queryable } } }> }).sessions
  const client = id !== undefined ? sessions?.[String(id)]?.db?.session?.client : undefined
  if (client && typeof client.query === 'function') return work(client)
  const pooled = await dbPool(req.payload).connect()
  try {
    return await work(pooled)
  } finally {
    pooled.release()
  }
}
