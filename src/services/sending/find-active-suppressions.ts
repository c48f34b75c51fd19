import type { PoolClient } from 'pg'

export type ActiveSuppression = { id: number; address: string; reason: string }

/**
 * The one definition of "suppressed for this org": active email suppressions of the org or global,
 * one per address (the org's own before the global one, then the oldest). A subquery with the org id
 * as the SQL parameter `orgParam` (e.g. `$2`), for queueing (all of a job's addresses at once) and
 * for the re-check before each batch.
 */
export const activeEmailSuppressionsSql = (orgParam: string, channel: 'email' | 'sms' = 'email') =>
  `(SELECT DISTINCT ON (address) id, address, reason::text AS reason FROM suppressions
     WHERE status = 'active' AND channel = '${channel === 'sms' ? 'sms' : 'email'}' AND (org_id = ${orgParam} OR org_id IS NULL)
     ORDER BY address, (org_id IS NULL), created_at)`

/** The active suppressions among `addresses`, by address. */
export const findActiveSuppressions = async (
  client: PoolClient,
  org: number,
  addresses: string[],
  channel: 'email' | 'sms' = 'email',
): Promise<Map<string, ActiveSuppression>> => {
  if (!addresses.length) return new Map()
  const { rows } = await client.query<ActiveSuppression>(
    `SELECT s.id, s.address, s.reason FROM ${activeEmailSuppressionsSql('$1', channel)} s WHERE s.address = ANY($2::text[])`,
    [org, addresses],
  )
  return new Map(rows.map((row) => [row.address, row]))
}
