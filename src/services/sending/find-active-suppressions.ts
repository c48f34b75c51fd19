import type { PoolClient } from 'pg'

export type ActiveSuppression = { id: number; address: string; reason: string }

/** The active email suppressions (the org's own or global) among `addresses`, one per address. */
export const findActiveSuppressions = async (client: PoolClient, org: number, addresses: string[]): Promise<Map<string, ActiveSuppression>> => {
  if (!addresses.length) return new Map()
  const { rows } = await client.query<ActiveSuppression>(
    `SELECT DISTINCT ON (address) id, address, reason::text AS reason FROM suppressions
      WHERE address = ANY($2::text[]) AND status = 'active' AND channel = 'email' AND (org_id = $1 OR org_id IS NULL)
      ORDER BY address, (org_id IS NULL), created_at`,
    [org, addresses],
  )
  return new Map(rows.map((row) => [row.address, row]))
}
