/**
 * npm run bench:unsubscribe — RFC 8058 one-click unsubscribes over real HTTP: N distinct valid tokens
 * (default 5,000; BENCH_SIZE) across a few orgs, each POSTed once (`List-Unsubscribe=One-Click`) at
 * BENCH_CONCURRENCY (default 16) requests in flight, through Payload's own REST route handler behind a
 * loopback `node:http` server (bench/lib/payload-http.ts). Then the same tokens again (the idempotent
 * path). Baseline in the same run, through the same server and handler at the same concurrency, before
 * and after (the mean): the same POST to `/api/unsubscribe/preview`, a static page without the
 * database. (Should the preview page not answer twice, the baseline is a token with a wrong signature
 * instead: the same endpoint, HMAC check and page, a 400, no database; the output says which.)
 * Checks: every address ends with exactly one active `unsubscribe` suppression and one audit row.
 * BENCH_PROFILE=1 adds the time of each SQL statement during the first pass.
 * Database: a fresh one on BENCH_DATABASE_URL's (or TEST_DATABASE_URL's) server, else embedded.
 * Last line: `bench:unsubscribe: <req/s> req/s (<ratio>x static preview page <req/s> req/s)`.
 */
import type { Payload } from 'payload'
import type { PoolClient } from 'pg'

import { createTestDatabase } from '../tests/helpers/test-database'
import { TEST_ENV } from '../tests/helpers/test-env'
import { formatMs, type KeepAliveClient, keepAliveClient, latencyOf, type Reply, runConcurrently, verdict } from './lib/http-load'
import { startPayloadHttpServer } from './lib/payload-http'
import { releasePayloadPool, runMain } from './lib/run-main'
import { startSqlTiming } from './lib/sql-timing'

const N = Number(process.env.BENCH_SIZE || 5_000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 16)
const ORGS = 4
const TARGET_RATE = 500
const TARGET_P99_MS = 50
const IS_PROFILE = process.env.BENCH_PROFILE === '1'

const PREVIEW_PATH = '/api/unsubscribe/preview'
const ONE_CLICK = { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' }

type Pass = { rate: number; seconds: number; replies: Reply[] }

/** POSTs a one-click body to each path, `CONCURRENCY` in flight; req/s over the whole pass. */
const postAll = async (client: KeepAliveClient, paths: string[]): Promise<Pass> => {
  const t0 = performance.now()
  const replies = await runConcurrently(paths.length, CONCURRENCY, (i) => client.request('POST', paths[i]!, ONE_CLICK))
  const seconds = (performance.now() - t0) / 1000
  return { rate: Math.round(paths.length / seconds), seconds, replies }
}

const describePass = (pass: Pass) => {
  const l = latencyOf(pass.replies.map((r) => r.ms))
  return `${pass.rate} req/s (${pass.replies.length} in ${pass.seconds.toFixed(2)} s); p50 ${formatMs(l.p50)}, p95 ${formatMs(l.p95)}, p99 ${formatMs(l.p99)}, max ${formatMs(l.max)}`
}

const makeOrgs = async (payload: Payload, prefix: string, count: number): Promise<number[]> => {
  const ids: number[] = []
  for (let i = 0; i < count; i++) {
    const org = await payload.create({
      collection: 'organizations',
      data: { name: `${prefix} ${i + 1}`, slug: `${prefix}-${i + 1}`, postalAddress: '1 Bench Street, Testville', sending: { fromAddress: 'news@bulk.example', fromName: 'Bulk' } },
    })
    ids.push(org.id)
  }
  return ids
}

/** Every (org, address) has exactly one active unsubscribe suppression, and each of those exactly one audit row. */
const verifySuppressions = async (client: PoolClient, orgs: number[], addresses: string[]): Promise<string[]> => {
  const { rows } = await client.query<{ wanted: number; exactly_one: number; audited_once: number; extra: number }>(
    `WITH wanted AS (SELECT * FROM unnest($1::int[], $2::text[]) AS w(org_id, address)),
          found AS (
            SELECT w.org_id, w.address, count(s.id)::int AS n,
                   (SELECT count(*) FROM audit_logs a WHERE a.action = 'suppression.create' AND a.target_collection = 'suppressions'
                       AND a.target_i_d = min(s.id)::text)::int AS audits
              FROM wanted w
              LEFT JOIN suppressions s ON s.org_id = w.org_id AND s.channel = 'email' AND s.address = w.address
                                      AND s.reason = 'unsubscribe' AND s.status = 'active'
             GROUP BY w.org_id, w.address)
     SELECT (SELECT count(*) FROM wanted)::int AS wanted,
            count(*) FILTER (WHERE n = 1)::int AS exactly_one,
            count(*) FILTER (WHERE n = 1 AND audits = 1)::int AS audited_once,
            (SELECT count(*) FROM suppressions WHERE org_id = ANY($3::int[]))::int - count(*) FILTER (WHERE n = 1)::int AS extra
       FROM found`,
    [addresses.map((_, i) => orgs[i % orgs.length]), addresses, orgs],
  )
  const r = rows[0]!
  const problems: string[] = []
  if (r.exactly_one !== r.wanted) problems.push(`${r.wanted - r.exactly_one} of ${r.wanted} addresses do not have exactly one active unsubscribe suppression`)
  if (r.audited_once !== r.exactly_one) problems.push(`${r.exactly_one - r.audited_once} suppressions lack exactly one audit row`)
  if (r.extra !== 0) problems.push(`${r.extra} suppressions more than addresses in the bench orgs`)
  return problems
}

const main = async () => {
  if (!process.env.TEST_DATABASE_URL && process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL
  const database = await createTestDatabase()
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url, LOG_LEVEL: 'error' })
  const [{ getPayload }, { default: config }, { createUnsubscribeToken }, { dbPool }] = await Promise.all([
    import('payload'),
    import('../payload.config'),
    import('../src/services/unsubscribe/unsubscribe-token'),
    import('../src/db/pool'),
  ])
  const payload = await getPayload({ config })
  const server = await startPayloadHttpServer(config)
  const client = keepAliveClient(server.url, CONCURRENCY)
  const db = await dbPool(payload).connect()
  const failures: string[] = []
  const check = (ok: boolean, problem: string) => {
    if (!ok) failures.push(problem)
  }
  try {
    console.log(`unsubscribe: ${N} tokens across ${ORGS} orgs, ${CONCURRENCY} requests in flight, ${database.kind} PostgreSQL, ${server.url}`)
    const orgs = await makeOrgs(payload, 'bench-unsub', ORGS)
    const addresses = Array.from({ length: N }, (_, i) => `reader${i + 1}@unsub-${(i % ORGS) + 1}.example`)
    const paths = addresses.map((address, i) => `/api/unsubscribe/${encodeURIComponent(createUnsubscribeToken({ org: orgs[i % ORGS]!, address, channel: 'email' }))}`)

    // The baseline's request: the static preview page if it answers more than once, else a bad signature.
    const probes = [await client.request('POST', PREVIEW_PATH, ONE_CLICK), await client.request('POST', PREVIEW_PATH, ONE_CLICK)]
    const hasPreview = probes.every((r) => r.status === 200 && r.body.includes('(preview)'))
    const [tokenBody] = decodeURIComponent(paths[0]!.split('/').pop()!).split('.')
    const baselinePath = hasPreview ? PREVIEW_PATH : `/api/unsubscribe/${tokenBody}.${'A'.repeat(27)}`
    const baselineName = hasPreview ? 'static preview page' : 'bad-signature page'
    const isBaselineReply = (r: Reply) => (hasPreview ? r.status === 200 && r.body.includes('(preview)') : r.status === 400 && r.body.includes('not valid'))
    if (!hasPreview) {
      console.log(`NOTE: POST ${PREVIEW_PATH} answered ${probes.map((r) => r.status).join(', ')}: the preview page is served only once (a module-level Response whose body`)
      console.log('      Payload re-wraps and so consumes); the baseline is a token with a wrong signature instead (HMAC check, 400 page, no database).')
    }

    // Warm-up (JIT, pools, Payload's first-request work): the baseline path and tokens of an org outside the count.
    const [warmOrg] = await makeOrgs(payload, 'bench-unsub-warmup', 1)
    const warmPaths = Array.from({ length: 200 }, (_, i) => `/api/unsubscribe/${encodeURIComponent(createUnsubscribeToken({ org: warmOrg!, address: `warm${i}@warm.example`, channel: 'email' }))}`)
    await postAll(client, Array.from({ length: 200 }, () => baselinePath))
    await postAll(client, warmPaths)

    // (a) baseline: the same request shape through the same server, handler and endpoint, without the
    // database; measured before and after the first pass, so that load drift on the machine evens out.
    const measureBaseline = async (when: string): Promise<number> => {
      const pass = await postAll(client, Array.from({ length: N }, () => baselinePath))
      check(pass.replies.every(isBaselineReply), `a baseline request did not answer the ${baselineName}`)
      console.log(`(a) ${`${baselineName}, ${when}:`.padEnd(30)}${describePass(pass)}`)
      return pass.rate
    }
    const baselineBefore = await measureBaseline('before')

    // Outpost: the first click of each token.
    const timing = IS_PROFILE ? startSqlTiming() : null
    const first = await postAll(client, paths)
    timing?.stop()
    const firstBad = first.replies.filter((r) => r.status !== 200 || !r.body.includes('You are unsubscribed') || r.body.includes('already unsubscribed'))
    check(firstBad.length === 0, `${firstBad.length} first clicks did not answer "You are unsubscribed" (first: ${firstBad[0]?.status} ${firstBad[0]?.body.toString().slice(0, 200)})`)
    console.log(`Outpost one-click POST:            ${describePass(first)}`)
    if (timing) {
      console.log('    SQL statements during the first pass (client-side time, by statement):')
      for (const line of timing.report(first.seconds * 1000)) console.log(`      ${line}`)
    }

    const baselineRate = Math.round((baselineBefore + (await measureBaseline('after'))) / 2)

    // The same tokens again: idempotent, adds nothing.
    const again = await postAll(client, paths)
    const againBad = again.replies.filter((r) => r.status !== 200 || !r.body.includes('already unsubscribed'))
    check(againBad.length === 0, `${againBad.length} repeat clicks did not answer "already unsubscribed"`)
    console.log(`repeat click (no-op):              ${describePass(again)}`)

    const problems = await verifySuppressions(db, orgs, addresses)
    failures.push(...problems)
    if (!problems.length) console.log(`verified: ${N} addresses × exactly one active unsubscribe suppression with one audit row; the repeat pass added none`)

    const latency = latencyOf(first.replies.map((r) => r.ms))
    console.log(`target ≥ ${TARGET_RATE} req/s: ${verdict(first.rate >= TARGET_RATE)} (${first.rate} req/s)`)
    console.log(`target p99 < ${TARGET_P99_MS} ms: ${verdict(latency.p99 < TARGET_P99_MS)} (${formatMs(latency.p99)})`)
    for (const failure of failures) console.error(`CHECK FAILED: ${failure}`)
    console.log(`bench:unsubscribe: ${first.rate} req/s (${(first.rate / baselineRate).toFixed(2)}x ${baselineName} ${baselineRate} req/s)`)
    return failures.length
  } finally {
    db.release()
    client.close()
    await server.close()
    releasePayloadPool(payload)
    await database.drop()
  }
}

void runMain(main)
