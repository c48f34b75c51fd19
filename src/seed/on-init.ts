import type { Payload } from 'payload'

import { logWebhookSigningMode } from '@/endpoints/sendgrid-webhook'

import { formatDemoLogins, seedDemo } from './seed-demo'

/**
 * A newcomer's first `npm run dev` on an empty embedded database gets the demo data once, so they can
 * log in straight away. Never on a real server (DATABASE_URL) and never in production.
 */
export const onInit = async (payload: Payload): Promise<void> => {
  logWebhookSigningMode(payload)
  const isFreshDevDatabase =
    process.env.NODE_ENV === 'development' && !process.env.DATABASE_URL && process.env.OUTPOST_SEED_ON_EMPTY !== 'false'
  if (!isFreshDevDatabase) return
  const { totalDocs } = await payload.count({ collection: 'users' })
  if (totalDocs > 0) return
  payload.logger.info('Empty embedded database: seeding the demo data once.')
  await seedDemo(payload)
  payload.logger.info(`\n${formatDemoLogins()}\n  Admin: ${process.env.SITE_URL || 'http://localhost:3000'}/admin`)
}
