import type { Pool, PoolClient } from 'pg'

import { currentRequestContext, type RequestContext } from './request-context'

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
 *   current value differs;
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

  const prepare = (client: Tracked, context: RequestContext | undefined): void => {
    const timeout = context?.statementTimeoutMs ?? defaultTimeoutMs()
    if (client.outpostTimeoutMs !== timeout) {
      client.outpostTimeoutMs = timeout
      client.query(`SET statement_timeout = ${Math.max(0, Math.floor(timeout))}`).catch(() => {
        client.outpostTimeoutMs = undefined
      })
    }
    const signal = context?.signal
    if (!signal || !cancel) return
    let cancelling = false
    const onAbort = () => {
      context.cancelled = true
      cancelling = true
      if (client.processID) cancel(client.processID).catch(() => {})
    }
    signal.addEventListener('abort', onAbort, { once: true })
    const release = client.release
    client.release = ((error?: Error | boolean) => {
      signal.removeEventListener('abort', onAbort)
      // A cancel may still be on its way to this backend: the connection is closed, never handed to
      // another request whose statement the late cancel would stop.
      return release.call(client, cancelling ? true : error)
    }) as PoolClient['release']
  }

  const patched = function (callback?: ConnectCallback) {
    // The caller's context, taken now: pg-pool may run a waiting callback in whichever request released a connection.
    const context = currentRequestContext()
    if (context?.signal?.aborted) {
      const error = new ClientGoneError()
      if (callback) return void callback(error, undefined, () => {})
      return Promise.reject(error)
    }
    const asked = performance.now()
    /** Gone while it waited for a connection: the connection goes back unused and the caller is told. */
    const goneMeanwhile = (client: PoolClient): boolean => {
      if (!context?.signal?.aborted) return false
      client.release()
      return true
    }
    if (callback) {
      return connect((error, client, done) => {
        if (!error && client) {
          onAcquire?.(performance.now() - asked)
          if (goneMeanwhile(client)) return callback(new ClientGoneError(), undefined, () => {})
          prepare(client as Tracked, context)
        }
        // The wrapped release, so a caller using `done` drops the abort listener too.
        callback(error, client, client ? (client.release as typeof done) : done)
      })
    }
    return (connect() as Promise<PoolClient>).then((client) => {
      onAcquire?.(performance.now() - asked)
      if (goneMeanwhile(client)) throw new ClientGoneError()
      prepare(client as Tracked, context)
      return client
    })
  }
  pool.connect = patched as Pool['connect']
  return pool
}
