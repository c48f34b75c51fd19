import type { JobsConfig } from 'payload'

import { checkMetricAlertsTask } from './check-metric-alerts'
import { reconcileJobCountersTask } from './reconcile-job-counters'
import { rollupMetricsTask } from './rollup-metrics'
import { runContactExportTask } from './run-contact-export'
import { runContactImportTask } from './run-contact-import'
import { sendEmailJobTask } from './send-email-job'
import { sweepEmailJobsTask } from './sweep-email-jobs'
import { sweepImportsTask } from './sweep-imports'

/**
 * Payload's jobs queue is a trigger, not a lock: every task calls an idempotent service, and
 * correctness (no double send, no loss) lives in our own PostgreSQL claims.
 * `npm run worker` runs the queues; in development the app runs them itself.
 */
export const jobs: JobsConfig = {
  tasks: [sendEmailJobTask, sweepEmailJobsTask, reconcileJobCountersTask, checkMetricAlertsTask, rollupMetricsTask, runContactImportTask, runContactExportTask, sweepImportsTask],
  autoRun: process.env.NODE_ENV === 'development' ? [{ cron: '*/5 * * * * *', allQueues: true }] : [],
}
