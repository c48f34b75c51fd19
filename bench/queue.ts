/**
 * npm run bench:queue — queueing N recipients (default 100,000; BENCH_SIZE) through queueEmailJob,
 * against two baselines measured in the same run on the same database:
 *   (a) a raw COPY of the same rows into a table shaped like email_recipients;
 *   (b) one payload.create per row (measured on a sample, extrapolated).
 * Database: a fresh one on BENCH_DATABASE_URL's (or TEST_DATABASE_URL's) server, else embedded.
 * Last line: `queue: <rows/s> rows/s (<ratio>x COPY)`.
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import type { PoolClient } from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

import { prepareBulkSendJob } from '../tests/helpers/bulk-send-job'
import { createTestDatabase } from '../tests/helpers/test-database'
import { TEST_ENV } from '../tests/helpers/test-env'
import { releasePayloadPool, runMain } from './lib/run-main'

const N = Number(process.env.BENCH_SIZE || 100_000)
const SAMPLE = Math.min(N, 300)

const main = async () => {
  if (!process.env.TEST_DATABASE_URL && process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL
  const database = await createTestDatabase()
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url, LOG_LEVEL: 'error' })
  const [{ getPayload, createLocalReq }, { default: config }, { queueEmailJob }] = await Promise.all([
    import('payload'),
    import('../payload.config'),
    import('../src/services/sending/queue-email-job'),
  ])
  const payload = await getPayload({ config })
  const pool = (payload.db as unknown as { pool: { connect: () => Promise<PoolClient> } }).pool
  const client = await pool.connect()
  try {
    console.log(`setting up ${N} contacts on ${database.kind} PostgreSQL…`)
    const { org: orgID, jobID, templateID, user } = await prepareBulkSendJob({ payload, count: N, slug: 'bench-org', sending: {} })

    // Outpost: queueEmailJob end to end (access checks, transaction, bulk insert, exclusion, counters, audit)
    const req = await createLocalReq({ user: user as never }, payload)
    const t0 = performance.now()
    const result = await queueEmailJob({ payload, req, jobID })
    const outpostMs = performance.now() - t0
    if (result.total !== N) throw new Error(`expected ${N} recipients, got ${result.total}`)

    // (a) raw COPY of the same rows
    await client.query('CREATE TEMP TABLE copy_baseline (LIKE email_recipients INCLUDING DEFAULTS)')
    const { rows: ids } = await client.query<{ id: number; email: string }>('SELECT id, email FROM contacts WHERE org_id = $1', [orgID])
    const t1 = performance.now()
    const lines = function* () {
      for (const row of ids) yield `${orgID}\t${jobID}\t${row.id}\t${row.email}\tpending\t0\n`
    }
    await pipeline(
      Readable.from(lines()),
      client.query(copyFrom('COPY copy_baseline (org_id, job_id, contact_id, email, status, attempts) FROM STDIN')),
    )
    const copyMs = performance.now() - t1

    // (b) one payload.create per row, on a sample
    const sampleJob = await payload.create({ collection: 'email-jobs', data: { org: orgID, name: 'Per-row job', template: templateID, status: 'draft' } })
    const t2 = performance.now()
    for (const row of ids.slice(0, SAMPLE)) {
      await payload.create({
        collection: 'email-recipients',
        data: { org: orgID, job: sampleJob.id, contact: row.id, email: row.email, status: 'pending' },
      })
    }
    const perRowMs = ((performance.now() - t2) / SAMPLE) * N

    const rate = (ms: number) => Math.round(N / (ms / 1000))
    console.log(`Outpost queueEmailJob: ${N} rows in ${(outpostMs / 1000).toFixed(2)} s (${rate(outpostMs)} rows/s)`)
    console.log(`(a) raw COPY:          ${N} rows in ${(copyMs / 1000).toFixed(2)} s (${rate(copyMs)} rows/s)`)
    console.log(`(b) payload.create:    ${rate(perRowMs)} rows/s (sample of ${SAMPLE}; ${(perRowMs / 1000).toFixed(0)} s for ${N}) → Outpost is ${(perRowMs / outpostMs).toFixed(0)}x faster`)
    console.log(`queue: ${rate(outpostMs)} rows/s (${(copyMs / outpostMs).toFixed(2)}x COPY)`)
  } finally {
    client.release()
    releasePayloadPool(payload)
    await database.drop()
  }
}

void runMain(main)
