import type { TaskConfig } from 'payload'

import { dbPool } from '@/db/pool'
import { processInboundEmail } from '@/services/inbox/process-inbound-email'
import { sweepConversationReplies } from '@/services/inbox/sweep-conversation-replies'

/** Threads one inbound email into the inbox (see processInboundEmail; running it twice is harmless). */
export const processInboundEmailTask: TaskConfig<{ input: { id: number }; output: { status: string } }> = {
  slug: 'processInboundEmail',
  retries: 2,
  inputSchema: [{ name: 'id', type: 'number', required: true }],
  outputSchema: [{ name: 'status', type: 'text', required: true }],
  handler: async ({ input, req }) => {
    const outcome = await processInboundEmail({ payload: req.payload, id: input.id })
    return { output: { status: outcome?.status ?? 'skipped' } }
  },
}

/**
 * Every 15 seconds on the `maintenance` queue: inbound emails still queued half a minute after they
 * arrived (a lost trigger, a dead worker) are processed here.
 */
export const sweepInboundEmailsTask: TaskConfig<{ input: Record<string, never>; output: { processed: number } }> = {
  slug: 'sweepInboundEmails',
  retries: 0,
  schedule: [{ cron: '*/15 * * * * *', queue: 'maintenance' }],
  outputSchema: [{ name: 'processed', type: 'number', required: true }],
  handler: async ({ req }) => {
    const { rows } = await dbPool(req.payload).query<{ id: number }>(
      `SELECT id FROM inbound_emails WHERE status = 'queued' AND received_at < now() - interval '30 seconds' ORDER BY id LIMIT 100`,
    )
    for (const row of rows) await processInboundEmail({ payload: req.payload, id: row.id })
    return { output: { processed: rows.length } }
  },
}

/**
 * Every 15 seconds on the `maintenance` queue: inbox replies whose retry came due are sent, and claims a
 * dead worker left are freed (or marked unknown if the provider may have them); see sweepConversationReplies.
 */
export const sweepConversationRepliesTask: TaskConfig<{ input: Record<string, never>; output: { delivered: number } }> = {
  slug: 'sweepConversationReplies',
  retries: 0,
  schedule: [{ cron: '*/15 * * * * *', queue: 'maintenance' }],
  outputSchema: [{ name: 'delivered', type: 'number', required: true }],
  handler: async ({ req }) => {
    const swept = await sweepConversationReplies({ payload: req.payload })
    return { output: { delivered: swept.delivered } }
  },
}
