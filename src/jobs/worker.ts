/**
 * `npm run worker`: a worker process for Payload's jobs queue (every queue, and the scheduled tasks).
 * Payload's queue is only a trigger here: jobs are claimed atomically (claimPayloadJobs) and run by id,
 * and this loop survives any job's error instead of dying; correctness lives in our PostgreSQL claims.
 * SIGTERM/SIGINT stop it gracefully: it claims nothing more, the running tasks finish the batch they hold
 * (sends) or commit theirs and hand the lease back (imports), its heartbeat row goes, and it exits, within
 * WORKER_SHUTDOWN_SECONDS (default 30) at most; a second signal exits at once. (`kill -9` is safe too:
 * leases expire; what was not yet handed off goes back to pending, what was on the wire becomes `unknown`.)
 * Every WORKER_HEARTBEAT_SECONDS (5) it records that it is alive (GET /api/health/ready reports the age).
 * Settings: WORKER_POLL_SECONDS (default 1), WORKER_JOB_LIMIT (jobs run at once, default 10),
 * WORKER_QUEUES (comma-separated queue names, e.g. `imports,exports` for a worker of its own; default
 * every queue).
 */
import config from '@payload-config'
import { getPayload } from 'payload'

import { setProcessKind } from '@/db/db-limits'
import { envNumber } from '@/services/config/server-env'
import { beatWorkerHeartbeat, removeWorkerHeartbeat } from '@/services/health/worker-heartbeat'
import { claimPayloadJobs } from '@/services/jobs/claim-payload-jobs'
import { isShuttingDown, requestShutdown, sleepUnlessShutdown } from '@/services/jobs/shutdown'

const pollMs = envNumber('WORKER_POLL_SECONDS', 1, { min: 0.2 }) * 1000
const limit = envNumber('WORKER_JOB_LIMIT', 10, { min: 1 })
const queues = (process.env.WORKER_QUEUES ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean)
const shutdownMs = envNumber('WORKER_SHUTDOWN_SECONDS', 30, { min: 1 }) * 1000
const heartbeatMs = envNumber('WORKER_HEARTBEAT_SECONDS', 5, { min: 1 }) * 1000

const main = async () => {
  // Worker pool size and statement limits (src/db/db-limits.ts), set before Payload connects.
  setProcessKind('worker')
  const payload = await getPayload({ config })
  const stop = (signal: string) => {
    if (isShuttingDown()) process.exit(1)
    requestShutdown()
    payload.logger.info(`Worker stopping (${signal}): finishing what it holds, claiming nothing more; send it again to stop at once.`)
    setTimeout(() => {
      payload.logger.error(`Worker still busy ${shutdownMs / 1000} s after ${signal}: exiting (leases expire; the sweeper recovers the rest).`)
      process.exit(1)
    }, shutdownMs).unref()
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
  const beat = () => beatWorkerHeartbeat({ payload, queues }).catch((error: unknown) => payload.logger.warn({ err: error }, 'Could not record the worker heartbeat'))
  await beat()
  const heartbeat = setInterval(() => void beat(), heartbeatMs)
  payload.logger.info(`Worker running ${queues.length ? `the queues ${queues.join(', ')}` : 'every queue'} (poll ${pollMs} ms, up to ${limit} jobs at once).`)
  // Jobs are taken by our own atomic claim and run by id, each as soon as a place is free: a long send
  // run never holds back the sweeper, and no job runs on two workers at once.
  const running = new Map<number, { taskSlug: string; input: unknown; run: Promise<unknown> }>()
  while (!isShuttingDown()) {
    try {
      const claimed = await claimPayloadJobs({ payload, limit: limit - running.size, queues, running: [...running.values()] })
      for (const job of claimed) {
        const run: Promise<unknown> = payload.jobs
          .runByID({ id: job.id })
          .catch((error: unknown) => payload.logger.error({ err: error, id: job.id }, 'A job failed outside its handler; the worker carries on.'))
          .finally(() => running.delete(job.id))
        running.set(job.id, { ...job, run })
      }
      if (!claimed.length || running.size >= limit) await Promise.race([sleepUnlessShutdown(pollMs), ...[...running.values()].map((job) => job.run)])
    } catch (error) {
      payload.logger.error({ err: error }, 'Running jobs failed; retrying shortly.')
      await sleepUnlessShutdown(pollMs)
    }
  }
  await Promise.allSettled([...running.values()].map((job) => job.run))
  clearInterval(schedules)
  clearInterval(heartbeat)
  await removeWorkerHeartbeat(payload).catch(() => {})
  payload.logger.info('Worker stopped.')
  process.exit(0)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
