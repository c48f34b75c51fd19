import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'

export type WorkerProcess = { child: ChildProcess; log: () => string; exited: Promise<number | null> }

/**
 * Starts a real worker (`npm run worker` is `tsx src/jobs/worker.ts`; started as `node --import tsx` so
 * the pid is the worker's own) with `env` on top of this process's, and resolves once it runs its loop.
 * Its output is kept (`log()`) for failure messages. For tests, benchmarks and the soak.
 */
export const startWorkerProcess = (env: Record<string, string | undefined> = {}): Promise<WorkerProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/jobs/worker.ts')], {
      // LOG_LEVEL info: its start line ("Worker running") is how we know it runs.
      env: { ...process.env, ...env, LOG_LEVEL: 'info', NODE_OPTIONS: '--no-deprecation --conditions=development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8')
      if (output.length > 200_000) output = output.slice(-100_000)
      if (output.includes('Worker running')) resolve({ child, log: () => output, exited })
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    void exited.then((code) => reject(new Error(`worker exited with ${code}: ${output.slice(-2000)}`)))
  })
