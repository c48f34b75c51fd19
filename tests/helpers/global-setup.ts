import type { TestProject } from 'vitest/node'

import { createTestDatabase } from './test-database'
import { TEST_ENV } from './test-env'

declare module 'vitest' {
  export interface ProvidedContext {
    databaseURL: string
  }
}

/** One fresh database per run, migrated and seeded with the demo data once, dropped at the end. */
export default async function setup(project: TestProject) {
  const database = await createTestDatabase()
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url })
  const [{ getPayload }, { default: config }, { seedDemo }] = await Promise.all([
    import('payload'),
    import('../../payload.config'),
    import('../../src/seed/seed-demo'),
  ])
  const payload = await getPayload({ config })
  await seedDemo(payload)
  await payload.destroy()
  // destroy() leaves the adapter's pool open, with one client it never releases (so pool.end() would
  // wait forever); the forced drop at the end terminates it, which must not crash the run.
  ;(payload.db as unknown as { pool?: NodeJS.EventEmitter }).pool?.on('error', () => {})
  project.provide('databaseURL', database.url)
  console.log(`integration tests on a fresh ${database.kind} database`)
  return async () => {
    await database.drop()
  }
}
