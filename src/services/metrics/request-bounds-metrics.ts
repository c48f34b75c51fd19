import type { PrometheusFamily } from './prometheus-format'

/**
 * Requests whose database work was stopped, counted in this process by route class: a statement past
 * its timeout (answered 503 with Retry-After), or cancelled because the client went away. Counters of
 * the process that serves /api/metrics, as Prometheus expects of counters (they restart at 0).
 */
const timeouts = new Map<string, number>()
const cancelled = new Map<string, number>()

export const countStatementTimeout = (route: string): void => void timeouts.set(route, (timeouts.get(route) ?? 0) + 1)
export const countCancelledRequest = (route: string): void => void cancelled.set(route, (cancelled.get(route) ?? 0) + 1)

export const requestBoundsFamilies = (): PrometheusFamily[] => [
  {
    name: 'outpost_statement_timeouts_total',
    help: 'Requests answered 503 because a database statement ran past its timeout, by route (this process).',
    type: 'counter',
    samples: [...timeouts].map(([route, value]) => ({ labels: { route }, value })),
  },
  {
    name: 'outpost_requests_cancelled_total',
    help: 'Requests whose database work was cancelled because the client went away, by route (this process).',
    type: 'counter',
    samples: [...cancelled].map(([route, value]) => ({ labels: { route }, value })),
  },
]
