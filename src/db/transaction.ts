import type { Payload } from 'payload'
import type { PoolClient } from 'pg'

import { dbPool } from './pool'

/**
 * Runs `work` in one transaction on a pooled connection: committed when it returns, rolled back when
 * it throws (the error goes on), the connection always released. `begin` may ask for a mode, e.g.
 * `BEGIN READ ONLY`.
 */
export const inTransaction = async <T>(payload: Payload, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> => {
  const client = await dbPool(payload).connect()
  try {
    await client.query(begin)
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
