import type { TaskConfig } from 'payload'

import { reconcileJobCounters } from '@/services/sending/reconcile-job-counters'

/** Scheduled maintenance on the `maintenance` queue: a trigger only; the service is idempotent. */
export const reconcileJobCountersTask: TaskConfig<{ input: Record<string, never>; output: { corrected: number } }> = {
  slug: 'reconcileJobCounters',
  retries: 0,
  schedule: [{ cron: '0 * * * * *', queue: 'maintenance' }],
  outputSchema: [{ name: 'corrected', type: 'number', required: true }],
  handler: async ({ req }) => ({ output: { corrected: await reconcileJobCounters(req.payload) } }),
}
