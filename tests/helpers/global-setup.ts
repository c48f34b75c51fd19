import type { TestProject } from 'vitest/node'

import { migrateAndSeed } from './prepare-database'
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
  await migrateAndSeed()
  project.provide('databaseURL', database.url)
  console.log(`integration tests on a fresh ${database.kind} database`)
  return async () => {
    await database.drop()
  }
}
