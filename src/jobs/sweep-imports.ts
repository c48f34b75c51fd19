import type { TaskConfig } from 'payload'

import { sweepExports } from '@/services/exports/sweep-exports'
import { sweepImports } from '@/services/imports/sweep-imports'

/**
 * Every 15 seconds on the `maintenance` queue: imports and exports whose worker died or whose trigger
 * was lost get a new trigger; expired export files are removed.
 */
export const sweepImportsTask: TaskConfig<{ input: Record<string, never>; output: { imports: number; exports: number; expired: number } }> = {
  slug: 'sweepImports',
  retries: 0,
  schedule: [{ cron: '*/15 * * * * *', queue: 'maintenance' }],
  outputSchema: ['imports', 'exports', 'expired'].map((name) => ({ name, type: 'number' as const, required: true })),
  handler: async ({ req }) => {
    const exports = await sweepExports({ payload: req.payload })
    return { output: { imports: await sweepImports({ payload: req.payload }), exports: exports.triggered, expired: exports.expired } }
  },
}
