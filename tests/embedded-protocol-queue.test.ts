import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createSocketServer } from '@/db/protocol-queue'

type Server = { start: () => Promise<void>; stop: () => Promise<void>; getServerConn: () => string }

/**
 * 300 parameterised queries of different shapes over a pool of five connections, a third of them
 * inside a transaction: what the app does when send loops, jobs and requests run at once.
 */
const hammer = async (server: Server) => {
  const port = Number(server.getServerConn().split(':').pop())
  const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', max: 5 })
  try {
    const results = await Promise.allSettled(
      Array.from({ length: 300 }, async (_, i) => {
        const client = await pool.connect()
        try {
          if (i % 3 === 0) {
            await client.query('BEGIN')
            const { rows } = await client.query('SELECT $1::int AS v', [i])
            await client.query('COMMIT')
            return rows[0].v === i
          }
          if (i % 2) return (await client.query('SELECT $1::int + $2::int + $3::int AS v', [i, i, 1])).rows[0].v === 2 * i + 1
          return (await client.query('SELECT $1::text AS v', [`t${i}`])).rows[0].v === `t${i}`
        } finally {
          client.release()
        }
      }),
    )
    return results.map((r) => r.status === 'fulfilled' && r.value)
  } finally {
    pool.on('error', () => {})
    await pool.end().catch(() => {})
  }
}

let db: PGlite
beforeAll(async () => {
  db = await PGlite.create()
})
afterAll(() => db.close())

describe('the embedded database under concurrent connections', () => {
  it('pglite-socket’s own queue mixes up concurrent parameterised queries (why we replace it)', async () => {
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 20 })
    await server.start()
    try {
      expect((await hammer(server)).some((ok) => !ok)).toBe(true)
    } finally {
      await server.stop()
    }
  })

  it('our protocol queue answers every query of every connection correctly', async () => {
    const server = await createSocketServer(db)
    await server.start()
    try {
      const outcomes = await hammer(server)
      expect(outcomes).toHaveLength(300)
      expect(outcomes.every(Boolean)).toBe(true)
    } finally {
      await server.stop()
    }
  })
})
