import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'

import { createSocketServer } from './protocol-queue'

/**
 * The embedded PostgreSQL used when DATABASE_URL is unset: PGlite (Postgres compiled to WebAssembly)
 * served over the Postgres wire protocol by pglite-socket, so the ordinary postgres adapter talks to
 * it exactly as to a real server. One process owns the data directory; it records its port in
 * `<dataDir>/embedded.json` so other processes (seed, worker, migrate) connect to it instead of
 * opening the directory a second time.
 */
export type EmbeddedServer = { connectionString: string; owned: boolean; stop: () => Promise<void> }

type Lock = { pid: number; port: number }

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const acceptsConnections = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

const EMBEDDED_APPLICATION_NAME = 'outpost-pglite'

const toConnectionString = (port: number): string =>
  `postgres://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable&application_name=${EMBEDDED_APPLICATION_NAME}`

/** Whether a connection string points at an embedded (PGlite) server started by this module. */
export const isEmbeddedConnectionString = (url: string): boolean => {
  try {
    return new URL(url).searchParams.get('application_name') === EMBEDDED_APPLICATION_NAME
  } catch {
    return false
  }
}

const readLock = (lockFile: string): Lock | null => {
  try {
    return JSON.parse(fs.readFileSync(lockFile, 'utf8')) as Lock
  } catch {
    return null
  }
}

const running = new Map<string, Promise<EmbeddedServer>>()

export const startEmbeddedServer = (dataDir: string): Promise<EmbeddedServer> => {
  const key = path.resolve(dataDir)
  const existing = running.get(key)
  if (existing) return existing
  const started = openOrAttach(key)
  running.set(key, started)
  started.catch(() => running.delete(key))
  return started
}

/** The PostgreSQL extensions the migrations create (pg_trgm: searching lists by part of a name or address). */
const extensions = async () => ({ pg_trgm: (await import('@electric-sql/pglite/contrib/pg_trgm')).pg_trgm })

const openOrAttach = async (dataDir: string): Promise<EmbeddedServer> => {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockFile = path.join(dataDir, 'embedded.json')
  const lock = readLock(lockFile)
  if (lock && lock.pid !== process.pid && isAlive(lock.pid) && (await acceptsConnections(lock.port))) {
    return { connectionString: toConnectionString(lock.port), owned: false, stop: async () => {} }
  }

  const { PGlite } = await import('@electric-sql/pglite')
  const db = await PGlite.create(path.join(dataDir, 'pgdata'), { extensions: await extensions() })
  // The postgres adapter needs a pool of at least two connections; the socket server serialises
  // their queries and keeps each transaction (and each extended-protocol run) on its own connection.
  const server = await createSocketServer(db)
  await server.start()
  const port = Number(server.getServerConn().split(':').pop())
  fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, port } satisfies Lock))

  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    if (readLock(lockFile)?.pid === process.pid) fs.rmSync(lockFile, { force: true })
    await server.stop()
    await db.close()
  }
  return { connectionString: toConnectionString(port), owned: true, stop }
}

/** An in-memory embedded server for tests: nothing touches the disk, nothing is left behind. */
export const startEphemeralServer = async (): Promise<EmbeddedServer> => {
  const { PGlite } = await import('@electric-sql/pglite')
  const db = await PGlite.create({ extensions: await extensions() })
  const server = await createSocketServer(db, { debug: process.env.OUTPOST_PGLITE_DEBUG === '1' })
  await server.start()
  const port = Number(server.getServerConn().split(':').pop())
  return {
    connectionString: toConnectionString(port),
    owned: true,
    stop: async () => {
      await server.stop()
      await db.close()
    },
  }
}
