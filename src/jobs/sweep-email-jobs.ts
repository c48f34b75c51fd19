import type { TaskConfig } from 'payload'

import { sweepEmailJobs } from '@/services/sending/sweep-email-jobs'

/** Recovery every 5 seconds on the `maintenance` queue: dead workers' leases, stuck triggers, stalled jobs. */
export const sweepEmailJobsTask: TaskConfig<{
  input: Record<string, never>
  output: { expired: number; freedTriggers: number; finalized: number; triggered: number }
}> = {
  slug: 'sweepEmailJobs',
  retries: 0,
  schedule: [{ cron: '*/5 * * * * *', queue: 'maintenance' }],
  outputSchema: ['expired', 'freedTriggers', 'finalized', 'triggered'].map((name) => ({ name, type: 'number' as const, required: true })),
  handler: async ({ req }) => ({ output: await sweepEmailJobs({ payload: req.payload }) }),
}
