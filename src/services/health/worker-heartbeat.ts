import os from 'node:os'

import type { Payload } from 'payload'

import { reservedPool } from '@/db/reserved-pool'

/** This worker process's name in `worker_heartbeats`. */
export const workerName = (): string => `${os.hostname()}:${process.pid}`

/** Records that this worker is alive (and which queues it runs); rows of workers silent for a day go. */
export const beatWorkerHeartbeat = async ({ payload, queues }: { payload: Payload; queues: string[] }): Promise<void> => {
  const pool = reservedPool(payload)
  await pool.query(
    `INSERT INTO worker_heartbeats (worker, hostname, pid, queues) VALUES ($1, $2, $3, $4)
     ON CONFLICT (worker) DO UPDATE SET beat_at = now(), queues = EXCLUDED.queues`,
    [workerName(), os.hostname(), process.pid, queues.length ? queues.join(',') : '*'],
  )
  await pool.query(`DELETE FROM worker_heartbeats WHERE beat_at < now() - interval '1 day'`)
}

/** A worker that stops cleanly says so at once. */
export const removeWorkerHeartbeat = async (payload: Payload): Promise<void> => {
  await reservedPool(payload).query('DELETE FROM worker_heartbeats WHERE worker = $1', [workerName()])
}
