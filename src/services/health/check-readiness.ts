import type { Payload } from 'payload'

import { reservedPool } from '@/db/reserved-pool'
import { envNumber } from '@/services/config/server-env'

import { migrations } from '../../migrations'

export type Readiness = {
  ready: boolean
  database: { ok: boolean; ms: number; error?: string }
  migrations: { ok: boolean; applied: number; pending: string[] }
  worker: { status: 'ok' | 'stale' | 'none'; ageSeconds: number | null; live: number; maxAgeSeconds: number }
}

/** A beat older than this (WORKER_HEARTBEAT_MAX_AGE_SECONDS, default 60) means no worker is running. */
export const workerMaxAgeSeconds = (): number => envNumber('WORKER_HEARTBEAT_MAX_AGE_SECONDS', 60, { min: 5 })

/**
 * Whether this process can serve: the database answers (on the reserved connections, so a busy pool
 * does not make the app look dead), every migration of this build is applied, and how long ago a
 * worker last beat. Ready needs the first two; `requireWorker` adds a worker beat younger than
 * WORKER_HEARTBEAT_MAX_AGE_SECONDS. Says nothing of any organisation's data.
 */
export const checkReadiness = async ({ payload, requireWorker = false }: { payload: Payload; requireWorker?: boolean }): Promise<Readiness> => {
  const maxAgeSeconds = workerMaxAgeSeconds()
  const started = performance.now()
  const result: Readiness = {
    ready: false,
    database: { ok: false, ms: 0 },
    migrations: { ok: false, applied: 0, pending: [] },
    worker: { status: 'none', ageSeconds: null, live: 0, maxAgeSeconds },
  }
  const client = await reservedPool(payload)
    .connect()
    .catch((error: unknown) => {
      result.database.error = `The database cannot be reached (${(error as { code?: string }).code ?? 'no answer'}).`
      return null
    })
  if (!client) return { ...result, database: { ...result.database, ms: Math.round(performance.now() - started) } }
  /** A table not there yet (42P01: before its migration) reads as `fallback`. */
  const unlessMissing = async <T>(read: () => Promise<T>, fallback: T): Promise<T> =>
    read().catch((error: unknown) => {
      if ((error as { code?: string }).code === '42P01') return fallback
      throw error
    })
  try {
    await client.query('SELECT 1')
    result.database = { ok: true, ms: Math.round(performance.now() - started) }
    const names = await unlessMissing(async () => (await client.query<{ name: string }>(`SELECT name FROM payload_migrations WHERE batch > 0 OR batch IS NULL`)).rows.map((row) => row.name), [])
    const applied = new Set(names)
    const pending = migrations.map((migration) => migration.name).filter((name) => !applied.has(name))
    result.migrations = { ok: pending.length === 0, applied: applied.size, pending }
    const beat = await unlessMissing(
      async () =>
        (
          await client.query<{ age: number | null; live: number }>(
            `SELECT extract(epoch FROM now() - max(beat_at))::float AS age, count(*) FILTER (WHERE beat_at > now() - make_interval(secs => $1))::int AS live FROM worker_heartbeats`,
            [maxAgeSeconds],
          )
        ).rows[0],
      undefined,
    )
    const age = beat?.age ?? null
    result.worker = { status: age === null ? 'none' : age <= maxAgeSeconds ? 'ok' : 'stale', ageSeconds: age === null ? null : Math.round(age * 10) / 10, live: beat?.live ?? 0, maxAgeSeconds }
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'error'
    if (result.database.ok) result.migrations = { ...result.migrations, ok: false }
    else result.database.error = `The database did not answer (${code}).`
    payload.logger.warn({ err: error }, 'Readiness check failed')
  } finally {
    client.release()
  }
  result.ready = result.database.ok && result.migrations.ok && (!requireWorker || result.worker.status === 'ok')
  return result
}
