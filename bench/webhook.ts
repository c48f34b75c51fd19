/**
 * npm run bench:webhook — SendGrid Event Webhook ingest over real HTTP: N events (default 100,000;
 * BENCH_SIZE) of a newsletter's mix (bench/lib/sendgrid-event-mix.ts) about a job's sent recipients,
 * POSTed in 1,000-event posts (~0.5 MB each), BENCH_CONCURRENCY (default 2) in flight, to
 * `/api/callbacks/sendgrid/` through Payload's own REST route handler behind a loopback `node:http`
 * server (bench/lib/payload-http.ts): stored once, mapped, applied, answered. Baseline in the same run,
 * on the same database: a raw `INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING` of the same rows
 * (same jsonb payloads) into a copy of `webhook_events` with the same indexes, in 1,000-row batches at
 * the same concurrency, before and after (the mean, so that load drift evens out). Also: latency per post, one 768 KB post (SendGrid's largest batch) alone, a
 * replay; then checks that every event is stored once, every recipient and job counter is right, and
 * each failure suppressed its address. BENCH_PROFILE=1 adds time per SQL statement and parse stages.
 * Database: a fresh one on BENCH_DATABASE_URL's (or TEST_DATABASE_URL's) server, else embedded.
 * Last line: `bench:webhook: <events/s> events/s (<ratio>x raw unnest insert <rows/s> rows/s)`.
 */
import type { Payload } from 'payload'
import pg, { type PoolClient } from 'pg'

import { parseSendgridEvents } from '../src/services/events/parse-sendgrid-events'
import type { SendGridEventJSON } from '../tests/fakes/sendgrid-events'
import { prepareBulkSendJob } from '../tests/helpers/bulk-send-job'
import { createTestDatabase } from '../tests/helpers/test-database'
import { TEST_ENV } from '../tests/helpers/test-env'
import { formatMs, keepAliveClient, latencyOf, type Reply, runConcurrently, verdict } from './lib/http-load'
import { startPayloadHttpServer } from './lib/payload-http'
import { releasePayloadPool, runMain } from './lib/run-main'
import { type Expected, expectedOutcome, generateEvents, mixCounts, recipientsFor, type SentRecipient, takeUpToBytes } from './lib/sendgrid-event-mix'
import { startCpuProfile } from './lib/cpu-profile'
import { startSqlTiming } from './lib/sql-timing'

const N = Number(process.env.BENCH_SIZE || 100_000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 2)
const PER_POST = 1000
const WARM_EVENTS = 2 * PER_POST
const BIG_POST_BYTES = 768 * 1024
/** Enough events for a 768 KB post even if events were as small as 300 B. */
const BIG_POST_MAX_EVENTS = Math.ceil(BIG_POST_BYTES / 300)
const TARGET_RATIO = 0.5
const TARGET_BIG_POST_MS = 2000
const WEBHOOK_PATH = '/api/callbacks/sendgrid/'
const IS_PROFILE = process.env.BENCH_PROFILE === '1'

type WebhookAnswer = { status: string; failed_updated: number; updated: number; received: number; stored: number; duplicates: number; skipped: number; unmatched: number }

const answerIn = (reply: Reply): WebhookAnswer | null => {
  try {
    return JSON.parse(reply.body.toString('utf8')) as WebhookAnswer
  } catch {
    return null
  }
}
const chunk = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))
const rate = (count: number, ms: number) => Math.round(count / (ms / 1000))
const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`

const RAW_INSERT = `INSERT INTO bench_raw (provider, channel, event_i_d, type, address, message_i_d, detail, occurred_at, received_at, payload)
  SELECT 'sendgrid', 'email', e.id, e.type::enum_webhook_events_type, e.address, e.mid, e.detail, e.at, $8, e.payload::jsonb
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[]) AS e(id, type, address, mid, detail, at, payload)
  ON CONFLICT DO NOTHING`

/** A post's events as the endpoint stores them (parsed, payload re-serialised): the raw insert's parameters. */
const rowsOf = (body: Buffer) => {
  const parsed = parseSendgridEvents(JSON.parse(body.toString('utf8')))!.events
  return [
    parsed.map((e) => e.eventID),
    parsed.map((e) => e.type),
    parsed.map((e) => e.address),
    parsed.map((e) => e.messageID),
    parsed.map((e) => e.detail),
    parsed.map((e) => e.occurredAt),
    parsed.map((e) => JSON.stringify(e.raw)),
    new Date(),
  ]
}

/** Parse, validation and re-serialisation of a post in this process, per post (for BENCH_PROFILE). */
const stageTimes = (sample: Buffer[]): string => {
  const stage = (work: (body: Buffer) => unknown) => {
    const t = performance.now()
    for (const body of sample) work(body)
    return formatMs((performance.now() - t) / sample.length)
  }
  return (
    `JSON.parse ${stage((b) => JSON.parse(b.toString('utf8')))}, + parseSendgridEvents ${stage((b) => parseSendgridEvents(JSON.parse(b.toString('utf8'))))}, ` +
    `re-stringify payloads ${stage((b) => (JSON.parse(b.toString('utf8')) as unknown[]).map((e) => JSON.stringify(e)))}`
  )
}

/**
 * A job Outpost has sent through SendGrid: `count` recipients queued by queueEmailJob, then marked
 * `sent` in bulk with a message id per 1,000 (one per API request), the job `completed`.
 */
const prepareSentJob = async (payload: Payload, db: PoolClient, count: number) => {
  const [{ createLocalReq }, { queueEmailJob }] = await Promise.all([import('payload'), import('../src/services/sending/queue-email-job')])
  const job = await prepareBulkSendJob({ payload, count, slug: 'bench-webhook', sending: { provider: 'sendgrid', sendgridApiKey: 'SG.bench', batchSize: 1000, batchDelaySeconds: 0 } })
  await queueEmailJob({ payload, req: await createLocalReq({ user: job.user as never }, payload), jobID: job.jobID })
  await db.query(
    `UPDATE email_recipients SET status = 'sent', attempts = 1, sent_at = now() - interval '1 hour', updated_at = now(),
            provider_message_i_d = substr(md5(job_id || ':' || (id / 1000)), 1, 22)
      WHERE job_id = $1`,
    [job.jobID],
  )
  await db.query(`UPDATE email_jobs SET status = 'completed', pending = 0, sent = total, delivered = 0, failed = 0, unknown = 0, completed_at = now() WHERE id = $1`, [job.jobID])
  await db.query('VACUUM ANALYZE email_recipients')
  const { rows } = await db.query<SentRecipient>('SELECT id, email, provider_message_i_d AS "messageID" FROM email_recipients WHERE job_id = $1 ORDER BY id', [job.jobID])
  return { org: job.org, jobID: job.jobID, recipients: rows }
}

/** Checks what the posts left in the database against what the events say; returns the problems. */
const verifyApplied = async (db: PoolClient, job: { org: number; jobID: number }, eventCount: number, expected: Expected, failedUpdated: number): Promise<string[]> => {
  const problems: string[] = []
  const check = (ok: boolean, problem: string) => ok || problems.push(problem)
  const { rows: stored } = await db.query<{ rows: number; ids: number; no_outcome: number; unmatched: number }>(
    `SELECT count(*)::int AS rows, count(DISTINCT event_i_d)::int AS ids, count(*) FILTER (WHERE outcome IS NULL)::int AS no_outcome,
            count(*) FILTER (WHERE outcome = 'unmatched')::int AS unmatched FROM webhook_events`,
  )
  const s = stored[0]!
  check(s.rows === eventCount && s.ids === eventCount, `webhook_events holds ${s.rows} rows (${s.ids} distinct ids), expected ${eventCount}`)
  check(s.no_outcome === 0 && s.unmatched === 0, `${s.no_outcome} events without an outcome, ${s.unmatched} unmatched`)
  const { rows: statuses } = await db.query<{ status: string; n: number }>('SELECT status::text, count(*)::int AS n FROM email_recipients WHERE job_id = $1 GROUP BY status', [job.jobID])
  const count = (status: string) => statuses.find((r) => r.status === status)?.n ?? 0
  check(
    count('delivered') === expected.delivered && count('failed') === expected.failed && count('sent') === expected.sent,
    `recipients: ${JSON.stringify(statuses)}, expected delivered ${expected.delivered}, failed ${expected.failed}, sent ${expected.sent}`,
  )
  const { rows: jobRows } = await db.query<Record<string, string>>('SELECT status, pending, sent, delivered, failed, unknown FROM email_jobs WHERE id = $1', [job.jobID])
  const j = jobRows[0]!
  // The counters as the rows define them (see reconcileJobCounters).
  const counters = { pending: count('pending') + count('sending'), sent: count('sent') + count('delivered'), delivered: count('delivered'), failed: count('failed'), unknown: count('unknown') }
  const wrong = Object.entries(counters).filter(([name, rows]) => Number(j[name]) !== rows)
  check(wrong.length === 0, `job counters differ from its rows: ${wrong.map(([name, rows]) => `${name} ${j[name]} ≠ ${rows}`).join(', ')}`)
  check(j.status === 'completed_with_errors', `job status ${j.status}, expected completed_with_errors`)
  check(failedUpdated === expected.failed, `the answers' failed_updated add up to ${failedUpdated}, expected ${expected.failed}`)
  const { rows: suppressions } = await db.query<{ active: number; review: number }>(
    `SELECT count(*) FILTER (WHERE status = 'active')::int AS active, count(*) FILTER (WHERE status = 'pending_review')::int AS review FROM suppressions WHERE org_id = $1`,
    [job.org],
  )
  check(
    suppressions[0]!.active === expected.activeSuppressions && suppressions[0]!.review === expected.reviewSuppressions,
    `suppressions: ${JSON.stringify(suppressions[0])}, expected active ${expected.activeSuppressions}, review ${expected.reviewSuppressions}`,
  )
  return problems
}

const main = async () => {
  if (!process.env.TEST_DATABASE_URL && process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL
  const database = await createTestDatabase()
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url, LOG_LEVEL: 'error' })
  const [{ getPayload }, { default: config }, { dbPool }] = await Promise.all([
    import('payload'),
    import('../payload.config'),
    import('../src/db/pool'),
  ])
  const payload = await getPayload({ config })
  const server = await startPayloadHttpServer(config)
  const client = keepAliveClient(server.url, CONCURRENCY)
  const rawPool = new pg.Pool({ connectionString: database.url, max: CONCURRENCY })
  const db = await dbPool(payload).connect()
  const failures: string[] = []
  const check = (ok: boolean, problem: string) => {
    if (!ok) failures.push(problem)
  }
  const post = (body: Buffer) => client.request('POST', WEBHOOK_PATH, { headers: { 'content-type': 'application/json', 'user-agent': 'SendGrid Event API' }, body })
  /** The answer of a post of `count` new events, checked. */
  const answerOf = (reply: Reply, count: number, what: string): WebhookAnswer | null => {
    const answer = answerIn(reply)
    const ok = reply.status === 200 && answer?.status === 'ok' && answer.received === count && answer.stored === count && answer.skipped === 0 && answer.unmatched === 0
    check(ok, `${what}: expected ${count} events stored and matched, got ${reply.status} ${reply.body.toString('utf8').slice(0, 300)}`)
    return ok ? answer : null
  }
  try {
    // Recipients Outpost has sent to: a queued job, its rows marked sent with SendGrid message ids (one per 1,000, as per API request).
    const mainRecipients = recipientsFor(N)
    const warmRecipients = recipientsFor(WARM_EVENTS)
    const total = mainRecipients + warmRecipients + recipientsFor(BIG_POST_MAX_EVENTS)
    console.log(`webhook: ${N} events in posts of ${PER_POST}, ${CONCURRENCY} in flight; ${total} sent recipients; ${database.kind} PostgreSQL; ${server.url}`)
    const job = await prepareSentJob(payload, db, total)
    const sent = job.recipients

    const events = generateEvents(sent.slice(0, mainRecipients), N, 1)
    const warm = generateEvents(sent.slice(mainRecipients, mainRecipients + warmRecipients), WARM_EVENTS, 2)
    const big = takeUpToBytes(generateEvents(sent.slice(mainRecipients + warmRecipients), BIG_POST_MAX_EVENTS, 3), BIG_POST_BYTES)
    const bodyOf = (batch: SendGridEventJSON[]) => Buffer.from(JSON.stringify(batch))
    const posts = chunk(events, PER_POST).map(bodyOf)
    const warmPosts = chunk(warm, PER_POST).map(bodyOf)
    const bigPost = bodyOf(big)
    const bytes = posts.reduce((sum, p) => sum + p.length, 0)
    const c = mixCounts(N)
    console.log(`mix: delivered ${c.delivered}, open ${c.open}, click ${c.click}, bounce ${c.bounce} (a quarter blocked), dropped ${c.dropped}, spamreport ${c.spamreport}`)
    console.log(`posts: ${posts.length} × ~${kb(bytes / posts.length)} (${Math.round(bytes / N)} B an event)`)

    // (a) baseline: the same rows, as the endpoint would store them, straight into a copy of the table;
    // measured before and after Outpost (on an emptied copy) so that load drift on the machine evens out.
    await db.query('CREATE TABLE bench_raw (LIKE webhook_events INCLUDING ALL)')
    const rawBatches = posts.map(rowsOf)
    const warmBatches = warmPosts.map(rowsOf)
    const measureRawInsert = async (): Promise<number> => {
      await db.query('TRUNCATE bench_raw')
      await runConcurrently(warmBatches.length, CONCURRENCY, (i) => rawPool.query(RAW_INSERT, warmBatches[i]))
      const t0 = performance.now()
      await runConcurrently(rawBatches.length, CONCURRENCY, (i) => rawPool.query(RAW_INSERT, rawBatches[i]))
      const rawMs = performance.now() - t0
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_raw')
      check(rows[0]!.n === N + warm.length, `raw insert stored ${rows[0]!.n} rows, expected ${N + warm.length}`)
      return rate(N, rawMs)
    }
    const rawBefore = await measureRawInsert()
    console.log(`(a) raw INSERT … SELECT FROM unnest … ON CONFLICT DO NOTHING (copy of webhook_events, same indexes), before: ${rawBefore} rows/s`)

    // Outpost, warmed up on events of its own recipients first.
    const answers: WebhookAnswer[] = []
    const keep = (answer: WebhookAnswer | null) => Boolean(answer && answers.push(answer))
    const warmReplies = await runConcurrently(warmPosts.length, CONCURRENCY, (i) => post(warmPosts[i]!))
    warmReplies.forEach((reply, i) => keep(answerOf(reply, chunk(warm, PER_POST)[i]!.length, `warm-up post ${i + 1}`)))

    const timing = IS_PROFILE ? startSqlTiming() : null
    const profiler = IS_PROFILE ? await startCpuProfile() : null
    const cpu0 = process.cpuUsage()
    const t1 = performance.now()
    const replies = await runConcurrently(posts.length, CONCURRENCY, (i) => post(posts[i]!))
    const webhookMs = performance.now() - t1
    const cpu = process.cpuUsage(cpu0)
    timing?.stop()
    const profileLines = (await profiler?.stop('bench-webhook', 25)) ?? []
    const accepted = replies.map((reply, i) => keep(answerOf(reply, Math.min(PER_POST, N - i * PER_POST), `post ${i + 1}`)))
    const webhookRate = rate(N, webhookMs)
    const latency = latencyOf(replies.map((r) => r.ms))
    console.log(
      `Outpost webhook over HTTP: ${webhookRate} events/s (${N} in ${(webhookMs / 1000).toFixed(2)} s); per post p50 ${formatMs(latency.p50)}, p95 ${formatMs(latency.p95)}, max ${formatMs(latency.max)}`,
    )
    console.log(`    this process (HTTP client + server + Payload + endpoint): ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU in ${(webhookMs / 1000).toFixed(2)} s wall`)
    if (timing) {
      console.log('    SQL statements during the timed posts (client-side time, by statement):')
      for (const line of timing.report(webhookMs)) console.log(`      ${line}`)
      console.log(`    in-process stages per post: ${stageTimes(posts.slice(0, 10))}`)
      for (const line of profileLines) console.log(`    ${line}`)
    }

    // One post the size of SendGrid's largest batch, alone.
    const bigReply = await post(bigPost)
    keep(answerOf(bigReply, big.length, 'the 768 KB post'))
    console.log(`768 KB post (${kb(bigPost.length)}, ${big.length} events): answered in ${formatMs(bigReply.ms)}`)

    // A replay of an accepted post (SendGrid retries a post it thinks failed): stores and changes nothing.
    const replayIndex = Math.max(0, accepted.indexOf(true))
    const replay = await post(posts[replayIndex]!)
    const replayed = answerIn(replay)
    const replayCount = Math.min(PER_POST, N - replayIndex * PER_POST)
    check(
      replay.status === 200 && replayed?.stored === 0 && replayed.duplicates === replayCount && replayed.failed_updated === 0 && replayed.updated === 0,
      `a replayed post was not a no-op: ${replay.body.toString('utf8').slice(0, 300)}`,
    )
    console.log(`replay of post ${replayIndex + 1}: stored ${replayed?.stored}, duplicates ${replayed?.duplicates}, failed_updated ${replayed?.failed_updated}, updated ${replayed?.updated} (${formatMs(replay.ms)})`)

    const rawAfter = await measureRawInsert()
    const rawRate = Math.round((rawBefore + rawAfter) / 2)
    console.log(`(a) raw insert again, after: ${rawAfter} rows/s; baseline ${rawRate} rows/s (mean)`)

    // Checks: every event stored once with an outcome; recipients, counters and suppressions as the events say.
    const posted = [...warm, ...events, ...big]
    const expected = expectedOutcome(sent.length, posted)
    const problems = await verifyApplied(db, job, posted.length, expected, answers.reduce((sum, a) => sum + a.failed_updated, 0))
    failures.push(...problems)
    if (!failures.length) {
      console.log(
        `verified: ${posted.length} events stored once each with an outcome; replay a no-op; recipients delivered ${expected.delivered}, failed ${expected.failed}, ` +
          `sent ${expected.sent}; job counters = row counts (completed_with_errors); ${expected.activeSuppressions} suppressed, ${expected.reviewSuppressions} for review`,
      )
    }

    const ratio = webhookRate / rawRate
    console.log(`target ≥ ${TARGET_RATIO}x the raw insert: ${verdict(ratio >= TARGET_RATIO)} (${ratio.toFixed(2)}x)`)
    console.log(`target 768 KB post < ${TARGET_BIG_POST_MS / 1000} s: ${verdict(bigReply.ms < TARGET_BIG_POST_MS)} (${formatMs(bigReply.ms)})`)
    for (const failure of failures) console.error(`CHECK FAILED: ${failure}`)
    console.log(`bench:webhook: ${webhookRate} events/s (${ratio.toFixed(2)}x raw unnest insert ${rawRate} rows/s)`)
    return failures.length
  } finally {
    db.release()
    client.close()
    await server.close()
    await rawPool.end()
    releasePayloadPool(payload)
    await database.drop()
  }
}

void runMain(main)
