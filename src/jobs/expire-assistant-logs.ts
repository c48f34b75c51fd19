import type { TaskConfig } from 'payload'

import { expireAssistantLogs } from '@/services/knowledge/expire-assistant-logs'

/** Hourly on the `maintenance` queue: assistant log entries past ASSISTANT_LOG_RETENTION_DAYS are removed. */
export const expireAssistantLogsTask: TaskConfig<{ input: Record<string, never>; output: { removed: number } }> = {
  slug: 'expireAssistantLogs',
  retries: 0,
  schedule: [{ cron: '0 17 * * * *', queue: 'maintenance' }],
  outputSchema: [{ name: 'removed', type: 'number', required: true }],
  handler: async ({ req }) => ({ output: { removed: await expireAssistantLogs({ payload: req.payload }) } }),
}
