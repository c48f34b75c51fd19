import type { PoolClient } from 'pg'

/** What became of one claimed recipient. `attempt` is the attempt number its claim returned. */
export type RecipientOutcome =
  | { id: number; attempt: number; status: 'sent'; providerMessageID: string | null }
  | { id: number; attempt: number; status: 'failed'; error: string; providerCode: string | null }
  | { id: number; attempt: number; status: 'pending'; error: string; providerCode: string | null; retryInSeconds: number }
  | { id: number; attempt: number; status: 'excluded'; reason: string; suppressionID: number }
  /** Back to pending as if never claimed (the attempt uncounted, due at once): it was never handed off, or the provider was down. */
  | { id: number; attempt: number; status: 'released'; error?: string; providerCode?: null | string }

/**
 * Writes the outcomes of one batch and moves the job's counters by exactly the same transitions, in
 * one statement. Only rows still carrying this claim (`sending` or, if the lease ran out meanwhile,
 * `unknown`, with the same claim token and attempt number) change, so a late or repeated report can never count twice
 * or overwrite a newer claim. Returns how many rows changed.
 */
export const applyRecipientOutcomes = async (client: PoolClient, jobID: number, claimToken: string, outcomes: RecipientOutcome[]): Promise<number> => {
  if (!outcomes.length) return 0
  // An outcome lost in a database crash leaves its recipient `sending`, which the sweeper turns into
  // `unknown` (never resent), so outcomes need not wait for the disk; claims do, and stay synchronous.
  await client.query('BEGIN')
  try {
    await client.query('SET LOCAL synchronous_commit = off')
    const changed = await writeOutcomes(client, jobID, claimToken, outcomes)
    await client.query('COMMIT')
    return changed
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  }
}

const writeOutcomes = async (client: PoolClient, jobID: number, claimToken: string, outcomes: RecipientOutcome[]): Promise<number> => {
  const column = <T>(pick: (o: RecipientOutcome) => T | undefined) => outcomes.map((o) => pick(o) ?? null)
  const result = await client.query<{ changed: number }>(
    `WITH input AS (
       SELECT t.*, t.status = 'released' AS released, CASE WHEN t.status = 'released' THEN 'pending' ELSE t.status END AS new_status
         FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[], $10::int[])
           AS t(id, attempt, status, error, provider_code, message_id, retry_secs, reason, suppression_id)
     ), current AS (
       SELECT r.id, r.status::text AS old_status FROM email_recipients r JOIN input i ON i.id = r.id
        WHERE r.job_id = $1 AND r.status IN ('sending', 'unknown') AND r.attempts = i.attempt AND r.claim_token = $11
        FOR NO KEY UPDATE OF r
     ), changed AS (
       UPDATE email_recipients r
          SET status = i.new_status::enum_email_recipients_status,
              attempts = CASE WHEN i.released THEN r.attempts - 1 ELSE r.attempts END,
              claim_token = NULL,
              handed_off_at = CASE WHEN i.new_status = 'pending' THEN NULL ELSE r.handed_off_at END,
              last_error = CASE WHEN i.status = 'sent' THEN NULL ELSE coalesce(i.error, r.last_error) END,
              provider_code = CASE WHEN i.status = 'sent' THEN NULL ELSE coalesce(i.provider_code, r.provider_code) END,
              provider_message_i_d = coalesce(i.message_id, r.provider_message_i_d),
              excluded_reason = coalesce(i.reason, r.excluded_reason),
              suppression_id = coalesce(i.suppression_id, r.suppression_id),
              next_attempt_at = CASE WHEN i.status = 'pending' THEN now() + make_interval(secs => i.retry_secs) ELSE NULL END,
              lease_expires_at = NULL,
              sent_at = CASE WHEN i.status = 'sent' THEN now() ELSE r.sent_at END,
              failed_at = CASE WHEN i.status = 'failed' THEN now() ELSE r.failed_at END,
              updated_at = now()
         FROM input i JOIN current c ON c.id = i.id
        WHERE r.id = i.id
        RETURNING c.old_status, r.status::text AS new_status
     ), moves AS (
       SELECT count(*)::int AS changed,
              count(*) FILTER (WHERE new_status = 'sent')::int AS to_sent,
              count(*) FILTER (WHERE new_status = 'failed')::int AS to_failed,
              count(*) FILTER (WHERE new_status = 'excluded')::int AS to_excluded,
              count(*) FILTER (WHERE new_status IN ('pending', 'sending'))::int AS to_pending,
              count(*) FILTER (WHERE old_status = 'sending')::int AS from_pending,
              count(*) FILTER (WHERE old_status = 'unknown')::int AS from_unknown
         FROM changed
     ), job AS (
       UPDATE email_jobs j
          SET pending = j.pending - m.from_pending + m.to_pending,
              unknown = j.unknown - m.from_unknown,
              sent = j.sent + m.to_sent,
              failed = j.failed + m.to_failed,
              excluded = j.excluded + m.to_excluded,
              updated_at = now()
         FROM moves m WHERE j.id = $1 AND m.changed > 0
        RETURNING j.id
     )
     SELECT changed FROM moves`,
    [
      jobID,
      column((o) => o.id),
      column((o) => o.attempt),
      column((o) => o.status),
      column((o) => ('error' in o ? o.error : undefined)),
      column((o) => ('providerCode' in o ? o.providerCode : undefined)),
      column((o) => ('providerMessageID' in o ? o.providerMessageID : undefined)),
      column((o) => ('retryInSeconds' in o ? Math.ceil(o.retryInSeconds) : undefined)),
      column((o) => ('reason' in o ? o.reason : undefined)),
      column((o) => ('suppressionID' in o ? o.suppressionID : undefined)),
      claimToken,
    ],
  )
  return result.rows[0]?.changed ?? 0
}

/**
 * Gives back the attempts a provider outage took (the circuit breaker tripped): these recipients,
 * pending again after failing while the provider was down, are due at once when the job resumes and
 * no nearer to failing than before. Rows someone has claimed since are left alone.
 */
export const restoreAttempts = async (client: PoolClient, jobID: number, ids: number[]): Promise<number> => {
  if (!ids.length) return 0
  const result = await client.query(
    `UPDATE email_recipients SET attempts = greatest(0, attempts - 1), next_attempt_at = NULL, updated_at = now()
      WHERE id = ANY($1::int[]) AND job_id = $2 AND status = 'pending'`,
    [ids, jobID],
  )
  return result.rowCount ?? 0
}
