import type { PGlite } from '@electric-sql/pglite'

type Pending = { handlerId: number; message: Uint8Array; onData: (data: Uint8Array) => void; resolve: (bytes: number) => void; reject: (error: unknown) => void }

// Extended-query protocol messages: Parse, Bind, Describe, Execute, Close, Flush. A client's run of
// these is one unit up to its Sync ('S').
const EXTENDED = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48])
const SYNC = 0x53

/**
 * The query queue of our embedded PGlite socket server. PGlite is one backend session shared by every
 * connection. pglite-socket's own queue keeps a transaction on its connection, but it interleaves
 * single protocol messages of concurrent connections: one client's Parse of the unnamed statement
 * lands between another's Parse and Bind ("bind message supplies 3 parameters, but prepared
 * statement requires 1"). This queue also keeps each client's extended-protocol run, up to its Sync,
 * together, so concurrent pool connections (several send loops, jobs and requests at once) are safe.
 */
export class ProtocolQueue {
  private queue: Pending[] = []
  private processing = false
  /** The connection that must be served next: mid extended-protocol run, or inside a transaction. */
  private owner: null | number = null

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject })
      void this.process()
    })
  }

  private next(): Pending | undefined {
    if (this.owner === null) return this.queue.shift()
    const index = this.queue.findIndex((item) => item.handlerId === this.owner)
    return index === -1 ? undefined : this.queue.splice(index, 1)[0]
  }

  private async process(): Promise<void> {
    if (this.processing) return
    this.processing = true
    try {
      for (let item = this.next(); item; item = this.next()) {
        let bytes = 0
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item!.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length
                item!.onData(data)
              },
            }),
          )
        } catch (error) {
          this.owner = null
          item.reject(error)
          continue
        }
        const type = item.message[0]!
        const midRun = EXTENDED.has(type) && type !== SYNC
        this.owner = midRun || this.db.isInTransaction() ? item.handlerId : null
        item.resolve(bytes)
      }
    } finally {
      this.processing = false
    }
  }

  getQueueLength(): number {
    return this.queue.length
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true
      item.reject(new Error('Handler disconnected'))
      return false
    })
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK')
    this.owner = null
    await this.process()
  }
}

/** pglite-socket's server with our queue in place of its own (handlers take the server's queue when they attach). */
export const createSocketServer = async (db: PGlite, options: { debug?: boolean } = {}) => {
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket')
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 20, debug: options.debug })
  ;(server as unknown as { queryQueue: ProtocolQueue }).queryQueue = new ProtocolQueue(db)
  return server
}
