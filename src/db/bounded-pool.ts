import type { Pool, PoolClient } from 'pg'

import { currentRequestContext } from './request-context'

/** A pooled connection asked for by a request whose client has already gone. */
export class ClientGoneError extends Error {
  readonly code = 'CLIENT_GONE'
  constructor() {
    super('The client closed the connection; the request’s database work was stopped.')
    this.name = 'ClientGoneError'
  }
}

type Tracked = PoolClient & { processID?: number; outpostTimeoutMs?: number }
type ConnectCallback = (error: Error | undefined, client: PoolClient | undefined, done: (release?: unknown) => void) => void

const BOUND = Symbol('outpost.boundPool')

/**
 * Bounds the work of a pg pool's connections, for PostgreSQL servers (the embedded PGlite has one
 * backend and no timers):
 * - each checkout runs under the statement timeout of its context (or `defaultTimeoutMs`), set with a
 *   `SET statement_timeout` queued ahead of the caller's first query only when the connection's
 *   current value differs (no extra round trip to wait for);
 * - a checkout made for a request whose client has gone fails at once, and when the client goes while
 *   a connection is checked out, its running statement is cancelled (`cancel(pid)`, on another
 *   connection). The listener goes with the release, so a connection back in the pool is never
 *   cancelled for the request that had it before.
 * `pool.query` checks out through `connect` too, so Payload's (drizzle's) queries are covered.
 * `onAcquire` hears how long each checkout waited for a connection.
 */
export const boundPool = (
  pool: Pool,
  { defaultTimeoutMs, cancel, onAcquire }: { defaultTimeoutMs: () => number; cancel?: (pid: number) => Promise<void>; onAcquire?: (waitedMs: number) => void },
): Pool => {
  const marked = pool as Pool & { [BOUND]?: true }
  if (marked[BOUND]) return pool
  marked[BOUND] = true
  const connect = pool.connect.bind(pool) as (callback?: ConnectCallback) => Promise<PoolClient> | void

  const prepare = (client: Tracked): void => {
    const context = currentRequestContext()
    const timeout = context?.statementTimeoutMs ?? defaultTimeoutMs()
    if (client.outpostTimeoutMs !== timeout) {
      client.outpostTimeoutMs = timeout
      client.query(`SET statement_timeout = ${Math.max(0, Math.floor(timeout))}`).catch(() => {
        client.outpostTimeoutMs = undefined
      })
    }
    const signal = context?.signal
    if (!signal || !cancel) return
    const onAbort = () => {
      context.cancelled = true
      if (client.processID) cancel(client.processID).catch(() => {})
    }
    signal.addEventListener('abort', onAbort, { once: true })
    const release = client.release
    client.release = ((error?: Error | boolean) => {
      signal.removeEventListener('abort', onAbort)
      return release.call(client, error)
    }) as PoolClient['release']
  }

  const patched = function (callback?: ConnectCallback) {
    if (currentRequestContext()?.signal?.aborted) {
      const error = new ClientGoneError()
      if (callback) return void callback(error, undefined, () => {})
      return Promise.reject(error)
    }
    const asked = performance.now()
    if (callback) {
      return connect((error, client, done) => {
        if (!error && client) {
          onAcquire?.(performance.now() - asked)
          prepare(client as Tracked)
        }
        callback(error, client, done)
      })
    }
    return (connect() as Promise<PoolClient>).then((client) => {
      onAcquire?.(performance.now() - asked)
      prepare(client as Tracked)
      return client
    })
  }
  pool.connect = patched as Pool['connect']
  return pool
}
