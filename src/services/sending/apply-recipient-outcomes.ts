import type { PoolClient } from 'pg'

/** What became of one claimed recipient. `attempt` is the attempt number its claim returned. */
export type RecipientOutcome =
  | { id: number; attempt: number; status: 'sent'; providerMessageID: string | null }
  | { id: number; attempt: number; status: 'failed'; error: string; providerCode: string | null }
  | { id: number; attempt: number; status: 'pending'; error: string; providerCode: string | null; retryInSeconds: number }
  | { id: number; attempt: number; status: 'excluded'; reason: string; suppressionID: number }

/**
 * Writes the outcomes of one batch and moves the job's counters by exactly the same transitions, in
 * one statement. Only rows still carrying this claim (`sending` or, if the lease ran out meanwhile,
 * `unknown`, with the same attempt number) change, so a late or repeated report can never count twice
 * or overwrite a newer claim. Returns how many rows changed.
 */
export const applyRecipientOutcomes = async (client: PoolClient, jobID: number, outcomes: RecipientOutcome[]): Promise<number> => {
  if (!outcomes.length) return 0
  // An outcome lost in a database crash leaves its recipient `sending`, which the sweeper turns into
  // `unknown` (never resent), so outcomes need not wait for the disk; claims do, and stay synchronous.
  await client.query('BEGIN')
  try {
    await client.query('SET LOCAL synchronous_commit = off')
    const changed = await writeOutcomes(client, jobID, outcomes)
    await client.query('COMMIT')
    return changed
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  }
}

const writeOutcomes = async (client: PoolClient, jobID: number, outcomes: RecipientOutcome[]): Promise<number> => {
  const column = <T>(pick: (o: RecipientOutcome) => T | undefined) => outcomes.map((o) => pick(o) ?? null)
  const result = await client.query<{ changed: number }>(
    `WITH input AS (
       SELECT * FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[], $10::int[])
         AS t(id, attempt, status, error, provider_code, message_id, retry_secs, reason, suppression_id)
     ), current AS (
       SELECT r.id, r.status::text AS old_status FROM email_recipients r JOIN input i ON i.id = r.id
        WHERE r.job_id = $1 AND r.status IN ('sending', 'unknown') AND r.attempts = i.attempt
        FOR NO KEY UPDATE OF r
     ), changed AS (
       UPDATE email_recipients r
          SET status = i.status::enum_email_recipients_status,
              last_error = CASE WHEN i.status = 'sent' THEN NULL ELSE coalesce(i.error, r.last_error) END,
              provider_code = CASE WHEN i.status = 'sent' THEN NULL ELSE i.provider_code END,
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
    ],
  )
  return result.rows[0]?.changed ?? 0
}
