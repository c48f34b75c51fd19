/**
 * npm run bench:inbound — SendGrid Inbound Parse posts (parsed mode, ~50 KB each, BENCH_SIZE distinct
 * messages, default 2,000) over real HTTP into POST /api/callbacks/inbound-email/<secret>, BENCH_CONCURRENCY
 * (8) in flight, through Payload's own REST route handler behind a loopback `node:http` server
 * (bench/lib/payload-http.ts): what SendGrid waits for (multipart read, Message-ID, stored once with the
 * raw post, worker triggered). Baseline, same run, same process, same client and concurrency: a
 * `node:http` server that reads the same body and answers a static 200.
 * Checks: every message stored exactly once, all queued for the worker.
 * Last line: `inbound-email: <msg/s> msg/s, p99 <ms> (<ratio>x static 200 server)`.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

import { createTestDatabase } from '../tests/helpers/test-database'
import { TEST_ENV } from '../tests/helpers/test-env'
import { formatMs, keepAliveClient, latencyOf, type Reply, runConcurrently } from './lib/http-load'
import { startPayloadHttpServer } from './lib/payload-http'
import { releasePayloadPool, runMain } from './lib/run-main'

const N = Number(process.env.BENCH_SIZE || 2_000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 8)
const BODY_BYTES = 50 * 1024

/** A parsed-mode post of about 50 KB, like SendGrid's, with its own Message-ID. */
const postOf = (n: number, boundary: string): Buffer => {
  const text = `Thanks for the update, message ${n}.\n\n${'Quoted history line of the thread, kept below the reply. '.repeat(Math.ceil(BODY_BYTES / 58))}`.slice(0, BODY_BYTES)
  const fields: Record<string, string> = {
    headers: `Received: from mx.example.com\nMessage-ID: <bench-${n}@mail.example.com>\nDate: Sat, 5 Dec 2026 17:14:01 +0000\nFrom: Reader ${n} <reader${n}@example.com>\n`,
    from: `Reader ${n} <reader${n}@example.com>`,
    to: 'news@bench.example',
    subject: `Re: Spring update ${n}`,
    text,
    charsets: '{"text":"UTF-8","subject":"UTF-8","from":"UTF-8"}',
    envelope: '{"to":["news@bench.example"]}',
  }
  return Buffer.from(
    `${Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('')}--${boundary}--\r\n`,
  )
}

const main = async () => {
  if (!process.env.TEST_DATABASE_URL && process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL
  const database = await createTestDatabase()
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url, LOG_LEVEL: 'error' })
  const [{ getPayload }, { default: config }] = await Promise.all([import('payload'), import('../payload.config')])
  const payload = await getPayload({ config })
  const server = await startPayloadHttpServer(config)
  // The baseline: reads the body, answers a static 200.
  const staticServer = http.createServer((req, res) => {
    req.on('data', () => {})
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"status":"ok"}')
    })
  })
  await new Promise<void>((resolve) => staticServer.listen(0, '127.0.0.1', resolve))
  const staticURL = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}`
  try {
    const org = await payload.create({ collection: 'organizations', data: { name: 'Inbound bench', slug: 'inbound-bench', postalAddress: '1 Bench Street' } })
    const secret = (await payload.findByID({ collection: 'organizations', id: org.id, depth: 0 })).inbound!.emailSecret!
    const boundary = '----outpostbench'
    const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` }
    const bodies = Array.from({ length: N + 200 }, (_, n) => postOf(n, boundary))
    console.log(`inbound email: ${N} parsed-mode posts of ${Math.round(bodies[0]!.length / 1024)} KB, ${CONCURRENCY} in flight, ${database.kind} PostgreSQL`)

    const run = async (baseURL: string, path: string, from: number, count: number) => {
      const client = keepAliveClient(baseURL, CONCURRENCY)
      const t0 = performance.now()
      const replies: Reply[] = await runConcurrently(count, CONCURRENCY, (i) => client.request('POST', path, { headers, body: bodies[from + i]! }))
      const seconds = (performance.now() - t0) / 1000
      client.close()
      return { rate: Math.round(count / seconds), replies, p99: latencyOf(replies.map((r) => r.ms)).p99, p50: latencyOf(replies.map((r) => r.ms)).p50 }
    }
    // Warm-up of both (JIT, pools, Payload's first-request work), on messages outside the count.
    await run(staticURL, '/', N, 200)
    await run(server.url, `/api/callbacks/inbound-email/${secret}`, N, 200)

    const baseline = await run(staticURL, '/', 0, N)
    console.log(`(a) static 200 server: ${baseline.rate} msg/s; p50 ${formatMs(baseline.p50)}, p99 ${formatMs(baseline.p99)}`)
    const ours = await run(server.url, `/api/callbacks/inbound-email/${secret}`, 0, N)
    console.log(`(b) Outpost inbound endpoint: ${ours.rate} msg/s; p50 ${formatMs(ours.p50)}, p99 ${formatMs(ours.p99)}`)
    const bad = ours.replies.filter((r) => r.status !== 200)
    if (bad.length) throw new Error(`${bad.length} posts were not answered 200 (first: ${bad[0]!.status} ${bad[0]!.body.toString().slice(0, 200)})`)
    const pool = (payload.db as unknown as { pool: { query: (sql: string, params: unknown[]) => Promise<{ rows: { n: number; queued: number }[] }> } }).pool
    const { rows } = await pool.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'queued')::int AS queued FROM inbound_emails WHERE org_id = $1`, [org.id])
    if (rows[0]!.n !== N + 200 || rows[0]!.queued !== N + 200) throw new Error(`expected ${N + 200} stored and queued, found ${rows[0]!.n} (${rows[0]!.queued} queued)`)
    console.log(`every post stored once and queued (${rows[0]!.n}, warm-up included); p99 to the 2xx ${formatMs(ours.p99)} (target: under 2 s)`)
    console.log(`inbound-email: ${ours.rate} msg/s, p99 ${formatMs(ours.p99)} (${(ours.rate / baseline.rate).toFixed(2)}x static 200 server)`)
  } finally {
    staticServer.close()
    await server.close()
    releasePayloadPool(payload)
    await database.drop()
  }
}

void runMain(main)
