import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'

import type { TestProject } from 'vitest/node'

import { startGoogleCalendarFake } from '../fakes/google-calendar-fake'
import { startOpenAIFake } from '../fakes/openai-fake'
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
    /** The Google Calendar fake's control: GET /env (the GOOGLE_* settings, for a worker), GET /events, POST /failNext?status&reason, /revoke, /expire. */
    googleControlURL: string
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

  // An org that chooses OpenAI for its assistant gets this loopback fake ('Fake answer [1].', word by word).
  const openai = await startOpenAIFake()

  // Connected Google calendars go to this loopback fake (its consent page included); tests steer it over HTTP.
  const google = await startGoogleCalendarFake({ email: 'staff@calendar.example' })
  const googleEnv = { GOOGLE_CLIENT_ID: google.clientId, GOOGLE_CLIENT_SECRET: google.clientSecret, GOOGLE_OAUTH_AUTHORIZE_URL: google.authUrl, GOOGLE_OAUTH_TOKEN_URL: google.tokenUrl, GOOGLE_CALENDAR_ROOT_URL: google.url }
  const control = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control')
    const send = (body: unknown) => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(body))
    }
    if (url.pathname === '/env') return send(googleEnv)
    if (url.pathname === '/events') return send(google.events('primary'))
    if (url.pathname === '/failNext') google.failNext(Number(url.searchParams.get('count') || 1), { status: Number(url.searchParams.get('status')), reason: url.searchParams.get('reason') ?? undefined })
    else if (url.pathname === '/revoke') google.revokeRefreshTokens()
    else if (url.pathname === '/expire') google.expireAccessTokens()
    else {
      res.statusCode = 404
      return send({ error: 'unknown control' })
    }
    send({ ok: true })
  })
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve))
  const googleControlURL = `http://127.0.0.1:${(control.address() as net.AddressInfo).port}`

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
      // ASSISTANT_PROVIDER stays unset: orgs quote passages unless they choose OpenAI (assistant.e2e does).
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      ASSISTANT_MAX_RETRIES: '0',
      ASSISTANT_MODERATION: 'off',
      ...googleEnv,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  await waitForServer(`${baseURL}/api/users/me`, child, 120_000)
  project.provide('baseURL', baseURL)
  project.provide('e2eDatabaseURL', database.url)
  project.provide('mailboxURL', mailboxURL)
  project.provide('googleControlURL', googleControlURL)

  return async () => {
    child.kill('SIGTERM')
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)))
    await database.drop()
    await new Promise((r) => mailbox.close(r))
    await mail.close()
    await openai.close()
    await new Promise((r) => control.close(r))
    await google.close()
  }
}
