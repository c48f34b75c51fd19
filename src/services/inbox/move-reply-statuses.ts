import type { PoolClient } from 'pg'

export type ReplyStatusMove = { message: number; status: 'delivered' | 'failed' | 'sent'; error: null | string }

/**
 * Moves inbox replies' delivery status forwards only, from the provider's callbacks (Twilio status,
 * SendGrid events): sent < delivered < failed. A reply still queued, being sent or of unknown outcome
 * moves too (the provider has it, so it left). A late or repeated report never turns a reply back.
 * Returns the ids that moved.
 */
export const moveReplyStatuses = async (client: PoolClient, moves: ReplyStatusMove[]): Promise<Set<number>> => {
  if (!moves.length) return new Set()
  const { rows } = await client.query<{ id: number }>(
    `UPDATE messages m
        SET status = v.status::enum_messages_status, error = CASE WHEN v.status = 'failed' THEN v.error ELSE m.error END, updated_at = now()
       FROM unnest($1::int[], $2::text[], $3::text[]) AS v(id, status, error)
      WHERE m.id = v.id AND m.direction = 'outbound'
        AND (CASE m.status WHEN 'failed' THEN 3 WHEN 'delivered' THEN 2 WHEN 'sent' THEN 1 ELSE 0 END) < (CASE v.status WHEN 'failed' THEN 3 WHEN 'delivered' THEN 2 ELSE 1 END)
      RETURNING m.id`,
    [moves.map((m) => m.message), moves.map((m) => m.status), moves.map((m) => m.error)],
  )
  return new Set(rows.map((r) => r.id))
}
