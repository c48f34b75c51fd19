import type { Payload } from 'payload'
import type { Pool } from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'

import { latencyBucketOf } from '@/services/metrics/latency-histogram'
import { METRIC_KEYS, type MetricCounts, zeroCounts } from '@/services/metrics/metric-definitions'
import { ROLLUP_LOCK, rollupMetrics } from '@/services/metrics/rollup-metrics'

import { anonymous, type ApiClient, getTestPayload, loginAs } from './helpers/app'
import { makeUser, unique } from './helpers/fixtures'

/**
 * GET /api/metrics/summary over known data in two orgs (two days, several hours): every figure, live,
 * after the rollup, after late data and the next run; org isolation; the 400s, 401, 403 and 404; the
 * rollup's advisory lock. The files share one database, so the rollup tables are emptied first: the
 * "live" figures then really are live.
 */
let payload: Payload
let pool: Pool
let orgA: number
let orgB: number
let templates: { a1: number; a2: number; b: number }
let names: { a1: string; a2: string }
let rec: Record<string, number>
let viewerA: ApiClient
let senderB: ApiClient
let both: ApiClient
let nobody: ApiClient
let superAdmin: ApiClient

const isEmbedded = !process.env.TEST_DATABASE_URL
const RANGE = 'from=2026-03-02T00:00:00Z&to=2026-03-04T00:00:00Z'
const at = (iso: string) => new Date(iso)

const sql = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await pool.query(text, values)).rows as T[]

const makeTemplate = async (org: number, name: string) =>
  (
    await payload.create({
      collection: 'email-templates',
      data: { org, name, subject: 'Hi', html: '<p>Hi</p><p><a href="{{unsubscribe_link}}">Unsubscribe</a></p>', status: 'approved' },
    })
  ).id

const makeJob = async (org: number, template: number) =>
  (await sql<{ id: number }>(`INSERT INTO email_jobs (org_id, name, template_id, status) VALUES ($1, $2, $3, 'completed') RETURNING id`, [org, unique('job'), template]))[0]!.id

type RecipientSeed = { status: string; created: string; sent?: string; delivered?: string; failed?: string; code?: string }
const makeRecipient = async (org: number, job: number, seed: RecipientSeed) =>
  (
    await sql<{ id: number }>(
      `INSERT INTO email_recipients (org_id, job_id, email, status, created_at, sent_at, delivered_at, failed_at, provider_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [org, job, `${unique('m')}@example.com`, seed.status, seed.created, seed.sent ?? null, seed.delivered ?? null, seed.failed ?? null, seed.code ?? null],
    )
  )[0]!.id

/** A webhook event of a recipient; `latency` in seconds from the provider's time to our receipt (or `now` for the database clock). */
const makeEvent = async (org: number | null, recipient: number | null, type: string, occurred: string, latency: number | 'now', channel = 'email') => {
  const job = recipient ? (await sql<{ job_id: number }>('SELECT job_id FROM email_recipients WHERE id = $1', [recipient]))[0]!.job_id : null
  await sql(
    `INSERT INTO webhook_events (provider, channel, event_i_d, type, address, org_id, job_id, recipient_id, occurred_at, received_at, payload, outcome)
     VALUES ('sendgrid', $1, $2, $3, 'x@example.com', $4, $5, $6, $7::timestamptz,
             CASE WHEN $8::float8 IS NULL THEN now() ELSE $7::timestamptz + make_interval(secs => $8::float8) END, '{}', 'recorded')`,
    [channel, unique('ev'), type, org, job, recipient, occurred, latency === 'now' ? null : latency],
  )
}

const makeSuppression = (org: number | null, channel: string, reason: string, created: string) =>
  sql(`INSERT INTO suppressions (org_id, address, channel, reason, status, created_at) VALUES ($1, $2, $3, $4, 'active', $5)`, [
    org,
    channel === 'sms' ? `+1555${Math.floor(Math.random() * 1e7)}` : `${unique('s')}@example.com`,
    channel,
    reason,
    created,
  ])

const counts = (values: Partial<MetricCounts>): MetricCounts => ({ ...zeroCounts(), ...values })

/** Every bucket of the range, zero-filled; `values` by bucket start. */
const series = (from: string, to: string, stepHours: number, values: Record<string, Partial<MetricCounts>>) => {
  const out: ({ start: string } & MetricCounts)[] = []
  for (let t = Date.parse(from); t < Date.parse(to); t += stepHours * 3_600_000) {
    const start = new Date(t).toISOString()
    out.push({ start, ...counts(values[start] ?? {}) })
  }
  const unknown = Object.keys(values).filter((k) => !out.some((b) => b.start === k))
  if (unknown.length) throw new Error(`no such bucket: ${unknown.join(', ')}`)
  return out
}

const sumCounts = (...all: Partial<MetricCounts>[]): MetricCounts => {
  const total = zeroCounts()
  for (const c of all) for (const key of METRIC_KEYS) total[key] += c[key] ?? 0
  return total
}

const emptyLatency = {
  count: 0,
  p50: null,
  p95: null,
  p99: null,
  buckets: [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, null].map((le) => ({ le, count: 0 })),
}
const latencyBuckets = (values: Record<string, number>) =>
  [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, null].map((le) => ({ le, count: values[String(le)] ?? 0 }))

// Org A, email, by UTC hour (see the seed below).
const A_HOURS: Record<string, Partial<MetricCounts>> = {
  '2026-03-02T09:00:00.000Z': { queued: 6, excluded: 1 },
  '2026-03-02T10:00:00.000Z': { sent: 4, delivered: 2, failed: 2, bounces: 1, opens: 1, uniqueOpens: 1 },
  '2026-03-02T11:00:00.000Z': { delivered: 1 },
  '2026-03-02T12:00:00.000Z': { failed: 1, complaints: 1 },
  '2026-03-02T13:00:00.000Z': { opens: 1, clicks: 1, uniqueClicks: 1, unsubscribed: 1 },
  '2026-03-03T07:00:00.000Z': { opens: 1, uniqueOpens: 1 },
  '2026-03-03T08:00:00.000Z': { queued: 4, sent: 4, delivered: 2, failed: 1, opens: 2, clicks: 1, uniqueOpens: 1, uniqueClicks: 1 },
  '2026-03-03T09:00:00.000Z': { failed: 1, bounces: 1, opens: 1, uniqueOpens: 1 },
}
const A_DAY1 = { queued: 6, excluded: 1, sent: 4, delivered: 3, failed: 3, bounces: 1, complaints: 1, opens: 2, clicks: 1, uniqueOpens: 1, uniqueClicks: 1, unsubscribed: 1 }
const A_DAY2 = { queued: 4, sent: 4, delivered: 2, failed: 2, bounces: 1, opens: 4, clicks: 1, uniqueOpens: 3, uniqueClicks: 1 }
const A_TOTALS = counts({ queued: 10, sent: 8, delivered: 5, failed: 5, excluded: 1, unsubscribed: 1, complaints: 1, bounces: 2, opens: 6, clicks: 2, uniqueOpens: 4, uniqueClicks: 2 })

const A_EMAIL = () => ({
  channel: 'email',
  totals: A_TOTALS,
  rates: { delivery: 5 / 8, bounce: 2 / 8, complaint: 1 / 5, open: 4 / 5, click: 2 / 5 },
  series: series('2026-03-02T00:00:00Z', '2026-03-04T00:00:00Z', 24, { '2026-03-02T00:00:00.000Z': A_DAY1, '2026-03-03T00:00:00.000Z': A_DAY2 }),
  failureReasons: [
    { code: '5.1.1', label: 'Mailbox does not exist (5.1.1)', count: 2, share: 2 / 5 },
    { code: '550', label: 'Mailbox unavailable or unknown (550)', count: 1, share: 1 / 5 },
    { code: 'sendgrid:spamreport', label: 'Marked as spam by the recipient', count: 1, share: 1 / 5 },
    { code: 'unknown', label: 'No code recorded', count: 1, share: 1 / 5 },
  ],
  // Latencies (s): 0.5 1 1 1 2 2 2 3 4 4 5 10 30 40 45 150 → p50 = 8th = 3, p95 = p99 = 16th = 150.
  callbackLatency: { count: 16, p50: 3, p95: 150, p99: 150, buckets: latencyBuckets({ 1: 1, 2: 3, 5: 6, 10: 1, 30: 1, 60: 3, 300: 1 }) },
})

const A_SMS = () => ({
  channel: 'sms',
  totals: counts({ unsubscribed: 1 }),
  rates: { delivery: null, bounce: null, complaint: null, open: null, click: null },
  series: series('2026-03-02T00:00:00Z', '2026-03-04T00:00:00Z', 24, { '2026-03-03T00:00:00.000Z': { unsubscribed: 1 } }),
  failureReasons: [],
  callbackLatency: emptyLatency,
})

const B_TOTALS = counts({ queued: 2, sent: 1, delivered: 1, failed: 1, unsubscribed: 1, opens: 1, uniqueOpens: 1 })
const B_EMAIL = () => ({
  channel: 'email',
  totals: B_TOTALS,
  rates: { delivery: 1, bounce: 0, complaint: 0, open: 1, click: 0 },
  series: series('2026-03-02T00:00:00Z', '2026-03-04T00:00:00Z', 24, { '2026-03-02T00:00:00.000Z': B_TOTALS }),
  failureReasons: [{ code: '550', label: 'Mailbox unavailable or unknown (550)', count: 1, share: 1 }],
  callbackLatency: { count: 2, p50: 1, p95: 5, p99: 5, buckets: latencyBuckets({ 2: 1, 10: 1 }) },
})

const A_TEMPLATES = () => [
  { template: templates.a2, name: names.a2, org: orgA, sent: 4, delivered: 2, uniqueOpens: 2, uniqueClicks: 1, complaints: 0, bounces: 1, openRate: 1, clickRate: 0.5 },
  { template: templates.a1, name: names.a1, org: orgA, sent: 4, delivered: 3, uniqueOpens: 2, uniqueClicks: 1, complaints: 1, bounces: 1, openRate: 2 / 3, clickRate: 1 / 3 },
]
const B_TEMPLATES = () => [{ template: templates.b, name: expect.any(String), org: orgB, sent: 1, delivered: 1, uniqueOpens: 1, uniqueClicks: 0, complaints: 0, bounces: 0, openRate: 1, clickRate: 0 }]

const summary = async (client: ApiClient, query: string) => {
  const res = await client.get(`/metrics/summary?${query}`)
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200)
  return res.body
}

const resetRollups = () => sql('TRUNCATE metric_rollups, metric_rollup_reasons, metric_rollup_latency, metric_rollup_state')

beforeAll(async () => {
  payload = await getTestPayload()
  pool = (payload.db as unknown as { pool: Pool }).pool
  await resetRollups()
  const makeOrg = async (prefix: string) => {
    const slug = unique(prefix)
    return (await payload.create({ collection: 'organizations', data: { name: slug, slug, postalAddress: '1 Metric Way' } })).id
  }
  orgA = await makeOrg('metrics-a')
  orgB = await makeOrg('metrics-b')
  names = { a1: unique('Welcome'), a2: unique('Spring news') }
  templates = { a1: await makeTemplate(orgA, names.a1), a2: await makeTemplate(orgA, names.a2), b: await makeTemplate(orgB, unique('B news')) }
  const ja1 = await makeJob(orgA, templates.a1)
  const ja2 = await makeJob(orgA, templates.a2)
  const jb = await makeJob(orgB, templates.b)

  const d1 = '2026-03-02T'
  const d2 = '2026-03-03T'
  const queued1 = `${d1}09:15:00Z`
  rec = {
    r1: await makeRecipient(orgA, ja1, { status: 'delivered', created: queued1, sent: `${d1}10:05:00Z`, delivered: `${d1}10:06:00Z` }),
    r2: await makeRecipient(orgA, ja1, { status: 'delivered', created: queued1, sent: `${d1}10:05:00Z`, delivered: `${d1}11:30:00Z` }),
    r3: await makeRecipient(orgA, ja1, { status: 'failed', created: queued1, sent: `${d1}10:05:00Z`, failed: `${d1}10:07:00Z`, code: '5.1.1' }),
    r4: await makeRecipient(orgA, ja1, { status: 'failed', created: queued1, sent: `${d1}10:05:00Z`, delivered: `${d1}10:06:00Z`, failed: `${d1}12:00:00Z`, code: 'sendgrid:spamreport' }),
    r5: await makeRecipient(orgA, ja1, { status: 'excluded', created: queued1 }),
    r6: await makeRecipient(orgA, ja1, { status: 'failed', created: queued1, failed: `${d1}10:10:00Z`, code: '550' }),
    r7: await makeRecipient(orgA, ja1, { status: 'pending', created: queued1 }),
    r8: await makeRecipient(orgA, ja2, { status: 'delivered', created: `${d2}08:00:00Z`, sent: `${d2}08:01:00Z`, delivered: `${d2}08:02:00Z` }),
    r9: await makeRecipient(orgA, ja2, { status: 'delivered', created: `${d2}08:00:00Z`, sent: `${d2}08:01:00Z`, delivered: `${d2}08:03:00Z` }),
    r10: await makeRecipient(orgA, ja2, { status: 'failed', created: `${d2}08:00:00Z`, sent: `${d2}08:01:00Z`, failed: `${d2}08:05:00Z` }),
    r11: await makeRecipient(orgA, ja2, { status: 'failed', created: `${d2}08:00:00Z`, sent: `${d2}08:01:00Z`, failed: `${d2}09:00:00Z`, code: '5.1.1' }),
    b1: await makeRecipient(orgB, jb, { status: 'delivered', created: `${d1}10:00:00Z`, sent: `${d1}10:01:00Z`, delivered: `${d1}10:02:00Z` }),
    b2: await makeRecipient(orgB, jb, { status: 'failed', created: `${d1}10:00:00Z`, failed: `${d1}10:03:00Z`, code: '550' }),
  }
  await makeEvent(orgA, rec.r1!, 'delivered', `${d1}10:06:00Z`, 0.5)
  await makeEvent(orgA, rec.r1!, 'open', `${d1}10:20:00Z`, 2)
  await makeEvent(orgA, rec.r1!, 'open', `${d1}13:00:00Z`, 3)
  await makeEvent(orgA, rec.r1!, 'click', `${d1}13:01:00Z`, 45)
  await makeEvent(orgA, rec.r2!, 'delivered', `${d1}11:30:00Z`, 1)
  await makeEvent(orgA, rec.r2!, 'open', `${d2}07:10:00Z`, 150)
  await makeEvent(orgA, rec.r3!, 'bounce', `${d1}10:07:00Z`, 10)
  await makeEvent(orgA, rec.r4!, 'delivered', `${d1}10:06:00Z`, 4)
  await makeEvent(orgA, rec.r4!, 'spamreport', `${d1}12:00:00Z`, 30)
  await makeEvent(orgA, rec.r8!, 'delivered', `${d2}08:02:00Z`, 1)
  await makeEvent(orgA, rec.r8!, 'open', `${d2}08:30:00Z`, 5)
  await makeEvent(orgA, rec.r8!, 'click', `${d2}08:31:00Z`, 4)
  await makeEvent(orgA, rec.r8!, 'open', `${d2}08:40:00Z`, 2)
  await makeEvent(orgA, rec.r9!, 'delivered', `${d2}08:03:00Z`, 1)
  await makeEvent(orgA, rec.r9!, 'open', `${d2}09:10:00Z`, 2)
  await makeEvent(orgA, rec.r11!, 'bounce', `${d2}09:00:00Z`, 40)
  await makeEvent(orgB, rec.b1!, 'delivered', `${d1}10:02:00Z`, 1)
  await makeEvent(orgB, rec.b1!, 'open', `${d1}10:30:00Z`, 5)
  // Matched no recipient: no org, counted nowhere.
  await makeEvent(null, null, 'spamreport', `${d1}10:00:00Z`, 1)
  await makeSuppression(orgA, 'email', 'unsubscribe', `${d1}13:30:00Z`)
  await makeSuppression(orgA, 'sms', 'unsubscribe', `${d2}10:00:00Z`)
  await makeSuppression(orgA, 'email', 'manual', `${d1}13:30:00Z`)
  await makeSuppression(null, 'email', 'unsubscribe', `${d1}13:30:00Z`)
  await makeSuppression(orgB, 'email', 'unsubscribe', `${d1}11:00:00Z`)

  const login = async (memberships: Parameters<typeof makeUser>[1]) => loginAs((await makeUser(payload, memberships, { password: 'fixture-password' })).email, 'fixture-password')
  viewerA = await login([{ org: orgA, roles: ['viewer'] }])
  senderB = await login([{ org: orgB, roles: ['sender'] }])
  both = await login([
    { org: orgA, roles: ['approver'] },
    { org: orgB, roles: ['admin'] },
  ])
  nobody = await login([])
  superAdmin = await loginAs('super@demo.test')
})

/** Every figure of org A (both channels, by day) and of org B, as each org's members see them. */
const expectAllFigures = async (rolledUpUntil: string | null) => {
  const a = await summary(viewerA, `${RANGE}&bucket=day`)
  expect(a).toMatchObject({ org: null, from: '2026-03-02T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z', bucket: 'day', rolledUpUntil, alerts: [] })
  expect(Date.parse(a.generatedAt)).toBeGreaterThan(Date.now() - 60_000)
  expect(a.channels).toEqual([A_EMAIL(), A_SMS()])
  expect(a.topTemplates).toEqual(A_TEMPLATES())

  const hourly = await summary(viewerA, `${RANGE}&bucket=hour&channel=email`)
  expect(hourly.bucket).toBe('hour')
  expect(hourly.channels).toHaveLength(1)
  expect(hourly.channels[0].series).toEqual(series('2026-03-02T00:00:00Z', '2026-03-04T00:00:00Z', 1, A_HOURS))
  expect({ ...hourly.channels[0], series: [] }).toEqual({ ...A_EMAIL(), series: [] })

  const b = await summary(senderB, RANGE)
  expect(b.bucket).toBe('hour') // 2 days: hours by default
  expect(b.channels.map((c: { channel: string }) => c.channel)).toEqual(['email'])
  expect({ ...b.channels[0], series: [] }).toEqual({ ...B_EMAIL(), series: [] })
  expect(b.channels[0].series).toEqual(
    series('2026-03-02T00:00:00Z', '2026-03-04T00:00:00Z', 1, {
      '2026-03-02T10:00:00.000Z': { queued: 2, sent: 1, delivered: 1, failed: 1, opens: 1, uniqueOpens: 1 },
      '2026-03-02T11:00:00.000Z': { unsubscribed: 1 },
    }),
  )
  expect(b.topTemplates).toEqual(B_TEMPLATES())
}

describe('GET /api/metrics/summary', () => {
  it('computes every figure live before any rollup', async () => {
    await expectAllFigures(null)
  })

  it('day buckets follow the calendar days of the zone asked for (tz)', async () => {
    // Los Angeles is 8 hours behind UTC on 2 and 3 March 2026: the opens of 07:00 UTC on the 3rd belong to its 2nd.
    const res = await summary(viewerA, `from=${encodeURIComponent('2026-03-02T00:00:00-08:00')}&to=${encodeURIComponent('2026-03-04T00:00:00-08:00')}&bucket=day&channel=email&tz=America/Los_Angeles`)
    expect(res).toMatchObject({ from: '2026-03-02T08:00:00.000Z', to: '2026-03-04T08:00:00.000Z', bucket: 'day', timeZone: 'America/Los_Angeles' })
    const hours = (...keys: string[]) => sumCounts(...keys.map((k) => A_HOURS[k]!))
    const day2 = hours('2026-03-02T09:00:00.000Z', '2026-03-02T10:00:00.000Z', '2026-03-02T11:00:00.000Z', '2026-03-02T12:00:00.000Z', '2026-03-02T13:00:00.000Z', '2026-03-03T07:00:00.000Z')
    const day3 = hours('2026-03-03T08:00:00.000Z', '2026-03-03T09:00:00.000Z')
    expect(res.channels[0].series).toEqual([
      { start: '2026-03-02T08:00:00.000Z', ...day2 },
      { start: '2026-03-03T08:00:00.000Z', ...day3 },
    ])
    expect(res.channels[0].totals).toEqual(A_TOTALS)
    // Kolkata, 5:30 ahead: its days start at 18:30 UTC, and every seeded hour falls within its 2nd and 3rd.
    const kolkata = await summary(viewerA, `from=${encodeURIComponent('2026-03-02T00:00:00+05:30')}&to=${encodeURIComponent('2026-03-04T00:00:00+05:30')}&bucket=day&channel=email&tz=Asia/Kolkata`)
    expect(kolkata.channels[0].series).toEqual([
      { start: '2026-03-01T18:30:00.000Z', ...counts(A_DAY1) },
      { start: '2026-03-02T18:30:00.000Z', ...counts(A_DAY2) },
    ])
    // The same range in UTC days splits them elsewhere.
    const utc = await summary(viewerA, `${RANGE}&bucket=day&channel=email`)
    expect(utc.timeZone).toBe('UTC')
    expect(utc.channels[0].series[0]).toEqual({ start: '2026-03-02T00:00:00.000Z', ...counts(A_DAY1) })
  })

  it('gives the same figures from the rollups, part rolled up and part live, then all rolled up', async () => {
    expect(await rollupMetrics({ payload, now: at('2026-03-03T09:20:00Z') })).toMatchObject({ skipped: false, rolledUntil: '2026-03-03T09:00:00.000Z' })
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM metric_rollups WHERE org_id = $1`, [orgA])
    expect(rows[0].n).toBeGreaterThan(0)
    await expectAllFigures('2026-03-03T09:00:00.000Z')
    const second = await rollupMetrics({ payload, now: at('2026-03-05T00:00:00Z') })
    expect(second).toMatchObject({ skipped: false, rolledUntil: '2026-03-05T00:00:00.000Z' })
    // The 39 newly closed hours, plus the older ones whose data changed within the overlap of the last run (all of it: just seeded).
    expect(second.hours).toBeGreaterThanOrEqual(39)
    await expectAllFigures('2026-03-05T00:00:00.000Z')
  })

  it('shows late data for a rolled-up hour after the next run', async () => {
    // A late click of r2 (its first) and a late open of r1 before its first one: the first open moves from 10:00 to 09:00.
    await makeEvent(orgA, rec.r2!, 'click', '2026-03-02T11:45:00Z', 'now')
    await makeEvent(orgA, rec.r1!, 'open', '2026-03-02T09:50:00Z', 'now')
    await expectAllFigures('2026-03-05T00:00:00.000Z')
    const report = await rollupMetrics({ payload, now: at('2026-03-05T00:10:00Z') })
    expect(report).toMatchObject({ skipped: false, rolledUntil: '2026-03-05T00:00:00.000Z' })
    const { rows } = await pool.query(
      `SELECT extract(epoch FROM received_at - occurred_at)::float8 AS s FROM webhook_events WHERE recipient_id = ANY($1::int[]) AND received_at > now() - interval '1 hour' ORDER BY occurred_at`,
      [[rec.r1, rec.r2]],
    )
    const late = rows.map((r: { s: number }) => latencyBucketOf(r.s))
    expect(late).toHaveLength(2)

    const hourly = await summary(viewerA, `${RANGE}&bucket=hour&channel=email`)
    const email = hourly.channels[0]
    expect(email.totals).toEqual({ ...A_TOTALS, opens: 7, clicks: 3, uniqueClicks: 3 })
    expect(email.series).toEqual(
      series('2026-03-02T00:00:00Z', '2026-03-04T00:00:00Z', 1, {
        ...A_HOURS,
        '2026-03-02T09:00:00.000Z': { queued: 6, excluded: 1, opens: 1, uniqueOpens: 1 },
        '2026-03-02T10:00:00.000Z': { sent: 4, delivered: 2, failed: 2, bounces: 1, opens: 1 },
        '2026-03-02T11:00:00.000Z': { delivered: 1, clicks: 1, uniqueClicks: 1 },
      }),
    )
    expect(email.rates).toEqual({ delivery: 5 / 8, bounce: 2 / 8, complaint: 1 / 5, open: 4 / 5, click: 3 / 5 })
    // 18 latencies: the 16 above and two of months (the late ones): p50 = 9th = 4, p95 = 18th, p99 = 18th.
    expect(email.callbackLatency).toEqual({
      count: 18,
      p50: 4,
      p95: Math.max(...late),
      p99: Math.max(...late),
      buckets: latencyBuckets({ 1: 1, 2: 3, 5: 6, 10: 1, 30: 1, 60: 3, 300: 1, null: 2 }),
    })
  })

  it('stops counting a failure once the recipient is retried, after the next run', async () => {
    await sql(`UPDATE email_recipients SET status = 'pending', failed_at = NULL, provider_code = NULL, updated_at = now() WHERE id = $1`, [rec.r6])
    await rollupMetrics({ payload, now: at('2026-03-05T00:20:00Z') })
    const hourly = await summary(viewerA, `${RANGE}&bucket=hour&channel=email`)
    const email = hourly.channels[0]
    expect(email.totals.failed).toBe(4)
    expect(email.series.find((b: { start: string }) => b.start === '2026-03-02T10:00:00.000Z').failed).toBe(1)
    expect(email.failureReasons).toEqual([
      { code: '5.1.1', label: 'Mailbox does not exist (5.1.1)', count: 2, share: 2 / 4 },
      { code: 'sendgrid:spamreport', label: 'Marked as spam by the recipient', count: 1, share: 1 / 4 },
      { code: 'unknown', label: 'No code recorded', count: 1, share: 1 / 4 },
    ])
  })

  it('takes an unsubscribe edited into another reason, or moved to the global list, out of the count after the next run', async () => {
    const [entry] = await sql<{ id: number }>(`SELECT id FROM suppressions WHERE org_id = $1 AND channel = 'email' AND reason = 'unsubscribe'`, [orgA])
    const unsubscribed = async () => (await summary(viewerA, `${RANGE}&bucket=day&channel=email`)).channels[0].totals.unsubscribed
    expect(await unsubscribed()).toBe(1)
    try {
      await sql(`UPDATE suppressions SET reason = 'manual', updated_at = now() WHERE id = $1`, [entry!.id])
      await rollupMetrics({ payload, now: at('2026-03-05T00:25:00Z') })
      expect(await unsubscribed()).toBe(0)
      await sql(`UPDATE suppressions SET reason = 'unsubscribe', updated_at = now() WHERE id = $1`, [entry!.id])
      await rollupMetrics({ payload, now: at('2026-03-05T00:26:00Z') })
      expect(await unsubscribed()).toBe(1)
    } finally {
      await sql(`UPDATE suppressions SET reason = 'unsubscribe', updated_at = now() WHERE id = $1`, [entry!.id])
      await rollupMetrics({ payload, now: at('2026-03-05T00:27:00Z') })
    }
  })

  it('shows each caller only the orgs where it may read metrics', async () => {
    const a = await summary(viewerA, `${RANGE}&bucket=day&org=${orgA}`)
    expect(a.org).toBe(orgA)
    expect(a.channels[0].totals.sent).toBe(8)
    // B's member sees only B: none of A's figures, templates or reasons.
    const b = await summary(senderB, `${RANGE}&bucket=day`)
    expect(b.channels[0].totals).toEqual(B_TOTALS)
    expect(b.topTemplates.map((t: { org: number }) => t.org)).toEqual([orgB])
    // A member of both sees the sum; the super admin sees one org when asked, every org otherwise.
    const sum = await summary(both, `${RANGE}&bucket=day&channel=email`)
    const aNow = (await summary(viewerA, `${RANGE}&bucket=day&channel=email`)).channels[0].totals
    expect(sum.channels[0].totals).toEqual(sumCounts(aNow, B_TOTALS))
    expect(sum.topTemplates.map((t: { template: number }) => t.template).sort()).toEqual([templates.a1, templates.a2, templates.b].sort())
    expect((await summary(superAdmin, `${RANGE}&bucket=day&org=${orgB}`)).channels[0].totals).toEqual(B_TOTALS)
    expect((await summary(superAdmin, `${RANGE}&bucket=day&channel=email`)).channels[0].totals).toEqual(sumCounts(aNow, B_TOTALS))
  })

  it("carries the last 24 hours' complaint and bounce alerts of the caller's orgs only", async () => {
    const raise = (org: number, kind: string, hoursAgo: number) =>
      sql(
        `INSERT INTO metric_alerts (org_id, kind, day, rate, threshold, numerator, denominator, window_start, window_end, raised_at)
         VALUES ($1, $2, (now() - make_interval(hours => $3))::date, 0.02, 0.001, 2, 100, now() - interval '1 day', now(), now() - make_interval(hours => $3))`,
        [org, kind, hoursAgo],
      )
    await sql('DELETE FROM metric_alerts WHERE org_id IN ($1, $2)', [orgA, orgB])
    try {
      await raise(orgA, 'complaint_rate', 2)
      await raise(orgA, 'bounce_rate', 30) // older than 24 hours: no longer shown
      await raise(orgB, 'bounce_rate', 1)
      const a = await summary(viewerA, `${RANGE}&bucket=day&org=${orgA}`)
      expect(a.alerts).toEqual([
        expect.objectContaining({ org: orgA, orgName: expect.any(String), kind: 'complaint_rate', rate: 0.02, threshold: 0.001, numerator: 2, denominator: 100 }),
      ])
      const b = await summary(senderB, `${RANGE}&bucket=day`)
      expect(b.alerts.map((alert: { org: number; kind: string }) => [alert.org, alert.kind])).toEqual([[orgB, 'bounce_rate']])
      const all = await summary(both, `${RANGE}&bucket=day`)
      expect(all.alerts.map((alert: { org: number }) => alert.org).sort()).toEqual([orgA, orgB].sort())
    } finally {
      await sql('DELETE FROM metric_alerts WHERE org_id IN ($1, $2)', [orgA, orgB])
    }
  })

  it('answers 404 for an org the caller cannot read, 403 without any, 401 anonymous', async () => {
    for (const [client, org] of [
      [senderB, orgA],
      [viewerA, orgB],
      [superAdmin, 999_999_999],
    ] as const) {
      const res = await client.get(`/metrics/summary?${RANGE}&org=${org}`)
      expect(res.status).toBe(404)
      expect(res.body.errors[0].message).toBe('No such organisation, or you cannot see its metrics.')
    }
    const none = await nobody.get(`/metrics/summary?${RANGE}`)
    expect(none.status).toBe(403)
    expect(none.body.errors[0].message).toBe('Your roles allow seeing metrics in no organisation.')
    const anon = await anonymous().get(`/metrics/summary?${RANGE}`)
    expect(anon.status).toBe(401)
    expect(anon.body.errors[0].message).toBe('Log in to see metrics.')
  })

  it('refuses bad parameters with a 400 and the reason', async () => {
    const cases: [string, RegExp][] = [
      ['from=last-week', /`from` must be an ISO 8601 date/],
      ['to=2026-02-30', /`to` is not a real date/],
      ['from=2026-03-04&to=2026-03-02', /`from` must be before `to`/],
      ['from=2026-03-02&to=2026-03-02', /`from` must be before `to`/],
      ['from=2025-01-01&to=2026-03-01', /at most 400 days/],
      ['from=2026-01-01&to=2026-03-01&bucket=hour', /1416 hour buckets; at most 744/],
      ['bucket=minute', /`bucket` must be one of hour, day/],
      ['channel=pigeon', /`channel` must be one of email, sms/],
      ['org=abc', /`org` must be an organisation id/],
      ['org=-3', /`org` must be an organisation id/],
      ['org=1.0', /`org` must be an organisation id/],
      ['tz=Europe/Atlantis', /`tz` must be an IANA time zone/],
    ]
    for (const [query, reason] of cases) {
      const res = await viewerA.get(`/metrics/summary?${query}`)
      expect([query, res.status]).toEqual([query, 400])
      expect(res.body.errors[0].message).toMatch(reason)
    }
  })

  it('defaults to the last 7 days by day, every channel with data', async () => {
    const res = await summary(viewerA, '')
    expect(res.bucket).toBe('day')
    expect(res.channels[0].series).toHaveLength(8)
    expect(Date.parse(res.to) - Date.parse(res.from)).toBe(8 * 86_400_000)
    expect(res.channels.map((c: { channel: string }) => c.channel)).toEqual(['email'])
  })
})

describe('rollupMetrics', () => {
  it('runs every 5 minutes as a task on the maintenance queue', async () => {
    const task = payload.config.jobs.tasks?.find((t) => t.slug === 'rollupMetrics')
    expect(task?.schedule).toEqual([{ cron: '0 */5 * * * *', queue: 'maintenance' }])
    const queued = await payload.jobs.queue({ task: 'rollupMetrics', input: {}, queue: 'maintenance' })
    await payload.jobs.runByID({ id: queued.id })
    // Payload deletes a job that completed without error.
    expect((await payload.count({ collection: 'payload-jobs', where: { id: { equals: queued.id } } })).totalDocs).toBe(0)
    // Up to the last closed hour of the real clock, so the seeded days stay where they were.
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString()
    expect((await summary(senderB, `${RANGE}&bucket=day`)).rolledUpUntil).toBe(hour)
    expect((await summary(senderB, `${RANGE}&bucket=day`)).channels[0].totals).toEqual(B_TOTALS)
  })

  // Not on embedded PGlite: one backend serves every connection, one transaction at a time, so a second
  // connection cannot hold the lock while a run asks for it.
  it.skipIf(isEmbedded)('runs once at a time: a run that finds the lock taken does nothing', async () => {
    const holder = await pool.connect()
    try {
      await holder.query('BEGIN')
      await holder.query('SELECT pg_advisory_xact_lock(hashtext($1))', [ROLLUP_LOCK])
      expect(await rollupMetrics({ payload, now: at('2026-03-05T00:30:00Z') })).toEqual({ skipped: true, hours: 0, rolledUntil: null })
    } finally {
      await holder.query('COMMIT')
      holder.release()
    }
    // Once the lock is free, the next run does the work. (Two runs started together are not tested: which
    // one wins, and whether the first has already committed when the second asks, is up to the scheduler.)
    await resetRollups()
    expect((await rollupMetrics({ payload, now: at('2026-03-05T00:30:00Z') })).skipped).toBe(false)
    const sums = await summary(senderB, `${RANGE}&bucket=day`)
    expect(sums.channels[0].totals).toEqual(B_TOTALS)
    expect(sums.rolledUpUntil).toBe('2026-03-05T00:00:00.000Z')
  })
})
