import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

/** A job's explicit selection: its size, and its contact ids when there are at most `idsLimit`. Access is the caller's. */
export const readJobSelection = async ({ payload, jobID, idsLimit }: { payload: Payload; jobID: number; idsLimit: number }): Promise<{ count: number; ids: number[] | null }> => {
  const client = await dbPool(payload).connect()
  try {
    const { rows } = await client.query<{ id: number }>('SELECT contact_id AS id FROM job_audience_contacts WHERE job_id = $1 ORDER BY contact_id LIMIT $2', [jobID, idsLimit + 1])
    if (rows.length <= idsLimit) return { count: rows.length, ids: rows.map((row) => row.id) }
    const { rows: counted } = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM job_audience_contacts WHERE job_id = $1', [jobID])
    return { count: counted[0]!.count, ids: null }
  } finally {
    client.release()
  }
}
