import path from 'node:path'

import { postgresAdapter } from '@payloadcms/db-postgres'
import type { DatabaseAdapterObj, Migration } from 'payload'
import type { Pool } from 'pg'

import { migrations } from '../migrations'
import { boundPool } from './bounded-pool'
import { defaultStatementTimeoutMs, poolMax } from './db-limits'
import { isEmbeddedConnectionString, startEmbeddedServer } from './embedded-server'
import { boundedCountDistinct, idsFirstFind } from './list-queries'
import { recordPoolWait } from './pool-wait-metrics'
import { reservedPool } from './reserved-pool'
import { withStatementTimeout } from './request-context'

export const embeddedDataDir = (): string => path.resolve(process.env.OUTPOST_DATA_DIR || '.data', 'pglite')

/**
 * PostgreSQL at DATABASE_URL when it is set; otherwise the embedded PGlite server, started lazily on
 * first connect so that importing the config (next build, type generation) opens nothing.
 * Schema changes come only from migrations (`push: false`), in development too: every start-up
 * (dev, production, tests, worker) applies the pending ones before anything else runs.
 */
export const databaseAdapter = (): DatabaseAdapterObj => {
  const databaseURL = process.env.DATABASE_URL
  const isEmbedded = !databaseURL || isEmbeddedConnectionString(databaseURL)
  const base = postgresAdapter({
    pool: {
      connectionString: databaseURL || 'postgres://embedded',
      // The adapter keeps one pooled client checked out for good (its reconnect watch), so one
      // connection hangs at start-up: keep at least two. Set per process kind at connect (db-limits.ts).
      max: 10,
    },
    push: false,
    migrationDir: path.resolve(process.cwd(), 'src/migrations'),
    // The adapter itself runs these only when NODE_ENV is production; the wrapper below covers the rest.
    prodMigrations: migrations,
    // PGlite is one session behind a socket that queues every connection's queries and, during a
    // transaction, serves only the connection that opened it. Payload sometimes awaits a query on a
    // second connection inside a request's transaction, which then never runs: a deadlock. So the
    // embedded database (dev without DATABASE_URL, and tests without TEST_DATABASE_URL) runs Payload's
    // operations without request-wide transactions; a real PostgreSQL server keeps them.
    ...(isEmbedded ? { transactionOptions: false as const } : {}),
  })

  return {
    ...base,
    init: (args) => {
      const adapter = base.init(args)
      // Bounded counts and ids-first pages for the large lists (src/db/list-queries.ts).
      const drizzleAdapter = adapter as unknown as { countDistinct: Parameters<typeof boundedCountDistinct>[0] }
      drizzleAdapter.countDistinct = boundedCountDistinct(drizzleAdapter.countDistinct)
      adapter.find = idsFirstFind(adapter.find) as typeof adapter.find
      const connect = adapter.connect!
      ;(adapter as unknown as { outpostEmbedded: boolean }).outpostEmbedded = isEmbedded
      adapter.connect = async function (options) {
        if (!databaseURL && !this.pool) {
          const server = await startEmbeddedServer(embeddedDataDir())
          this.poolOptions = { ...this.poolOptions, connectionString: server.connectionString }
          if (server.owned) args.payload.logger.info(`Embedded PostgreSQL (PGlite) in ${embeddedDataDir()}`)
        }
        if (!this.pool) this.poolOptions = { ...this.poolOptions, max: poolMax() }
        // Migrations (production ones run inside connect) have no statement timeout.
        await withStatementTimeout(0, async () => {
          await connect.call(this, options)
          // Every statement is bounded (src/db/bounded-pool.ts); PGlite has one backend and no timers.
          if (!isEmbedded) {
            boundPool(this.pool as unknown as Pool, {
              defaultTimeoutMs: defaultStatementTimeoutMs,
              cancel: async (pid) => void (await reservedPool(args.payload).query('SELECT pg_cancel_backend($1)', [pid])),
              onAcquire: recordPoolWait,
            })
          }
          const isCLIMigration = process.env.PAYLOAD_MIGRATING === 'true'
          if (process.env.NODE_ENV !== 'production' && !isCLIMigration && !options?.hotReload) {
            await this.migrate({ migrations: migrations as unknown as Migration[] })
          }
        })
      }
      return adapter
    },
  }
}
