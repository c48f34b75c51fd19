import { randomBytes } from 'node:crypto'

import pg from 'pg'

import { startEphemeralServer } from '../../src/db/embedded-server'

export type TestDatabase = { url: string; kind: 'postgres' | 'embedded'; drop: () => Promise<void> }

const withDatabase = (serverURL: string, database: string): string => {
  const url = new URL(serverURL)
  url.pathname = `/${database}`
  return url.toString()
}

/**
 * A fresh database for one test run: a new database on TEST_DATABASE_URL's server (dropped after),
 * else an in-memory embedded PGlite server (gone after). Nothing is left behind either way.
 */
export const createTestDatabase = async (): Promise<TestDatabase> => {
  const serverURL = process.env.TEST_DATABASE_URL
  if (!serverURL) {
    const server = await startEphemeralServer()
    return { url: server.connectionString, kind: 'embedded', drop: server.stop }
  }
  const name = `outpost_test_${Date.now()}_${randomBytes(3).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverURL })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE "${name}"`)
  } finally {
    await admin.end()
  }
  return {
    url: withDatabase(serverURL, name),
    kind: 'postgres',
    drop: async () => {
      const client = new pg.Client({ connectionString: serverURL })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await client.end()
      }
    },
  }
}
