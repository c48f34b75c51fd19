import type pg from 'pg'
import type { Payload } from 'payload'
import type { Pool } from 'pg'

import { boundPool } from './bounded-pool'
import { priorityStatementTimeoutMs, reservedPoolMax } from './db-limits'

let reserved: { pool: Pool; connectionString: string } | undefined

/**
 * The process's reserved connections (DATABASE_POOL_RESERVED, default 3), apart from the pool that
 * Payload and the admin's lists use: the SendGrid webhook, one-click unsubscribes, the health checks
 * and the cancelling of abandoned queries run here, so they keep answering while every ordinary
 * connection is busy. Statements end after PRIORITY_STATEMENT_TIMEOUT_SECONDS (5).
 */
export const reservedPool = (payload: Payload): Pool => {
  // The adapter's own driver and options (the embedded server's address included).
  const { pg: driver, poolOptions: options } = payload.db as unknown as { pg: typeof pg; poolOptions: pg.PoolConfig }
  const connectionString = String(options.connectionString)
  if (reserved?.connectionString === connectionString) return reserved.pool
  const pool = new driver.Pool({ ...options, max: reservedPoolMax(), idleTimeoutMillis: 30_000 })
  // An idle connection that drops (a restart of PostgreSQL) must not take the process down.
  pool.on('error', (error) => payload.logger.warn({ err: error }, 'A reserved database connection failed; it is replaced on next use.'))
  const embedded = isEmbeddedPayload(payload)
  reserved = { pool: embedded ? pool : boundPool(pool, { defaultTimeoutMs: priorityStatementTimeoutMs }), connectionString }
  return reserved.pool
}

const isEmbeddedPayload = (payload: Payload): boolean => Boolean((payload.db as unknown as { outpostEmbedded?: boolean }).outpostEmbedded)

/** Ends the reserved pool (tests and scripts that close Payload's own pool). */
export const endReservedPool = async (): Promise<void> => {
  const current = reserved
  reserved = undefined
  await current?.pool.end().catch(() => {})
}
