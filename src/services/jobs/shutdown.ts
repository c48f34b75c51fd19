import { setMaxListeners } from 'node:events'

/**
 * The worker's stop request (SIGTERM/SIGINT, src/jobs/worker.ts). Long-running tasks check it where
 * they would claim more work: the send loops finish the batch they hold and claim no other, imports and
 * exports commit their batch and hand their lease back, and waits (batch delays, backoffs) end early.
 */
const controller = new AbortController()
// Every send loop, paced dispatch and backoff waits on this one signal at once: many listeners are normal.
setMaxListeners(0, controller.signal)

export const requestShutdown = (): void => controller.abort()
export const isShuttingDown = (): boolean => controller.signal.aborted

/** Waits `ms`, or less if the worker is asked to stop meanwhile. */
export const sleepUnlessShutdown = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    if (controller.signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      controller.signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    controller.signal.addEventListener('abort', done, { once: true })
  })
