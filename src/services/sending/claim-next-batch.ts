import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

export type ClaimedRecipient = {
  id: number
  email: string
  contactID: number | null
  /** The attempt this claim is (1 for the first try); outcomes are written only against it. */
  attempts: number
  contact: { firstName: null | string; lastName: null | string; phone: null | string } | null
}

type ClaimRow = {
  id: number
  email: string
  contact_id: number | null
  attempts: string
  first_name: null | string
  last_name: null | string
  phone: null | string
}

/**
 * Atomically claims up to `limit` due recipients of a job for one worker: they move to `sending` with a
 * lease. `FOR NO KEY UPDATE SKIP LOCKED` lets any number of workers on any number of machines claim from the
 * same job at once without two ever getting the same row. Nothing is claimed unless the job is
 * `sending`, so a cancel or pause takes effect at the next claim.
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
  if (limit <= 0) return []
  const client = await dbPool(payload).connect()
  try {
    const result = await client.query<ClaimRow>(
      `WITH claimed AS (
         UPDATE email_recipients r
            SET status = 'sending', attempts = r.attempts + 1,
                lease_expires_at = now() + make_interval(secs => $3), updated_at = now()
          WHERE r.id IN (SELECT id FROM email_recipients
                          WHERE job_id = $1 AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= now())
                            AND EXISTS (SELECT 1 FROM email_jobs WHERE id = $1 AND status = 'sending')
                          ORDER BY id LIMIT $2 FOR NO KEY UPDATE SKIP LOCKED)
          RETURNING r.id, r.email, r.contact_id, r.attempts)
       SELECT claimed.*, c.first_name, c.last_name, c.phone
         FROM claimed LEFT JOIN contacts c ON c.id = claimed.contact_id
        ORDER BY claimed.id`,
      [jobID, limit, leaseSeconds],
    )
    return result.rows.map((row) => ({
      id: row.id,
      email: row.email,
      contactID: row.contact_id,
      attempts: Number(row.attempts),
      contact: row.contact_id === null ? null : { firstName: row.first_name, lastName: row.last_name, phone: row.phone },
    }))
  } finally {
    client.release()
  }
}

/**
 * Hands claimed recipients back untouched (e.g. the rate limit granted fewer sends than were claimed):
 * they become `pending` again and the attempt is not counted.
 */
export const releaseClaims = async ({ payload, recipients }: { payload: Payload; recipients: ClaimedRecipient[] }): Promise<void> => {
  if (!recipients.length) return
  const client = await dbPool(payload).connect()
  try {
    await client.query(
      `UPDATE email_recipients r SET status = 'pending', attempts = r.attempts - 1, lease_expires_at = NULL, updated_at = now()
         FROM unnest($1::int[], $2::int[]) AS t(id, attempt)
        WHERE r.id = t.id AND r.status = 'sending' AND r.attempts = t.attempt`,
      [recipients.map((r) => r.id), recipients.map((r) => r.attempts)],
    )
  } finally {
    client.release()
  }
}

export const UNKNOWN_OUTCOME_MESSAGE =
  'The worker stopped while sending this message, so it may or may not have gone out. It was not resent automatically: resend it or leave it.'

/**
 * A recipient still `sending` after its lease expired was possibly sent by a worker that died: it
 * becomes `unknown` for a person to decide, never silently resent. The jobs' counters move in the same
 * statement. Returns the affected job ids.
 */
export const expireStaleLeases = async ({ payload }: { payload: Payload }): Promise<number[]> => {
  const client = await dbPool(payload).connect()
  try {
    const result = await client.query<{ job_id: number }>(
      `WITH expired AS (
         UPDATE email_recipients
            SET status = 'unknown', last_error = $1, lease_expires_at = NULL, updated_at = now()
          WHERE id IN (SELECT id FROM email_recipients WHERE status = 'sending' AND lease_expires_at < now() FOR NO KEY UPDATE SKIP LOCKED)
          RETURNING job_id
       ), per_job AS (SELECT job_id, count(*)::int AS n FROM expired GROUP BY job_id)
       UPDATE email_jobs j SET pending = j.pending - p.n, unknown = j.unknown + p.n, updated_at = now()
         FROM per_job p WHERE j.id = p.job_id
       RETURNING j.id AS job_id`,
      [UNKNOWN_OUTCOME_MESSAGE],
    )
    return result.rows.map((row) => row.job_id)
  } finally {
    client.release()
  }
}
