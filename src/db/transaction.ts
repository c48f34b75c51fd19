import type { Payload } from 'payload'
import type { Pool, PoolClient } from 'pg'

import { dbPool } from './pool'

/**
 * Runs `work` in one transaction on a pooled connection: committed when it returns, rolled back when
 * it throws (the error goes on), the connection always released. `begin` may ask for a mode, e.g.
 * `BEGIN READ ONLY`.
 */
export const inTransaction = <T>(payload: Payload, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> =>
  inTransactionOn(dbPool(payload), work, begin)

/** inTransaction on a given pool (e.g. the reserved one, src/db/reserved-pool.ts). */
export const inTransactionOn = async <T>(pool: Pick<Pool, 'connect'>, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> => {
  const client = await pool.connect()
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
