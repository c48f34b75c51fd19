import { createHash, timingSafeEqual } from 'node:crypto'

import type { Endpoint } from 'payload'

import { collectPrometheusMetrics } from '@/services/metrics/collect-prometheus-metrics'
import { PROMETHEUS_CONTENT_TYPE } from '@/services/metrics/prometheus-format'

const problem = (status: number, message: string, headers: Record<string, string> = {}) =>
  Response.json({ errors: [{ message }] }, { status, headers })

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
const sameToken = (given: string, expected: string): boolean =>
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest())

/**
 * GET /api/metrics: Prometheus text format for operators, across all orgs. Enabled by METRICS_TOKEN
 * (unset: 404) and guarded by `Authorization: Bearer <METRICS_TOKEN>` (missing or wrong: 401).
 * METRICS_ORG_LABEL=false drops the per-org label.
 */
export const metricsPrometheusEndpoints: Endpoint[] = [
  {
    path: '/metrics',
    method: 'get',
    handler: async (req) => {
      const expected = process.env.METRICS_TOKEN?.trim()
      if (!expected) return problem(404, 'Metrics are disabled: set METRICS_TOKEN on the server to enable GET /api/metrics.')
      const challenge = { 'WWW-Authenticate': 'Bearer realm="outpost-metrics"' }
      const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.get('authorization') ?? '')
      if (!match) return problem(401, 'Send the metrics token: "Authorization: Bearer <METRICS_TOKEN>".', challenge)
      if (!sameToken(match[1]!, expected)) return problem(401, 'The metrics token is wrong.', challenge)
      const { text } = await collectPrometheusMetrics({ payload: req.payload, perOrg: process.env.METRICS_ORG_LABEL?.trim().toLowerCase() !== 'false' })
      return new Response(text, { status: 200, headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' } })
    },
  },
]
