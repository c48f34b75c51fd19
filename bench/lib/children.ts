import { type ChildProcess, fork, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'

export type FakeServer = { port?: number; url?: string; count: () => Promise<number>; stats: () => Promise<{ count: number; duplicates: number; addresses: number }>; stop: () => void }

/** Starts bench/lib/fake-server.ts in a child process (see there). */
export const startFakeServer = (kind: 'sendgrid' | 'smtp' | 'twilio', env: Record<string, string> = {}): Promise<FakeServer> =>
  new Promise((resolve, reject) => {
    const child = fork(path.join(import.meta.dirname, 'fake-server.ts'), [kind], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`${kind} fake exited with ${code}`)))
    child.once('message', (message: { port?: number; url?: string }) =>
      resolve({
        ...message,
        count: () =>
          new Promise((done) => {
            child.once('message', (m: { count: number }) => done(m.count))
            child.send('count')
          }),
        stats: () =>
          new Promise((done) => {
            child.once('message', (m: { count: number; duplicates: number; addresses: number }) => done(m))
            child.send('count')
          }),
        stop: () => child.kill(),
      }),
    )
  })

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })

export const POSTFIX_SINK = '/usr/sbin/smtp-sink'
export const POSTFIX_SOURCE = '/usr/sbin/smtp-source'
export const hasPostfix = () => process.env.BENCH_SINK !== 'smtp-server' && existsSync(POSTFIX_SINK) && existsSync(POSTFIX_SOURCE) && process.getuid?.() === 0

/** Postfix's smtp-sink on loopback (`-u nobody`, backlog 1000): the fastest SMTP server this machine has. */
export const startPostfixSink = async (): Promise<{ port: number; process: ChildProcess }> => {
  const port = await freePort()
  const child = spawn(POSTFIX_SINK, ['-u', 'nobody', `127.0.0.1:${port}`, '1000'], { stdio: 'ignore' })
  for (let i = 0; i < 50; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)))
      socket.once('error', () => resolve(false))
    })
    if (open) return { port, process: child }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill()
  throw new Error('postfix smtp-sink did not start')
}

/** Postfix's smtp-source: `messages` messages of `size` bytes over `sessions` parallel sessions. Returns seconds. */
export const runPostfixSource = (port: number, messages: number, sessions: number, size: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(POSTFIX_SOURCE, ['-s', String(sessions), '-m', String(messages), '-l', String(size), '-f', 'bench@outpost.test', '-t', 'sink@outpost.test', `127.0.0.1:${port}`], {
      stdio: 'ignore',
    })
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`smtp-source exited with ${code}`))))
  })
