import type { PrometheusFamily } from '@/services/metrics/prometheus-format'

/**
 * How long this process's requests and tasks waited for a connection of Payload's pool (measured by
 * boundPool): every checkout, the total and longest wait, and how many waited over 100 ms, a sign that
 * the pool (DATABASE_POOL_MAX) is too small for the load or that statements run long.
 */
const stats = { acquisitions: 0, slow: 0, totalMs: 0, maxMs: 0 }

export const recordPoolWait = (ms: number): void => {
  stats.acquisitions += 1
  stats.totalMs += ms
  if (ms > 100) stats.slow += 1
  if (ms > stats.maxMs) stats.maxMs = ms
}

export const poolWaitStats = (): Readonly<typeof stats> => ({ ...stats })

export const poolWaitFamilies = (): PrometheusFamily[] => [
  { name: 'outpost_db_pool_acquisitions_total', help: 'Connections checked out of the database pool (this process).', type: 'counter', samples: [{ value: stats.acquisitions }] },
  { name: 'outpost_db_pool_wait_seconds_total', help: 'Seconds spent waiting for a pool connection (this process).', type: 'counter', samples: [{ value: Math.round(stats.totalMs) / 1000 }] },
  { name: 'outpost_db_pool_slow_waits_total', help: 'Checkouts that waited more than 100 ms for a connection (this process).', type: 'counter', samples: [{ value: stats.slow }] },
  { name: 'outpost_db_pool_wait_max_seconds', help: 'Longest wait for a pool connection since the process started.', type: 'gauge', samples: [{ value: Math.round(stats.maxMs) / 1000 }] },
]
