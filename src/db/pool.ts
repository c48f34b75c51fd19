import type { Payload } from 'payload'
import type { PoolClient } from 'pg'

/** The postgres adapter's pg pool, for the SQL that must be fast or atomic (bulk writes, claims). */
export const dbPool = (payload: Payload): { connect: () => Promise<PoolClient>; query: PoolClient['query'] } =>
  (payload.db as unknown as { pool: { connect: () => Promise<PoolClient>; query: PoolClient['query'] } }).pool
