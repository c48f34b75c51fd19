import type { TaskConfig } from 'payload'

import { sweepImports } from '@/services/imports/sweep-imports'

/** Every 15 seconds on the `maintenance` queue: imports whose worker died or whose trigger was lost get a new trigger. */
export const sweepImportsTask: TaskConfig<{ input: Record<string, never>; output: { triggered: number } }> = {
  slug: 'sweepImports',
  retries: 0,
  schedule: [{ cron: '*/15 * * * * *', queue: 'maintenance' }],
  outputSchema: [{ name: 'triggered', type: 'number', required: true }],
  handler: async ({ req }) => ({ output: { triggered: await sweepImports({ payload: req.payload }) } }),
}
