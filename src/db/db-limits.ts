import { envNumber } from '@/services/config/server-env'

/**
 * Database limits per process kind, from the environment (README, Limits, pools, health and stopping):
 * - web (`next start`, `npm run dev`): DATABASE_POOL_MAX connections (10); request statements end
 *   after DB_STATEMENT_TIMEOUT_SECONDS (15);
 * - worker (`npm run worker`): WORKER_DATABASE_POOL_MAX (10); WORKER_STATEMENT_TIMEOUT_SECONDS (600)
 *   for background work wherever it runs (jobs in the dev server too);
 * - the reserved pool of each process (webhook, unsubscribe, health, cancelling): DATABASE_POOL_RESERVED
 *   (3) connections, statements ending after PRIORITY_STATEMENT_TIMEOUT_SECONDS (5);
 * - queueing a job (one INSERT … SELECT of the whole audience, in the request): QUEUE_STATEMENT_TIMEOUT_SECONDS (300).
 */
export type ProcessKind = 'web' | 'worker' | 'script'

let explicit: ProcessKind | undefined

/** Called by `src/jobs/worker.ts` before Payload connects. */
export const setProcessKind = (value: ProcessKind): void => {
  explicit = value
}
/**
 * A worker says so; code running inside Next (`next start`, `next dev`: NEXT_RUNTIME is set) is the web
 * process; anything else (migrate and seed commands, benchmarks, tests) is a script, whose own work has
 * no default limit (requests it serves through boundedRoute still have theirs).
 */
export const processKind = (): ProcessKind => explicit ?? (process.env.NEXT_RUNTIME ? 'web' : 'script')

const seconds = (name: string, fallback: number) => Math.round(envNumber(name, fallback, { min: 0 }) * 1000)

export const poolMax = (): number => Math.max(2, Math.floor(envNumber(processKind() === 'worker' ? 'WORKER_DATABASE_POOL_MAX' : 'DATABASE_POOL_MAX', 10, { min: 2 })))
export const reservedPoolMax = (): number => Math.max(1, Math.floor(envNumber('DATABASE_POOL_RESERVED', 3, { min: 1 })))

export const requestStatementTimeoutMs = (): number => seconds('DB_STATEMENT_TIMEOUT_SECONDS', 15)
export const backgroundStatementTimeoutMs = (): number => seconds('WORKER_STATEMENT_TIMEOUT_SECONDS', 600)
export const priorityStatementTimeoutMs = (): number => seconds('PRIORITY_STATEMENT_TIMEOUT_SECONDS', 5)
export const queueStatementTimeoutMs = (): number => seconds('QUEUE_STATEMENT_TIMEOUT_SECONDS', 300)

/**
 * The timeout of work outside any context: in a worker the background one; in the web process the
 * request one (the admin's server-rendered pages); none in scripts.
 */
export const defaultStatementTimeoutMs = (): number => {
  const kind = processKind()
  return kind === 'worker' ? backgroundStatementTimeoutMs() : kind === 'web' ? requestStatementTimeoutMs() : 0
}
