/**
 * npm run bench:import — a CSV import of N contacts (default 1,000,000; BENCH_SIZE), about 200 bytes a
 * row (~200 MB at 1M: email, names, phone, tags and three columns the mapping leaves out), as users run
 * it: the file streamed over HTTP to POST /api/imports/upload (bench/lib/payload-http.ts), started with
 * a mapping (create mode, tags per row plus one for the import, phones in GB), and run by a real worker
 * process (`src/jobs/worker.ts`, default settings) until it completes. Figures: rows/s from start to
 * completion, and the worker's peak RSS (VmHWM) over its RSS when idle, and the upload's RSS growth
 * in this (web) process.
 * Baseline in the same run, on the same database and the same empty tables (run first, then the tables
 * are emptied): `COPY` of the same file (PostgreSQL parsing the CSV itself), then the same contacts and
 * tags written by two set-based statements (addresses lower-cased, phones in E.164, tags split): what a
 * DBA would do by hand, every index maintained as in ours. The bare COPY into an unindexed table is
 * printed too, for scale. Target: ≥ 0.25× COPY, RSS growth < 300 MB.
 * Database: a fresh one on BENCH_DATABASE_URL's (or TEST_DATABASE_URL's) server, else embedded.
 * Last line: `bench:import: <rows/s> rows/s (<ratio>x COPY <rows/s> rows/s)`.
 */
import type { ChildProcess } from 'node:child_process'
import { createReadStream, createWriteStream, readFileSync, rmSync, statSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'

import { from as copyFrom } from 'pg-copy-streams'

import { startWorkerProcess } from '../tests/helpers/worker-process'
import { startBenchApp } from './lib/bench-app'
import { keepAliveClient, verdict } from './lib/http-load'
import { releasePayloadPool, runMain } from './lib/run-main'

const N = Number(process.env.BENCH_SIZE || 1_000_000)
const TARGET_RATIO = 0.25
const TARGET_RSS_MB = 300
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`
const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000))
const fmt = (n: number) => n.toLocaleString('en')

const FIRST = ['Amara', 'Ben', 'Chloé', 'Dmitri', 'Elena', 'François', 'Grace', 'Hiroshi', 'Ines', 'Jonas', 'Keiko', 'Luca', 'Maya', 'Noah', 'Olga', 'Pedro']
const LAST = ['Novak', 'Tanaka', 'Berg', 'Kim', 'Ivanov', 'Müller', 'Lopez', 'Çelik', 'Okafor', 'Rossi', 'Schmidt', 'Dubois', 'Walker', 'Silva', 'Murphy', 'Patel']
const TAGS = ['donor', 'volunteer', 'newsletter', 'member', 'event-2026', 'press', 'board', 'partner']
const CITIES = ['London', 'Manchester', 'Leeds', 'Bristol', 'Glasgow', 'Cardiff', 'Belfast', 'Edinburgh']

/** Writes the CSV (streamed, so the bench itself stays small). */
const writeCSV = async (file: string) => {
  async function* lines() {
    yield 'Email,First name,Last name,Phone,Tags,Company,City,Notes\n'
    for (let i = 0; i < N; i++) {
      const first = FIRST[i % FIRST.length]!
      const last = LAST[(i >> 4) % LAST.length]!
      const tags = `${TAGS[i % TAGS.length]};${TAGS[(i * 7 + 3) % TAGS.length]}`
      const note = `Met at the ${CITIES[(i >> 3) % CITIES.length]} autumn fair; asked about volunteering and the newsletter; prefers email. Reference ${String(i).padStart(8, '0')}-${(i * 2654435761) % 1000003}`
      yield `${first.toLowerCase()}.${last.toLowerCase().normalize('NFKD').replace(/[^a-z]/g, '')}.${i}@example.org,${first},${last},07700 ${String(900000 + (i % 100000)).slice(-6)},"${tags}",${last} & Co Ltd,${CITIES[i % CITIES.length]},"${note}"\n`
    }
  }
  await pipeline(lines, createWriteStream(file))
}

const statusOf = (pid: number): Record<string, number> => {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024
  return { rss: kb('VmRSS'), peak: kb('VmHWM') }
}

/** Streams a file as a request body over a real socket (no buffering of the whole file). */
const uploadFile = (url: string, file: string, token: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'text/csv', 'content-length': statSync(file).size, authorization: `JWT ${token}` } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
    })
    request.on('error', reject)
    createReadStream(file).pipe(request)
  })

const main = async () => {
  const { database, payload, server, pool } = await startBenchApp()
  const client = keepAliveClient(server.url, 1)
  const file = path.join(os.tmpdir(), `outpost-bench-import-${process.pid}.csv`)
  let worker: ChildProcess | undefined
  try {
    const org = (await payload.create({ collection: 'organizations', data: { name: 'Bench Org', slug: 'bench-import', postalAddress: '1 Bench Road' } })).id
    await payload.create({ collection: 'users', data: { email: 'admin@bench.example', password: 'bench-password', orgs: [{ org, roles: ['admin'] }] } })
    const login = await client.request('POST', '/api/users/login', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@bench.example', password: 'bench-password' }) })
    const token = (JSON.parse(login.body.toString('utf8')) as { token: string }).token
    const json = async (method: string, route: string, body?: unknown) => {
      const reply = await client.request(method, `/api${route}`, { headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
      const parsed = JSON.parse(reply.body.toString('utf8'))
      if (reply.status >= 400) throw new Error(`${method} ${route}: ${reply.status} ${JSON.stringify(parsed).slice(0, 300)}`)
      return parsed
    }

    let t0 = performance.now()
    await writeCSV(file)
    const size = statSync(file).size
    console.log(`import: ${fmt(N)} rows, ${mb(size)} CSV; ${database.kind} PostgreSQL; written in ${seconds(performance.now() - t0)}`)

    // Baseline first, on the empty tables: PostgreSQL's COPY of the file, then the same contacts and tags
    // written with set-based SQL (lower-cased addresses, phones in E.164, tags split), in one transaction.
    const db = await pool.connect()
    let baseline: number
    try {
      await db.query('BEGIN')
      await db.query(`CREATE TEMP TABLE copy_baseline (email text, first_name text, last_name text, phone text, tags text, company text, city text, notes text) ON COMMIT DROP`)
      t0 = performance.now()
      await pipeline(createReadStream(file), db.query(copyFrom(`COPY copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true)`)))
      const rawMs = performance.now() - t0
      await db.query(
        `INSERT INTO contacts (org_id, email, first_name, last_name, phone, created_at, updated_at)
         SELECT $1, lower(btrim(email)), nullif(btrim(first_name), ''), nullif(btrim(last_name), ''), '+44' || substr(regexp_replace(phone, '[^0-9]', '', 'g'), 2), now(), now()
           FROM copy_baseline ON CONFLICT (org_id, email) DO NOTHING`,
        [org],
      )
      await db.query(
        `INSERT INTO contacts_texts ("order", parent_id, path, text)
         SELECT t.ord, c.id, 'tags', t.tag FROM copy_baseline s JOIN contacts c ON c.org_id = $1 AND c.email = lower(btrim(s.email))
          CROSS JOIN LATERAL unnest(string_to_array(s.tags, ';') || ARRAY['bench-import']) WITH ORDINALITY AS t(tag, ord)`,
        [org],
      )
      await db.query('COMMIT')
      const copyMs = performance.now() - t0
      const copied = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM contacts WHERE org_id = $1', [org])).rows[0]!.n)
      if (copied !== N) throw new Error(`COPY loaded ${copied} contacts`)
      baseline = rate(N, copyMs)
      console.log(`(baseline) COPY of the file: ${seconds(rawMs)} (${fmt(rate(N, rawMs))} rows/s into a bare table); with the contacts and tags written: ${seconds(copyMs)} (${fmt(baseline)} rows/s)`)
      // Empty tables again for our run.
      await db.query('TRUNCATE contacts, contacts_texts RESTART IDENTITY CASCADE')
      await db.query('VACUUM ANALYZE contacts, contacts_texts')
    } finally {
      db.release()
    }

    // Upload over HTTP, streamed to disk.
    const webBefore = process.memoryUsage().rss
    t0 = performance.now()
    const uploaded = await uploadFile(`${server.url}/api/imports/upload?org=${org}&name=bench.csv`, file, token)
    if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${uploaded.body.slice(0, 300)}`)
    const id = (JSON.parse(uploaded.body) as { doc: { id: number } }).doc.id
    console.log(`upload: ${mb(size)} in ${seconds(performance.now() - t0)}; web process RSS ${mb(webBefore)} → ${mb(process.memoryUsage().rss)}`)
    const preview = await json('GET', `/imports/${id}/preview`)

    worker = (await startWorkerProcess()).child
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const idle = statusOf(worker.pid!).rss
    t0 = performance.now()
    await json('POST', `/imports/${id}/start`, { mode: 'create', mapping: preview.suggested, defaultCountry: 'GB', tags: ['bench-import'] })
    let doc: { status: string; progress: Record<string, number>; message?: string } = await json('GET', `/imports/${id}?depth=0`)
    let lastLog = 0
    while (!['completed', 'completed_with_errors', 'failed', 'stopped'].includes(doc.status)) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      doc = await json('GET', `/imports/${id}?depth=0`)
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now()
        console.log(`  … ${fmt(Number(doc.progress.rowsRead))} rows, worker RSS ${mb(statusOf(worker.pid!).rss)}`)
      }
    }
    const importMs = performance.now() - t0
    const { peak } = statusOf(worker.pid!)
    const growth = peak - idle
    if (doc.status !== 'completed' || Number(doc.progress.created) !== N) throw new Error(`import ended ${doc.status}: ${JSON.stringify(doc.progress)} ${doc.message ?? ''}`)
    const ours = rate(N, importMs)
    console.log(`Outpost import:  ${fmt(N)} rows in ${seconds(importMs)} (${fmt(ours)} rows/s): ${doc.message}`)
    console.log(`worker RSS: idle ${mb(idle)}, peak ${mb(peak)}: +${mb(growth)} (target < ${TARGET_RSS_MB} MB: ${verdict(growth < TARGET_RSS_MB * 1024 * 1024)})`)
    // Deleting the import removes its stored file.
    await json('DELETE', `/imports/${id}`)
    console.log(`target ≥ ${TARGET_RATIO}x COPY: ${verdict(ours / baseline >= TARGET_RATIO)}`)
    console.log(`bench:import: ${fmt(ours)} rows/s (${(ours / baseline).toFixed(2)}x COPY ${fmt(baseline)} rows/s)`)
  } finally {
    worker?.kill('SIGKILL')
    rmSync(file, { force: true })
    client.close()
    await server.close()
    releasePayloadPool(payload)
    await database.drop()
  }
}

void runMain(main)
