/**
 * Boots Payload once against a fresh database (which applies the migrations) and seeds the demo
 * data. Used by the test runs' global setups, in the main process.
 */
export const migrateAndSeed = async (): Promise<void> => {
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
}
