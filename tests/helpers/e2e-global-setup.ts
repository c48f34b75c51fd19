import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'

import type { TestProject } from 'vitest/node'

import { startSmtpSink } from '../fakes/smtp-sink'
import { migrateAndSeed } from './prepare-database'
import { createTestDatabase } from './test-database'
import { TEST_ENV } from './test-env'

declare module 'vitest' {
  export interface ProvidedContext {
    /** GET it for the mail the server sent through SMTP_HOST (invitations, alerts): [{ to, subject, text }]. */
    mailboxURL: string
    baseURL: string
    e2eDatabaseURL: string
  }
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })

const waitForServer = async (url: string, child: ChildProcess, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`)
    try {
      const response = await fetch(url)
      if (response.status < 500) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`next start did not answer ${url} within ${timeoutMs} ms`)
}

/**
 * Browser tests run against the production build (`npm run build` first): `next start` on a free
 * port, on a fresh database seeded with the demo data, dropped afterwards.
 */
export default async function setup(project: TestProject) {
  if (!fs.existsSync(`${process.env.NEXT_DIST_DIR || '.next'}/BUILD_ID`)) throw new Error('No production build: run `npm run build` before `npm run test:e2e`.')
  const database = await createTestDatabase()
  const port = await freePort()
  const baseURL = `http://127.0.0.1:${port}`
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url, SITE_URL: baseURL })

  await migrateAndSeed()

  // The server's own mail (SMTP_HOST: invitations, alerts) goes to a real SMTP sink; tests read it over HTTP.
  const mail = await startSmtpSink()
  const mailbox = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(mail.messages.map((m) => ({ to: m.to, subject: m.parsed.subject ?? '', text: m.parsed.text ?? '' }))))
  })
  await new Promise<void>((resolve) => mailbox.listen(0, '127.0.0.1', resolve))
  const mailboxURL = `http://127.0.0.1:${(mailbox.address() as net.AddressInfo).port}/`

  const child = spawn('node_modules/.bin/next', ['start', '-p', String(port), '-H', '127.0.0.1'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PAYLOAD_SECRET: TEST_ENV.PAYLOAD_SECRET,
      FERNET_KEY: TEST_ENV.FERNET_KEY,
      DATABASE_URL: database.url,
      SITE_URL: baseURL,
      LOG_LEVEL: 'error',
      // The operator's allowance for the tests' own SMTP sink on loopback (inbox replies go from the web process).
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mail.port),
      SMTP_FROM_ADDRESS: 'outpost@e2e.test',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  await waitForServer(`${baseURL}/api/users/me`, child, 120_000)
  project.provide('baseURL', baseURL)
  project.provide('e2eDatabaseURL', database.url)
  project.provide('mailboxURL', mailboxURL)

  return async () => {
    child.kill('SIGTERM')
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)))
    await database.drop()
    await new Promise((r) => mailbox.close(r))
    await mail.close()
  }
}
