import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { releaseExpiredClaims } from '../sending/release-expired-claims'
import { deliverConversationReply } from './deliver-conversation-reply'

const STOPPED_WHILE_SENDING =
  'The worker stopped while handing this reply to the provider, so whether it left is unknown; it was not sent again, to avoid a duplicate.'

/** The longest a sweep waits for one SMS reply's pace slot (it runs every 15 s). */
const SWEEP_PACE_WAIT_MS = 5_000

export type RepliesSwept = { released: number; unknown: number; delivered: number }

/**
 * Keeps inbox replies moving when a worker dies or a retry comes due: a claim whose lease ran out goes
 * back to `queued` if it was never handed to the provider (the attempt is not counted), or becomes
 * `unknown` if it was (never resent: it may have left); then up to `limit` due replies are delivered,
 * each under its own atomic claim, so sweeps on many workers never send one twice.
 */
export const sweepConversationReplies = async ({ payload, limit = 20 }: { payload: Payload; limit?: number }): Promise<RepliesSwept> => {
  const pool = dbPool(payload)
  const expired = await releaseExpiredClaims(pool, { table: 'messages', statusType: 'enum_messages_status', scope: "direction = 'outbound'", stoppedMessage: STOPPED_WHILE_SENDING })
  const { rows: due } = await pool.query<{ id: number }>(
    `SELECT id FROM messages WHERE status = 'queued' AND direction = 'outbound' AND (next_attempt_at IS NULL OR next_attempt_at <= now()) ORDER BY next_attempt_at NULLS FIRST, id LIMIT $1`,
    [limit],
  )
  let delivered = 0
  for (const row of due) {
    // A reply whose SMS slot is further off goes back until then, so one sweep never waits long.
    const outcome = await deliverConversationReply({ payload, messageID: row.id, maxPaceWaitMs: SWEEP_PACE_WAIT_MS })
    if (outcome.status !== 'busy') delivered += 1
  }
  return { ...expired, delivered }
}
