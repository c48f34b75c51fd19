import type { TaskConfig } from 'payload'

import { checkMetricAlerts } from '@/services/metrics/check-metric-alerts'

/**
 * Complaint and bounce rate alerts every 10 minutes on the `maintenance` queue. Running twice at once
 * is harmless: the alert claim (one row per org and kind in 24 hours) and the row lock while emailing decide.
 */
export const checkMetricAlertsTask: TaskConfig<{
  input: Record<string, never>
  output: { orgs: number; breaches: number; raised: number; emailed: number; emailFailures: number }
}> = {
  slug: 'checkMetricAlerts',
  retries: 0,
  schedule: [{ cron: '0 */10 * * * *', queue: 'maintenance' }],
  outputSchema: ['orgs', 'breaches', 'raised', 'emailed', 'emailFailures'].map((name) => ({ name, type: 'number' as const, required: true })),
  handler: async ({ req }) => ({ output: await checkMetricAlerts({ payload: req.payload }) }),
}
