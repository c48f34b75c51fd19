import type { PoolClient } from 'pg'

import { AppError } from '../errors/app-error'
import { chosenIDs, type SelectionChange } from './selection-change'

/** Refuses (400, naming up to five) the ids a change chooses that are not contacts of the org. */
export const checkSelectionIDs = async (client: Pick<PoolClient, 'query'>, org: number, change: SelectionChange): Promise<void> => {
  const chosen = chosenIDs(change)
  if (!chosen.length) return
  const { rows } = await client.query<{ id: number }>(
    `SELECT id FROM unnest($1::int[]) AS wanted(id) WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = wanted.id AND c.org_id = $2) LIMIT 5`,
    [chosen, org],
  )
  if (rows.length) {
    throw new AppError('INVALID_INPUT', `These are not contacts of this organisation: ${rows.map((r) => r.id).join(', ')}${rows.length === 5 ? ', …' : ''}.`)
  }
}
