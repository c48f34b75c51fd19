import type { TaskConfig } from 'payload'

import { embedKbChunks } from '@/services/knowledge/embed-kb-chunks'

/** Every 30 seconds on the `maintenance` queue, when ASSISTANT_EMBEDDING_MODEL is set: passages get their embeddings. */
export const embedKbChunksTask: TaskConfig<{ input: Record<string, never>; output: { embedded: number } }> = {
  slug: 'embedKbChunks',
  retries: 0,
  schedule: [{ cron: '*/30 * * * * *', queue: 'maintenance' }],
  outputSchema: [{ name: 'embedded', type: 'number', required: true }],
  handler: async ({ req }) => {
    const { embedded, failures } = await embedKbChunks({ payload: req.payload })
    for (const failure of failures) req.payload.logger.warn(`embedding passages failed: ${failure}`)
    return { output: { embedded } }
  },
}
