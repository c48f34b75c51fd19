import type { PoolClient } from 'pg'

export type SuppressionReason = 'bounce' | 'dropped' | 'spamreport' | 'unsubscribe' | 'keyword' | 'manual'
export type SuppressionChannel = 'email' | 'sms'

export type SuppressionCandidate = {
  /** null: the global opt-out list. */
  org: null | number
  channel: SuppressionChannel
  /** Already normalised (lower-case, trimmed) by the caller. */
  address: string
  reason: SuppressionReason
  /** `active` stops sending at once; `pending_review` waits for a person in the review queue. */
  status: 'active' | 'pending_review'
  source: string
  note?: null | string
}

export type SuppressionActor = { id: null | number; label: string; ip?: null | string }

export type CreatedSuppression = { id: number; org: null | number; channel: SuppressionChannel; address: string; reason: SuppressionReason; status: 'active' | 'pending_review' }

/**
 * Adds suppressions in one statement, each audited (`suppression.create`) in the same statement.
 * At most one active and one pending entry exist per org, channel and address (unique partial
 * indexes), so repeats, replays and races add nothing; a review candidate is not added for an address
 * that is already actively suppressed. Returns the entries actually created. Runs on the caller's
 * connection, inside its transaction if it has one.
 */
export const suppressAddresses = async (client: PoolClient, candidates: SuppressionCandidate[], actor: SuppressionActor): Promise<CreatedSuppression[]> => {
  if (!candidates.length) return []
  const column = <T>(pick: (c: SuppressionCandidate) => T) => candidates.map(pick)
  const { rows } = await client.query<CreatedSuppression>(
    `WITH input AS (
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         AS t(org_id, channel, address, reason, status, source, note)
     ), wanted AS (
       SELECT DISTINCT ON (coalesce(org_id, 0), channel, address, status) * FROM input
     ), created AS (
       INSERT INTO suppressions (org_id, address, channel, reason, status, source, note)
       SELECT w.org_id, w.address, w.channel::enum_suppressions_channel, w.reason::enum_suppressions_reason,
              w.status::enum_suppressions_status, w.source, w.note
         FROM wanted w
        WHERE w.status = 'active'
           OR (NOT EXISTS (SELECT 1 FROM wanted a
                            WHERE a.status = 'active' AND coalesce(a.org_id, 0) = coalesce(w.org_id, 0) AND a.channel = w.channel AND a.address = w.address)
               AND NOT EXISTS (SELECT 1 FROM suppressions s
                                WHERE coalesce(s.org_id, 0) = coalesce(w.org_id, 0) AND s.channel = w.channel::enum_suppressions_channel
                                  AND s.address = w.address AND s.status = 'active'))
       ON CONFLICT DO NOTHING
       RETURNING id, org_id, channel::text, address, reason::text, status::text, source, note
     ), audited AS (
       INSERT INTO audit_logs (action, actor_id, actor_label, org_id, target_collection, target_i_d, summary, ip)
       SELECT 'suppression.create', $8::int, $9::text, c.org_id, 'suppressions', c.id::text,
              left((CASE WHEN c.status = 'active' THEN 'Suppressed ' ELSE 'Review candidate: ' END) || c.address || ' (' || c.reason || ', '
                   || c.channel || ') from ' || coalesce(c.source, 'system') || coalesce(': ' || c.note, ''), 300),
              $10::text
         FROM created c
     )
     SELECT id, org_id AS org, channel, address, reason, status FROM created`,
    [
      column((c) => c.org),
      column((c) => c.channel),
      column((c) => c.address),
      column((c) => c.reason),
      column((c) => c.status),
      column((c) => c.source.slice(0, 120)),
      column((c) => (c.note ? c.note.slice(0, 1000) : null)),
      actor.id,
      actor.label,
      actor.ip ?? null,
    ],
  )
  return rows
}
