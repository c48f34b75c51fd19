import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

export const ACTIVE_JOB_STATUSES = ['queued', 'sending']

/** A job's current status ('missing' when there is no such job), read in its own statement. */
export const readEmailJobStatus = async (payload: Payload, jobID: number): Promise<string> => {
  const client = await dbPool(payload).connect()
  try {
    const { rows } = await client.query<{ status: string }>('SELECT status::text AS status FROM email_jobs WHERE id = $1', [jobID])
    return rows[0]?.status ?? 'missing'
  } finally {
    client.release()
  }
}
