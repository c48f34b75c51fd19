import type { Pool } from 'pg'

export type ClaimsReleased = { released: number; unknown: number }

/**
 * One rule for a single-message claim (an inbox reply, a booking invitation) whose worker died: when
 * its lease has run out, a message never handed to the provider goes back to `queued` (the attempt is
 * not counted, it is due at once); one that may have left becomes `unknown` with `stoppedMessage`, and
 * is never resent. `table`, `statusType` and `scope` are our own SQL, never input.
 */
export const releaseExpiredClaims = async (
  pool: Pick<Pool, 'query'>,
  { table, statusType, scope = 'TRUE', stoppedMessage }: { table: 'booking_invitations' | 'messages'; statusType: string; scope?: string; stoppedMessage: string },
): Promise<ClaimsReleased> => {
  const { rows } = await pool.query<{ status: string }>(
    `UPDATE ${table}
        SET status = (CASE WHEN handed_off_at IS NULL THEN 'queued' ELSE 'unknown' END)::${statusType},
            attempts = attempts - CASE WHEN handed_off_at IS NULL THEN 1 ELSE 0 END,
            error = CASE WHEN handed_off_at IS NULL THEN error ELSE $1 END,
            next_attempt_at = CASE WHEN handed_off_at IS NULL THEN now() ELSE NULL END,
            claim_token = NULL, lease_expires_at = NULL, updated_at = now()
      WHERE status = 'sending' AND (${scope}) AND lease_expires_at < now()
      RETURNING status::text AS status`,
    [stoppedMessage],
  )
  return { released: rows.filter((r) => r.status === 'queued').length, unknown: rows.filter((r) => r.status === 'unknown').length }
}
