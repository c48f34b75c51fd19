import type { Endpoint } from 'payload'

import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { listActiveMetricAlerts } from '@/services/metrics/list-active-metric-alerts'
import { parseSummaryParams } from '@/services/metrics/parse-summary-params'
import { readMetricsSummary } from '@/services/metrics/read-metrics-summary'
import { resolveMetricOrgs } from '@/services/metrics/resolve-metric-orgs'

/**
 * GET /api/metrics/summary?from=&to=&bucket=hour|day&org=&channel=email|sms — delivery and engagement
 * figures per channel for the caller's orgs (see src/services/metrics/metric-definitions.ts and README),
 * with the complaint and bounce alerts those orgs raised in the last 24 hours.
 */
export const metricsSummaryEndpoint: Endpoint = {
  path: '/metrics/summary',
  method: 'get',
  handler: async (req) => {
    try {
      if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in to see metrics.')
      const params = parseSummaryParams(req.searchParams, new Date())
      const orgs = await resolveMetricOrgs({ payload: req.payload, req, org: params.org })
      const started = performance.now()
      // The complaint and bounce alerts of the last 24 hours (checkMetricAlerts), whatever the range.
      const [summary, alerts] = await Promise.all([readMetricsSummary({ payload: req.payload, orgs, ...params }), listActiveMetricAlerts({ payload: req.payload, orgIDs: orgs })])
      return Response.json({ ...summary, alerts }, {
        headers: { 'Cache-Control': 'private, no-store', 'Server-Timing': `summary;dur=${(performance.now() - started).toFixed(1)}` },
      })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
