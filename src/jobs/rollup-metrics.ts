import type { TaskConfig } from 'payload'

import { rollupMetrics } from '@/services/metrics/rollup-metrics'

/** The hourly metric rollups, every 5 minutes on the `maintenance` queue (a second run at once is skipped by its lock). */
export const rollupMetricsTask: TaskConfig<{
  input: Record<string, never>
  output: { skipped: boolean; hours: number; rolledUntil: string }
}> = {
  slug: 'rollupMetrics',
  retries: 0,
  schedule: [{ cron: '0 */5 * * * *', queue: 'maintenance' }],
  outputSchema: [
    { name: 'skipped', type: 'checkbox', required: true },
    { name: 'hours', type: 'number', required: true },
    { name: 'rolledUntil', type: 'text', required: true },
  ],
  handler: async ({ req }) => {
    const report = await rollupMetrics({ payload: req.payload })
    return { output: { ...report, rolledUntil: report.rolledUntil ?? '' } }
  },
}
