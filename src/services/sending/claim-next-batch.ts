import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { findStaleOutcomeLogs, flushOutcomeLog, markHandedOff } from './apply-recipient-outcomes'

export type ClaimedRecipient = {
  id: number
  email: string
  contactID: number | null
  /** The attempt this claim is (1 for the first try); outcomes are written only against it. */
  attempts: number
  /** Whose claim this is: hand-offs, lease renewals and outcomes are written only against it. */
  claimToken: string
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
 * lease and the worker's `claimToken`, not yet handed off (see handOffRecipients). `FOR NO KEY UPDATE SKIP LOCKED` lets any number of workers on any number of machines claim from the
 * same job at once without two ever getting the same row. Nothing is claimed unless the job is
 * `sending`, so a cancel or pause takes effect at the next claim.
 */
export const claimNextBatch = async ({
  payload,
  jobID,
  limit,
  leaseSeconds,
  claimToken,
}: {
  payload: Payload
  jobID: number
  limit: number
  leaseSeconds: number
  claimToken: string
}): Promise<ClaimedRecipient[]> => {
  if (limit <= 0) return []
  const client = await dbPool(payload).connect()
  try {
    const result = await client.query<ClaimRow>(
      `WITH claimed AS (
         UPDATE email_recipients r
            SET status = 'sending', attempts = r.attempts + 1, claim_token = $4, handed_off_at = NULL,
                lease_expires_at = now() + make_interval(secs => $3), updated_at = now()
          WHERE r.id IN (SELECT id FROM email_recipients
                          WHERE job_id = $1 AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= now())
                            AND EXISTS (SELECT 1 FROM email_jobs WHERE id = $1 AND status = 'sending')
                          ORDER BY id LIMIT $2 FOR NO KEY UPDATE SKIP LOCKED)
          RETURNING r.id, r.email, r.contact_id, r.attempts)
       SELECT claimed.*, c.first_name, c.last_name, c.phone
         FROM claimed LEFT JOIN contacts c ON c.id = claimed.contact_id
        ORDER BY claimed.id`,
      [jobID, limit, leaseSeconds, claimToken],
    )
    return result.rows.map((row) => ({
      id: row.id,
      email: row.email,
      contactID: row.contact_id,
      attempts: Number(row.attempts),
      claimToken,
      contact: row.contact_id === null ? null : { firstName: row.first_name, lastName: row.last_name, phone: row.phone },
    }))
  } finally {
    client.release()
  }
}

/**
 * Hands claimed recipients that were never handed off back untouched (the dispatch stopped before
 * them): they become `pending` again and the attempt is not counted.
 */
export const releaseClaims = async ({ payload, recipients }: { payload: Payload; recipients: ClaimedRecipient[] }): Promise<void> => {
  if (!recipients.length) return
  const client = await dbPool(payload).connect()
  try {
    await client.query(
      `UPDATE email_recipients r SET status = 'pending', attempts = r.attempts - 1, lease_expires_at = NULL, claim_token = NULL, updated_at = now()
         FROM unnest($1::int[], $2::int[]) AS t(id, attempt)
        WHERE r.id = t.id AND r.status = 'sending' AND r.attempts = t.attempt AND r.claim_token = $3 AND r.handed_off_at IS NULL`,
      [recipients.map((r) => r.id), recipients.map((r) => r.attempts), recipients[0]!.claimToken],
    )
  } finally {
    client.release()
  }
}

/**
 * The point of no return for each message: records, durably and before anything is sent, that these
 * claimed recipients' sends start now. Only recipients still carrying this claim are marked (a claim
 * whose lease ran out may be someone else's by now); the ids marked are returned, and only those may
 * be sent. A crash before this leaves the recipient to go back to `pending`; after it, `unknown`.
 */
export const handOffRecipients = async ({ payload, jobID, claimToken, ids }: { payload: Payload; jobID: number; claimToken: string; ids: number[] }): Promise<Set<number>> => {
  if (!ids.length) return new Set()
  const client = await dbPool(payload).connect()
  try {
    return await markHandedOff(client, jobID, claimToken, ids)
  } finally {
    client.release()
  }
}

/** The heartbeat of a live claim: its recipients' leases move `leaseSeconds` ahead. Returns how many it renewed. */
export const renewLeases = async ({ payload, jobID, claimToken, leaseSeconds }: { payload: Payload; jobID: number; claimToken: string; leaseSeconds: number }): Promise<number> => {
  const client = await dbPool(payload).connect()
  try {
    const result = await client.query(
      // SKIP LOCKED: a row a send loop is writing right now (its hand-off or outcome) is renewed at the
      // next beat; waiting for it would lock rows in another order than the loops and could deadlock.
      `UPDATE email_recipients SET lease_expires_at = now() + make_interval(secs => $3)
        WHERE id IN (SELECT id FROM email_recipients WHERE job_id = $1 AND status = 'sending' AND claim_token = $2
                      FOR NO KEY UPDATE SKIP LOCKED)`,
      [jobID, claimToken, leaseSeconds],
    )
    return result.rowCount ?? 0
  } finally {
    client.release()
  }
}

export const UNKNOWN_OUTCOME_MESSAGE =
  'The worker stopped while sending this message, so it may or may not have gone out. It was not resent automatically: resend it or leave it.'

/**
 * Recipients still `sending` after their lease expired belong to a worker that died (or stopped
 * renewing). The outcomes it had logged are applied first; then those it had not handed off go back to `pending` (the attempt uncounted) for anyone to
 * claim; those it had handed off may or may not have gone out, so they become `unknown` for a person
 * to decide, never silently resent. The jobs' counters move in the same statement. Returns the ids of
 * the jobs affected.
 */
export const expireStaleLeases = async ({ payload }: { payload: Payload }): Promise<number[]> => {
  const client = await dbPool(payload).connect()
  try {
    // First what the dead worker had logged: those recipients were answered, so they are not unknown.
    for (const { jobID, claimToken } of await findStaleOutcomeLogs(client)) await flushOutcomeLog(client, jobID, claimToken)
    const result = await client.query<{ job_id: number }>(
      `WITH stale AS (
         SELECT id, handed_off_at IS NOT NULL AS started FROM email_recipients
          WHERE status = 'sending' AND lease_expires_at < now() FOR NO KEY UPDATE SKIP LOCKED
       ), expired AS (
         UPDATE email_recipients r
            SET status = CASE WHEN s.started THEN 'unknown' ELSE 'pending' END::enum_email_recipients_status,
                last_error = CASE WHEN s.started THEN $1 ELSE r.last_error END,
                attempts = CASE WHEN s.started THEN r.attempts ELSE r.attempts - 1 END,
                claim_token = CASE WHEN s.started THEN r.claim_token ELSE NULL END,
                lease_expires_at = NULL, updated_at = now()
           FROM stale s WHERE r.id = s.id
          RETURNING r.job_id, s.started
       ), per_job AS (SELECT job_id, (count(*) FILTER (WHERE started))::int AS n FROM expired GROUP BY job_id)
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
