/** Runs a benchmark or check script: exit 0 when it resolves (1 when it resolves to a failure count > 0), 1 on an error. */
export const runMain = (main: () => Promise<number | void>) =>
  main().then(
    (failures) => process.exit(failures ? 1 : 0),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )

/** Lets a database be dropped under Payload's pool: its held-open client then errors, which is expected. */
export const releasePayloadPool = (payload: { db: unknown }) => {
  ;(payload.db as { pool?: NodeJS.EventEmitter }).pool?.on('error', () => {})
}
