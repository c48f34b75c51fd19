import { createTestDatabase } from '../../tests/helpers/test-database'
import { TEST_ENV } from '../../tests/helpers/test-env'
import { startPayloadHttpServer } from './payload-http'

/**
 * A benchmark's app: a fresh database on BENCH_DATABASE_URL's (or TEST_DATABASE_URL's) server, else the
 * embedded one; Payload booted on it (the migrations applied); its REST API over HTTP on loopback.
 */
export const startBenchApp = async () => {
  if (!process.env.TEST_DATABASE_URL && process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL
  const database = await createTestDatabase()
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url, LOG_LEVEL: 'error' })
  const [{ getPayload }, { default: config }, { dbPool }] = await Promise.all([import('payload'), import('../../payload.config'), import('../../src/db/pool')])
  const payload = await getPayload({ config })
  const server = await startPayloadHttpServer(config)
  return { database, payload, server, pool: dbPool(payload) }
}
