import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

export type ClaimedRecipient = { id: number; email: string; contactID: number | null; attempts: number }

/**
 * Atomically claims up to `limit` due recipients of a job for one worker: they move to `sending` with a
 * lease. `FOR UPDATE SKIP LOCKED` lets any number of workers on any number of machines claim from the
 * same job at once without two ever getting the same row.
 */
export const claimNextBatch = async ({
  payload,
  jobID,
  limit,
  leaseSeconds,
}: {
  payload: Payload
  jobID: number
  limit: number
  leaseSeconds: number
}): Promise<ClaimedRecipient[]> => {
  const client = await dbPool(payload).connect()
  try {
    const result = await client.query<{ id: number; email: string; contact_id: number | null; attempts: number }>(
      `UPDATE email_recipients r
          SET status = 'sending', attempts = r.attempts + 1,
              lease_expires_at = now() + make_interval(secs => $3), updated_at = now()
        WHERE r.id IN (SELECT id FROM email_recipients
                        WHERE job_id = $1 AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= now())
                        ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING r.id, r.email, r.contact_id, r.attempts`,
      [jobID, limit, leaseSeconds],
    )
    return result.rows.map((row) => ({ id: row.id, email: row.email, contactID: row.contact_id, attempts: row.attempts }))
  } finally {
    client.release()
  }
}

export const UNKNOWN_OUTCOME_MESSAGE =
  'The worker stopped while sending this message, so it may or may not have gone out. It was not resent automatically: resend it or leave it.'

/**
 * A recipient still `sending` after its lease expired was possibly sent by a worker that died: it
 * becomes `unknown` for a person to decide, never silently resent. Returns the affected job ids.
 */
export const expireStaleLeases = async ({ payload }: { payload: Payload }): Promise<number[]> => {
  const client = await dbPool(payload).connect()
  try {
    const result = await client.query<{ job_id: number }>(
      `UPDATE email_recipients
          SET status = 'unknown', last_error = $1, lease_expires_at = NULL, updated_at = now()
        WHERE status = 'sending' AND lease_expires_at < now()
        RETURNING job_id`,
      [UNKNOWN_OUTCOME_MESSAGE],
    )
    return [...new Set(result.rows.map((row) => row.job_id))]
  } finally {
    client.release()
  }
}
