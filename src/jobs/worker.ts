/**
 * `npm run worker`: a worker process for Payload's jobs queue (every queue, and the scheduled tasks).
 * Payload's queue is only a trigger here: two workers may run the same Payload job, and Payload 3
 * itself can then fail on a row the other worker already finished (measured: a worker crashed). So
 * this loop survives such errors instead of dying; correctness lives in our PostgreSQL claims.
 * SIGTERM/SIGINT stop it after the running jobs end (a `kill -9` is safe too: leases expire).
 * Settings: WORKER_POLL_SECONDS (default 1), WORKER_JOB_LIMIT (jobs run at once, default 10),
 * WORKER_QUEUES (comma-separated queue names, e.g. `imports,exports` for a worker of its own; default
 * every queue).
 */
import config from '@payload-config'
import { getPayload } from 'payload'

import { envNumber } from '@/services/config/server-env'

const pollMs = envNumber('WORKER_POLL_SECONDS', 1, { min: 0.2 }) * 1000
const limit = envNumber('WORKER_JOB_LIMIT', 10, { min: 1 })
const queues = (process.env.WORKER_QUEUES ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const main = async () => {
  const payload = await getPayload({ config })
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) process.exit(1)
    stopping = true
    payload.logger.info(`Worker stopping (${signal}) after the running jobs; send it again to stop at once.`)
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('unhandledRejection', (error) => payload.logger.error({ err: error }, 'A job failed outside its handler; the worker carries on.'))

  // Scheduled tasks (the send sweeper, counter reconciliation) are queued on their own beat, so a
  // long send run never delays recovery.
  const schedules = setInterval(() => {
    const scheduled = queues.length ? Promise.all(queues.map((queue) => payload.jobs.handleSchedules({ queue }))) : payload.jobs.handleSchedules({ allQueues: true })
    scheduled.catch((error: unknown) => payload.logger.error({ err: error }, 'Could not queue scheduled tasks'))
  }, 5000)
  payload.logger.info(`Worker running ${queues.length ? `the queues ${queues.join(', ')}` : 'every queue'} (poll ${pollMs} ms, up to ${limit} jobs at once).`)
  while (!stopping) {
    try {
      let ran = 0
      if (queues.length) {
        for (const queue of queues) ran += Object.keys((await payload.jobs.run({ queue, limit })).jobStatus ?? {}).length
      } else ran = Object.keys((await payload.jobs.run({ allQueues: true, limit })).jobStatus ?? {}).length
      if (ran === 0) await sleep(pollMs)
    } catch (error) {
      payload.logger.error({ err: error }, 'Running jobs failed; retrying shortly.')
      await sleep(pollMs)
    }
  }
  clearInterval(schedules)
  process.exit(0)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
