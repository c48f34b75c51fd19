import type { JobsConfig, TaskConfig } from 'payload'

import { backgroundStatementTimeoutMs } from '@/db/db-limits'
import { withStatementTimeout } from '@/db/request-context'

import { sendBookingInvitationsTask, sweepBookingInvitationsTask } from './booking-invitations'
import { sweepCalendarSyncTask, syncBookingCalendarsTask } from './calendar-sync'
import { checkMetricAlertsTask } from './check-metric-alerts'
import { processInboundEmailTask, sweepConversationRepliesTask, sweepInboundEmailsTask } from './process-inbound-email'
import { reconcileJobCountersTask } from './reconcile-job-counters'
import { rollupMetricsTask } from './rollup-metrics'
import { embedKbChunksTask } from './embed-kb-chunks'
import { expireAssistantLogsTask } from './expire-assistant-logs'
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
/** A task's statements run under the background limit (WORKER_STATEMENT_TIMEOUT_SECONDS) wherever it runs (the dev server runs them too). */
const backgroundTask = <T extends TaskConfig<any>>(task: T): T => {
  const handler = task.handler
  if (typeof handler !== 'function') return task
  return { ...task, handler: ((args: Parameters<typeof handler>[0]) => withStatementTimeout(backgroundStatementTimeoutMs(), () => handler(args))) as T['handler'] }
}

export const jobs: JobsConfig = {
  tasks: [sendEmailJobTask, sweepEmailJobsTask, reconcileJobCountersTask, checkMetricAlertsTask, rollupMetricsTask, runContactImportTask, runContactExportTask, sweepImportsTask, processInboundEmailTask, sweepInboundEmailsTask, sweepConversationRepliesTask, expireAssistantLogsTask, embedKbChunksTask, sendBookingInvitationsTask, sweepBookingInvitationsTask, syncBookingCalendarsTask, sweepCalendarSyncTask].map(backgroundTask),
  autoRun: process.env.NODE_ENV === 'development' ? [{ cron: '*/5 * * * * *', allQueues: true }] : [],
}
