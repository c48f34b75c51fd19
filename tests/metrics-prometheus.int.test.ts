import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { anonymous, ApiClient, getTestPayload, loginAs } from './helpers/app'
import { unique } from './helpers/fixtures'

const TOKEN = 'metrics-test-token-0123456789'
let payload: Payload
let pool: any
const savedToken = process.env.METRICS_TOKEN
const savedOrgLabel = process.env.METRICS_ORG_LABEL

type Sample = { name: string; labels: Record<string, string>; value: number }
type Exposition = { samples: Sample[]; help: Map<string, string>; types: Map<string, string> }

/** A strict reader of the text format: every sample line must parse, label values unescaped. */
const parseExposition = (text: string): Exposition => {
  const samples: Sample[] = []
  const help = new Map<string, string>()
  const types = new Map<string, string>()
  expect(text.endsWith('\n')).toBe(true)
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line)
    if (meta) {
      ;(meta[1] === 'HELP' ? help : types).set(meta[2]!, meta[3]!)
      continue
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    expect(match, line).not.toBeNull()
    const labels: Record<string, string> = {}
    const body = match![2] ?? ''
    const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y
    let position = 0
    while (position < body.length) {
      label.lastIndex = position
      const part = label.exec(body)
      expect(part, `labels of ${line}`).not.toBeNull()
      labels[part![1]!] = part![2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
      position = label.lastIndex
    }
    const raw = match![3]!
    samples.push({ name: match![1]!, labels, value: raw === '+Inf' ? Infinity : Number(raw) })
  }
  return { samples, help, types }
}

const sameLabels = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v)

/** The one sample with exactly these labels (0 when absent, so deltas of new series work). */
const value = (exposition: Exposition, name: string, labels: Record<string, string> = {}): number => {
  const found = exposition.samples.filter((s) => s.name === name && sameLabels(s.labels, labels))
  expect(found.length, `${name} ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1)
  return found[0]?.value ?? 0
}

const scrape = async (client = new ApiClient({ Authorization: `Bearer ${TOKEN}` })) => {
  const response = await client.get('/metrics')
  expect(response.status, String(response.body)).toBe(200)
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
  return parseExposition(response.body as string)
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000)
const tag = unique('prom')
const QUEUE = `metrics-test-"q"\\${tag}`
const orgs: number[] = []
const jobs: number[] = []

const makeOrg = async (name: string) => {
  const slug = unique('prom-org')
  const org = (await payload.create({ collection: 'organizations', data: { name, slug, postalAddress: '1 Metrics Way' } })).id
  orgs.push(org)
  return org
}

const makeJob = async (org: number, status: string, updatedAt = new Date()) => {
  const { rows } = await pool.query(
    `INSERT INTO email_jobs (org_id, name, template_id, status, updated_at)
     VALUES ($1, $2, (SELECT id FROM email_templates WHERE org_id = $1 ORDER BY id LIMIT 1), $3, $4) RETURNING id`,
    [org, unique('prom-job'), status, updatedAt],
  )
  jobs.push(rows[0].id)
  return rows[0].id as number
}

type RecipientSeed = { status: string; sentAt?: Date; deliveredAt?: Date; failedAt?: Date; nextAttemptAt?: Date; leaseExpiresAt?: Date }

const addRecipients = async (org: number, job: number, seeds: RecipientSeed[]) => {
  for (const seed of seeds) {
    await pool.query(
      `INSERT INTO email_recipients (org_id, job_id, email, status, sent_at, delivered_at, failed_at, next_attempt_at, lease_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [org, job, `${unique('p')}@example.com`, seed.status, seed.sentAt ?? null, seed.deliveredAt ?? null, seed.failedAt ?? null, seed.nextAttemptAt ?? null, seed.leaseExpiresAt ?? null],
    )
  }
}

/**
 * Events with a known callback latency: received_at = occurred_at (whole seconds) + latency. `fresh`
 * ones were received just now (the scrape reads them live); the others an hour ago (settled: the
 * scrape folds them into its per-process totals).
 */
const addEvent = async (org: null | number, type: string, latencySeconds: number, fresh = false) => {
  const received = fresh ? Date.now() : Date.now() - 3_600_000
  const occurred = new Date(Math.floor((received - latencySeconds * 1000) / 1000) * 1000)
  await pool.query(
    `INSERT INTO webhook_events (provider, channel, event_i_d, type, address, org_id, occurred_at, received_at, payload)
     VALUES ('sendgrid', 'email', $1, $2, 'someone@example.com', $3, $4, $5, '{}'::jsonb)`,
    [unique(`${tag}-ev`), type, org, occurred, new Date(occurred.getTime() + latencySeconds * 1000)],
  )
}

beforeAll(async () => {
  payload = await getTestPayload()
  pool = (payload.db as any).pool
  process.env.METRICS_TOKEN = TOKEN
  delete process.env.METRICS_ORG_LABEL
})
afterAll(async () => {
  for (const [key, saved] of [['METRICS_TOKEN', savedToken], ['METRICS_ORG_LABEL', savedOrgLabel]] as const) {
    if (saved === undefined) delete process.env[key]
    else process.env[key] = saved
  }
  // Leave nothing running or queued behind for the other files' sweeps and counts.
  await pool.query(`DELETE FROM payload_jobs WHERE queue = $1`, [QUEUE])
  await pool.query(`DELETE FROM webhook_events WHERE event_i_d LIKE $1`, [`${tag}-ev%`])
  await pool.query(`DELETE FROM email_recipients WHERE job_id = ANY($1::int[])`, [jobs])
  await pool.query(`DELETE FROM email_jobs WHERE id = ANY($1::int[])`, [jobs])
})

describe('GET /api/metrics: the token', () => {
  it('is off (404 with the reason) while METRICS_TOKEN is unset, and needs the right Bearer token (401) once set', async () => {
    delete process.env.METRICS_TOKEN
    const off = await anonymous().get('/metrics')
    expect(off.status).toBe(404)
    expect(off.body.errors[0].message).toMatch(/metrics are disabled: set METRICS_TOKEN/i)
    process.env.METRICS_TOKEN = '   '
    expect((await new ApiClient({ Authorization: 'Bearer    ' }).get('/metrics')).status).toBe(404)
    process.env.METRICS_TOKEN = TOKEN

    const missing = await anonymous().get('/metrics')
    expect(missing.status).toBe(401)
    expect(missing.body.errors[0].message).toMatch(/Authorization: Bearer/)
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/)
    for (const header of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, 'Bearer x', `Basic ${TOKEN}`, TOKEN, `JWT ${TOKEN}`]) {
      const refused = await new ApiClient({ Authorization: header }).get('/metrics')
      expect(refused.status, header).toBe(401)
      expect(refused.body.errors[0].message).toBeTruthy()
    }
    // A logged-in admin is no operator: the token is the only way in.
    expect((await (await loginAs('super@demo.test')).get('/metrics')).status).toBe(401)
    await scrape(new ApiClient({ Authorization: `bearer ${TOKEN}` }))
  })
})

describe('GET /api/metrics: the figures', () => {
  it("reports how far behind the metric rollups are, so a stopped rollup task shows", async () => {
    const [saved] = (await pool.query('SELECT * FROM metric_rollup_state WHERE id = 1')).rows
    try {
      await pool.query(
        `INSERT INTO metric_rollup_state (id, rolled_until, scanned_at, last_run_at) VALUES (1, now() - interval '3 hours', now() - interval '2 hours', now() - interval '2 hours')
         ON CONFLICT (id) DO UPDATE SET rolled_until = excluded.rolled_until, scanned_at = excluded.scanned_at, last_run_at = excluded.last_run_at`,
      )
      const exposition = await scrape()
      expect(Math.abs(value(exposition, 'outpost_metrics_rollup_lag_seconds') - 3 * 3600)).toBeLessThan(60)
      expect(Math.abs(value(exposition, 'outpost_metrics_rollup_last_run_age_seconds') - 2 * 3600)).toBeLessThan(60)
    } finally {
      await pool.query('DELETE FROM metric_rollup_state WHERE id = 1')
      if (saved) {
        await pool.query('INSERT INTO metric_rollup_state (id, rolled_until, scanned_at, last_run_at, last_run_hours, last_run_ms) VALUES (1, $1, $2, $3, $4, $5)', [
          saved.rolled_until,
          saved.scanned_at,
          saved.last_run_at,
          saved.last_run_hours,
          saved.last_run_ms,
        ])
      }
    }
  })

  it('counts messages, events, latency, queues and stuck jobs exactly', async () => {
    const before = await scrape()
    const alpha = await makeOrg('Prom "Alpha"')
    const beta = await makeOrg('Prom Beta')
    const now = new Date()

    // Alpha: one finished job with every outcome, plus running jobs for the queue and stuck figures.
    const done = await makeJob(alpha, 'completed', minutesAgo(60))
    await addRecipients(alpha, done, [
      { status: 'sent', sentAt: now },
      { status: 'sent', sentAt: now },
      { status: 'delivered', sentAt: now, deliveredAt: now },
      { status: 'delivered', sentAt: now, deliveredAt: now },
      { status: 'delivered', sentAt: now, deliveredAt: now },
      { status: 'failed', sentAt: now, failedAt: now },
      { status: 'failed', failedAt: now },
      { status: 'excluded' },
      { status: 'unknown' },
    ])
    await addRecipients(alpha, await makeJob(alpha, 'sending', minutesAgo(20)), [{ status: 'pending' }]) // stuck: no progress, work due
    await addRecipients(alpha, await makeJob(alpha, 'sending', minutesAgo(20)), [{ status: 'pending', nextAttemptAt: new Date(Date.now() + 300_000) }]) // waits for a retry
    const expiredLease = await makeJob(alpha, 'sending')
    await addRecipients(alpha, expiredLease, [{ status: 'sending', leaseExpiresAt: minutesAgo(2) }]) // stuck: lease expired long ago
    await addRecipients(alpha, await makeJob(alpha, 'sending'), [{ status: 'sending', leaseExpiresAt: new Date(Date.now() - 30_000) }]) // the sweeper has time
    // Beta: a paused job is never stuck; a queued job nobody picked up is.
    await addRecipients(beta, await makeJob(beta, 'paused', minutesAgo(20)), [{ status: 'pending' }])
    await makeJob(beta, 'queued', minutesAgo(20))
    await addRecipients(beta, await makeJob(beta, 'queued'), [{ status: 'delivered', sentAt: now, deliveredAt: now }])

    // Events: latencies 0.4, 1 (on the bucket edge), 1.5, 3, 45, 61, 4000 s and a clock-skewed -5 s (counts as 0).
    await addEvent(alpha, 'delivered', 0.4)
    await addEvent(alpha, 'delivered', 1)
    await addEvent(alpha, 'delivered', 1.5)
    await addEvent(alpha, 'bounce', 3)
    await addEvent(alpha, 'spamreport', 45)
    await addEvent(alpha, 'open', 61, true)
    await addEvent(beta, 'delivered', 4000)
    await addEvent(null, 'processed', -5, true)

    // Payload's own queue, in a queue of our own whose name needs escaping.
    const payloadJob = (processing: boolean, updatedAt: Date, more: { waitUntil?: Date; hasError?: boolean } = {}) =>
      pool.query(
        `INSERT INTO payload_jobs (task_slug, queue, input, processing, updated_at, wait_until, has_error)
         VALUES ('checkMetricAlerts', $1, '{}'::jsonb, $2, $3, $4, $5)`,
        [QUEUE, processing, updatedAt, more.waitUntil ?? null, more.hasError ?? false],
      )
    await payloadJob(true, minutesAgo(20)) // stuck
    await payloadJob(true, new Date())
    await payloadJob(false, new Date(), { waitUntil: new Date(Date.now() + 3_600_000) })
    await payloadJob(false, new Date(), { hasError: true })
    await payloadJob(false, new Date())
    await pool.query(`INSERT INTO payload_jobs (task_slug, queue, input, completed_at) VALUES ('checkMetricAlerts', $1, '{}'::jsonb, now())`, [QUEUE])

    const after = await scrape()
    const email = (org: number) => ({ channel: 'email', org: String(org) })
    const statuses = (org: number, exposition = after) =>
      Object.fromEntries(['pending', 'sending', 'sent', 'delivered', 'failed', 'unknown', 'excluded'].map((status) => [status, value(exposition, 'outpost_messages', { ...email(org), status })]))
    expect(statuses(alpha)).toEqual({ pending: 2, sending: 2, sent: 2, delivered: 3, failed: 2, unknown: 1, excluded: 1 })
    expect(statuses(beta)).toEqual({ pending: 1, sending: 0, sent: 0, delivered: 1, failed: 0, unknown: 0, excluded: 0 })
    const counters = (org: number, exposition = after) =>
      Object.fromEntries(['queued', 'sent', 'delivered', 'failed', 'excluded'].map((c) => [c, value(exposition, `outpost_messages_${c}_total`, email(org))]))
    expect(counters(alpha)).toEqual({ queued: 13, sent: 6, delivered: 3, failed: 2, excluded: 1 })
    expect(counters(beta)).toEqual({ queued: 2, sent: 1, delivered: 1, failed: 0, excluded: 0 })

    const events = (org: string, type: string) => value(after, 'outpost_webhook_events_total', { provider: 'sendgrid', channel: 'email', type, org })
    expect([events(String(alpha), 'delivered'), events(String(alpha), 'bounce'), events(String(alpha), 'spamreport'), events(String(alpha), 'open')]).toEqual([3, 1, 1, 1])
    expect(events(String(beta), 'delivered')).toBe(1)
    expect(events(String(beta), 'bounce')).toBe(0)
    const sendgrid = { provider: 'sendgrid', channel: 'email' }
    expect(events('none', 'processed') - value(before, 'outpost_webhook_events_total', { ...sendgrid, type: 'processed', org: 'none' })).toBe(1)

    // The histogram: cumulative buckets, +Inf = _count, _sum in seconds (deltas: other files' events came first).
    const delta = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels)
    const les = ['1', '2', '5', '10', '30', '60', '120', '300', '600', '1800', '3600', '+Inf']
    expect(les.map((le) => delta('outpost_callback_latency_seconds_bucket', { ...sendgrid, le }))).toEqual([3, 4, 5, 5, 5, 6, 7, 7, 7, 7, 7, 8])
    expect(delta('outpost_callback_latency_seconds_count', sendgrid)).toBe(8)
    expect(delta('outpost_callback_latency_seconds_sum', sendgrid)).toBeCloseTo(4111.9, 3)
    expect(after.types.get('outpost_callback_latency_seconds')).toBe('histogram')
    const buckets = after.samples.filter((s) => s.name === 'outpost_callback_latency_seconds_bucket' && s.labels.provider === 'sendgrid')
    expect(buckets.map((s) => s.labels.le)).toEqual(les)
    expect(buckets.every((s, i) => i === 0 || s.value >= buckets[i - 1]!.value)).toBe(true)

    expect(['queued', 'sending', 'paused'].map((status) => delta('outpost_job_queue_depth', { status }))).toEqual([2, 4, 1])
    expect(delta('outpost_recipients_pending', { channel: 'email' })).toBe(3)
    expect(delta('outpost_stuck_jobs', { kind: 'email_job' })).toBe(3)
    expect(delta('outpost_stuck_jobs', { kind: 'payload_job' })).toBe(1)
    const queue = (state: string) => value(after, 'outpost_payload_jobs', { queue: QUEUE, task: 'checkMetricAlerts', state })
    expect(['processing', 'waiting', 'errored', 'ready'].map(queue)).toEqual([2, 1, 1, 1])
    expect(after.samples.some((s) => s.labels.queue === QUEUE)).toBe(true)

    const duration = value(after, 'outpost_metrics_scrape_duration_seconds')
    expect(duration).toBeGreaterThan(0)
    expect(duration).toBeLessThan(5)
    // Every family says what it is.
    for (const name of new Set(after.samples.map((s) => s.name.replace(/_(bucket|sum|count)$/, '')))) {
      const family = after.types.has(name) ? name : `${name}_count`
      expect(after.types.get(family), name).toMatch(/^(counter|gauge|histogram)$/)
      expect(after.help.get(family), name).toBeTruthy()
    }
    expect(after.types.get('outpost_messages_sent_total')).toBe('counter')
    expect(after.types.get('outpost_messages')).toBe('gauge')

    // The next scrape reads the settled events from its cache and the fresh ones live: the same figures, nothing twice.
    const again = await scrape()
    const eventSeries = (e: Exposition) => e.samples.filter((s) => /^outpost_(webhook_events_total|callback_latency_seconds_)/.test(s.name))
    expect(eventSeries(again)).toEqual(eventSeries(after))
    await addEvent(beta, 'click', 7, true)
    await addEvent(beta, 'click', 7)
    const third = await scrape()
    expect(value(third, 'outpost_webhook_events_total', { ...sendgrid, type: 'click', org: String(beta) })).toBe(2)
    expect(value(third, 'outpost_callback_latency_seconds_count', sendgrid) - value(after, 'outpost_callback_latency_seconds_count', sendgrid)).toBe(2)
    expect(value(third, 'outpost_callback_latency_seconds_bucket', { ...sendgrid, le: '10' }) - value(after, 'outpost_callback_latency_seconds_bucket', { ...sendgrid, le: '10' })).toBe(2)

    // Recipients move on (every write sets updated_at): the next scrape recounts the jobs that changed, and a new job counts.
    await pool.query(
      `UPDATE email_recipients SET status = 'delivered', delivered_at = now(), updated_at = now()
        WHERE id = (SELECT id FROM email_recipients WHERE job_id = $1 AND status = 'sent' ORDER BY id LIMIT 1)`,
      [done],
    )
    await pool.query(`UPDATE email_recipients SET status = 'failed', failed_at = now(), lease_expires_at = NULL, updated_at = now() WHERE job_id = $1`, [expiredLease])
    await addRecipients(beta, await makeJob(beta, 'completed'), [{ status: 'excluded' }, { status: 'sent', sentAt: now }])
    const moved = await scrape()
    expect(statuses(alpha, moved)).toEqual({ pending: 2, sending: 1, sent: 1, delivered: 4, failed: 3, unknown: 1, excluded: 1 })
    expect(counters(alpha, moved)).toEqual({ queued: 13, sent: 6, delivered: 4, failed: 3, excluded: 1 })
    expect(statuses(beta, moved)).toEqual({ pending: 1, sending: 0, sent: 1, delivered: 1, failed: 0, unknown: 0, excluded: 1 })
    expect(counters(beta, moved)).toEqual({ queued: 4, sent: 2, delivered: 1, failed: 0, excluded: 1 })
    expect(await scrape().then((e) => statuses(alpha, e))).toEqual(statuses(alpha, moved))

    // Without the org label the same figures come summed over orgs.
    process.env.METRICS_ORG_LABEL = 'false'
    const summed = await scrape()
    delete process.env.METRICS_ORG_LABEL
    expect(summed.samples.some((s) => 'org' in s.labels)).toBe(false)
    const total = (exposition: Exposition, name: string, labels: Record<string, string>) =>
      exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0)
    for (const name of ['outpost_messages_sent_total', 'outpost_messages_queued_total', 'outpost_webhook_events_total']) {
      expect(value(summed, name, name.startsWith('outpost_webhook') ? { ...sendgrid, type: 'delivered' } : { channel: 'email' }), name).toBe(
        total(moved, name, name.startsWith('outpost_webhook') ? { ...sendgrid, type: 'delivered' } : { channel: 'email' }),
      )
    }
  })
})
