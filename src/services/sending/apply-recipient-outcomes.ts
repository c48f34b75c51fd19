import type { PoolClient } from 'pg'

/** What became of one claimed recipient. `attempt` is the attempt number its claim returned. */
export type RecipientOutcome =
  | { id: number; attempt: number; status: 'sent'; providerMessageID: string | null }
  | { id: number; attempt: number; status: 'failed'; error: string; providerCode: string | null }
  | { id: number; attempt: number; status: 'pending'; error: string; providerCode: string | null; retryInSeconds: number }
  | { id: number; attempt: number; status: 'excluded'; reason: string; suppressionID: number }
  /** Back to pending as if never claimed (the attempt uncounted, due at once): it was never handed off, or the provider was down. */
  | { id: number; attempt: number; status: 'released'; error?: string; providerCode?: null | string }

/** How a set of outcomes moves a job's counters. */
export type CounterMoves = {
  changed: number
  toSent: number
  toFailed: number
  toExcluded: number
  toPending: number
  fromPending: number
  fromUnknown: number
}

export const NO_MOVES: CounterMoves = { changed: 0, toSent: 0, toFailed: 0, toExcluded: 0, toPending: 0, fromPending: 0, fromUnknown: 0 }

/**
 * Moves a job's counters by the transitions its outcomes made, in the caller's transaction.
 */
export const applyCounterMoves = async (client: PoolClient, jobID: number, m: CounterMoves): Promise<void> => {
  if (!m.changed) return
  await client.query(
    `UPDATE email_jobs SET pending = pending - $2 + $3, unknown = unknown - $4, sent = sent + $5, failed = failed + $6,
            excluded = excluded + $7, updated_at = now()
      WHERE id = $1`,
    [jobID, m.fromPending, m.toPending, m.fromUnknown, m.toSent, m.toFailed, m.toExcluded],
  )
}

type MovesRow = { changed: number; to_sent: number; to_failed: number; to_excluded: number; to_pending: number; from_pending: number; from_unknown: number }
const movesOf = (row: MovesRow | undefined): CounterMoves =>
  row
    ? {
        changed: row.changed,
        toSent: row.to_sent,
        toFailed: row.to_failed,
        toExcluded: row.to_excluded,
        toPending: row.to_pending,
        fromPending: row.from_pending,
        fromUnknown: row.from_unknown,
      }
    : NO_MOVES

/**
 * Writes outcomes to the recipients and moves the job's counters by exactly the same transitions, in
 * one transaction. Only rows still carrying this claim (`sending` or, if the lease ran out meanwhile,
 * `unknown`, with the same claim token and attempt number) change, so a late or repeated report can
 * never count twice or overwrite a newer claim. Returns how many rows changed.
 */
export const applyRecipientOutcomes = async (client: PoolClient, jobID: number, claimToken: string, outcomes: RecipientOutcome[]): Promise<number> => {
  if (!outcomes.length) return 0
  await client.query('BEGIN')
  try {
    const { rows } = await client.query<MovesRow>(`${outcomesSql('', PARAM_SOURCE)} SELECT * FROM moves`, outcomeParams(jobID, claimToken, outcomes))
    const moves = movesOf(rows[0])
    await applyCounterMoves(client, jobID, moves)
    await client.query('COMMIT')
    return moves.changed
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  }
}

/**
 * The per-message step of a send loop, one statement: the answered chain's outcomes go to a
 * narrow log (`send_outcome_log`, one row per recipient, a primary key and nothing else to maintain),
 * and the recipients that take its places on the wire are handed off (only those still carrying this
 * claim; their ids are returned). It commits synchronously: a hand-off must be durable before its
 * message is sent, and an outcome in the log is as good as written (flushOutcomeLog moves it to the
 * recipient at the end of the batch, or the sweeper does if the worker died first).
 */
export const recordOutcomesAndHandOff = async (
  client: PoolClient,
  { jobID, claimToken, outcomes, handOff }: { jobID: number; claimToken: string; outcomes: RecipientOutcome[]; handOff: number[] },
): Promise<Set<number>> => {
  if (!outcomes.length && !handOff.length) return new Set()
  // Not a named prepared statement: the embedded database serves every pooled connection from one
  // session, where a second connection preparing the same name fails.
  const { rows } = await client.query<{ handed: number[] | null }>({
    text: `WITH logged AS (
         INSERT INTO send_outcome_log AS l (recipient_id, job_id, claim_token, attempt, status, error, provider_code, message_id, retry_secs, reason, suppression_id)
         SELECT t.id, $1, t.claim_token, t.attempt, t.status, t.error, t.provider_code, t.message_id, t.retry_secs, t.reason, t.suppression_id FROM (${PARAM_SOURCE}) t
         ON CONFLICT (recipient_id) DO UPDATE
           SET job_id = excluded.job_id, claim_token = excluded.claim_token, attempt = excluded.attempt, status = excluded.status,
               error = excluded.error, provider_code = excluded.provider_code, message_id = excluded.message_id,
               retry_secs = excluded.retry_secs, reason = excluded.reason, suppression_id = excluded.suppression_id, logged_at = now()
         RETURNING 1
       ), handoff AS (
         UPDATE email_recipients SET handed_off_at = now()
          WHERE id = ANY($12::int[]) AND job_id = $1 AND status = 'sending' AND claim_token = $11
          RETURNING id)
     SELECT (SELECT array_agg(id) FROM handoff) AS handed, (SELECT count(*) FROM logged) AS logged`,
    values: [...outcomeParams(jobID, claimToken, outcomes), handOff],
  })
  return new Set(rows[0]?.handed ?? [])
}

/**
 * Moves a claim's logged outcomes (see recordOutcomesAndHandOff) onto its recipients, set-based, and
 * the job's counters with them, in one transaction; the log rows go. Returns the counter moves.
 */
export const flushOutcomeLog = async (client: PoolClient, jobID: number, claimToken: string): Promise<CounterMoves> => {
  await client.query('BEGIN')
  try {
    const { rows } = await client.query<MovesRow>(
      `${outcomesSql(
        `logged AS (DELETE FROM send_outcome_log WHERE job_id = $1 AND claim_token = $2
                      RETURNING recipient_id, attempt, status, error, provider_code, message_id, retry_secs, reason, suppression_id, claim_token),`,
        'SELECT recipient_id AS id, attempt, status, error, provider_code, message_id, retry_secs, reason, suppression_id, claim_token FROM logged',
      )} SELECT * FROM moves`,
      [jobID, claimToken],
    )
    const moves = movesOf(rows[0])
    await applyCounterMoves(client, jobID, moves)
    await client.query('COMMIT')
    return moves
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  }
}

/** The claims whose logged outcomes a dead worker never flushed: some of their recipients' leases ran out. */
export const findStaleOutcomeLogs = async (client: PoolClient): Promise<{ jobID: number; claimToken: string }[]> => {
  const { rows } = await client.query<{ job_id: number; claim_token: string }>(
    `SELECT DISTINCT l.job_id, l.claim_token FROM send_outcome_log l
       JOIN email_recipients r ON r.id = l.recipient_id
      WHERE (r.status = 'sending' AND r.lease_expires_at < now()) OR l.logged_at < now() - interval '10 minutes'`,
  )
  return rows.map((row) => ({ jobID: row.job_id, claimToken: row.claim_token }))
}

/** Marks claimed recipients as handed off (their sends start now); only those still carrying the claim. */
export const markHandedOff = async (client: PoolClient, jobID: number, claimToken: string, ids: number[]): Promise<Set<number>> => {
  const { rows } = await client.query<{ id: number }>(
    `UPDATE email_recipients SET handed_off_at = now()
      WHERE id = ANY($1::int[]) AND job_id = $2 AND status = 'sending' AND claim_token = $3
      RETURNING id`,
    [ids, jobID, claimToken],
  )
  return new Set(rows.map((row) => row.id))
}

/**
 * Outcomes applied to a job's claimed recipients, as CTEs after `before` (more CTEs, each ending in a
 * comma); `source` selects (id, attempt, status, error, provider_code, message_id, retry_secs, reason,
 * suppression_id, claim_token). `moves` holds the counter moves they make. The job id is $1.
 */
const outcomesSql = (before: string, source: string) => `WITH ${before} input AS (
       SELECT t.*, t.status = 'released' AS released, CASE WHEN t.status = 'released' THEN 'pending' ELSE t.status END AS new_status
         FROM (${source}) t
     ), current AS (
       -- Carries the input along, so the update below joins one CTE by the primary key: joining two CTEs
       -- (which the planner takes for a row each) made it a nested loop, quadratic in the batch.
       SELECT i.*, r.status::text AS old_status FROM email_recipients r JOIN input i ON i.id = r.id
        WHERE r.job_id = $1 AND r.status IN ('sending', 'unknown') AND r.attempts = i.attempt AND r.claim_token = i.claim_token
        FOR NO KEY UPDATE OF r
     ), changed AS (
       UPDATE email_recipients r
          SET status = c.new_status::enum_email_recipients_status,
              attempts = CASE WHEN c.released THEN r.attempts - 1 ELSE r.attempts END,
              claim_token = NULL,
              handed_off_at = CASE WHEN c.new_status = 'pending' THEN NULL ELSE r.handed_off_at END,
              last_error = CASE WHEN c.status = 'sent' THEN NULL ELSE coalesce(c.error, r.last_error) END,
              provider_code = CASE WHEN c.status = 'sent' THEN NULL ELSE coalesce(c.provider_code, r.provider_code) END,
              provider_message_i_d = coalesce(c.message_id, r.provider_message_i_d),
              excluded_reason = coalesce(c.reason, r.excluded_reason),
              suppression_id = coalesce(c.suppression_id, r.suppression_id),
              next_attempt_at = CASE WHEN c.status = 'pending' THEN now() + make_interval(secs => c.retry_secs) ELSE NULL END,
              lease_expires_at = NULL,
              sent_at = CASE WHEN c.status = 'sent' THEN now() ELSE r.sent_at END,
              failed_at = CASE WHEN c.status = 'failed' THEN now() ELSE r.failed_at END,
              updated_at = now()
         FROM current c
        WHERE r.id = c.id
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
     )`

/** The outcomes given as parameters $2–$11 (with the job id as $1). */
const PARAM_SOURCE = `SELECT u.*, $11::text AS claim_token
    FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[], $10::int[])
      AS u(id, attempt, status, error, provider_code, message_id, retry_secs, reason, suppression_id)`

const outcomeParams = (jobID: number, claimToken: string, outcomes: RecipientOutcome[]): unknown[] => {
  const column = <T>(pick: (o: RecipientOutcome) => T | undefined) => outcomes.map((o) => pick(o) ?? null)
  return [
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
  ]
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
