import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { emailAdapter } from '@/integrations/email/payload-email-adapter'
import { checkMetricAlerts, findMetricAlertBreaches } from '@/services/metrics/check-metric-alerts'
import { listActiveMetricAlerts } from '@/services/metrics/list-active-metric-alerts'
import { metricAlertSettings } from '@/services/metrics/metric-alert-settings'

import { type SinkMessage, type SmtpSink, startSmtpSink } from './fakes/smtp-sink'
import { getTestPayload } from './helpers/app'
import { unique } from './helpers/fixtures'

let payload: Payload
let pool: any
let sink: SmtpSink
let restoreEmail: () => void
const tag = unique('alert')
const orgs: number[] = []
/** One instant for every run: the window and the day never move under the test, even at midnight. */
const now = new Date()
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000)
const OPS = ['ops@outpost.test', 'oncall@outpost.test']
const ENV = { ALERTS_EMAIL_TO: ` ${OPS[0]}, ${OPS[1]} `, SITE_URL: 'https://outpost.example/' }

const makeOrg = async (label: string) => {
  const name = `${label} ${tag}`
  const org = (await payload.create({ collection: 'organizations', data: { name, slug: unique('alert-org'), postalAddress: '1 Alert Way' } })).id
  orgs.push(org)
  const { rows } = await pool.query(
    `INSERT INTO email_jobs (org_id, name, template_id, status) VALUES ($1, 'alerts', (SELECT id FROM email_templates WHERE org_id = $1 ORDER BY id LIMIT 1), 'completed') RETURNING id`,
    [org],
  )
  return { org, name, job: rows[0].id as number }
}

/** `count` recipients sent (and delivered, unless `delivered` is false) at the given times. */
const addRecipients = async (target: { org: number; job: number }, count: number, { sentAt = hoursAgo(3), delivered = true } = {}) => {
  await pool.query(
    `INSERT INTO email_recipients (org_id, job_id, email, status, sent_at, delivered_at)
     SELECT $1, $2, $3 || g || '@example.com', $4::enum_email_recipients_status, $5::timestamptz, CASE WHEN $6 THEN $5::timestamptz + interval '1 minute' END
       FROM generate_series(1, $7::int) g`,
    [target.org, target.job, unique('a'), delivered ? 'delivered' : 'sent', sentAt, delivered, count],
  )
}

const addEvents = async (target: { org: number }, type: string, count: number, occurredAt = hoursAgo(2)) => {
  await pool.query(
    `INSERT INTO webhook_events (provider, channel, event_i_d, type, address, org_id, occurred_at, received_at, payload)
     SELECT 'sendgrid', 'email', $1 || g, $2, 'x@example.com', $3, $4, $4, '{}'::jsonb FROM generate_series(1, $5::int) g`,
    [unique(`${tag}-ev`), type, target.org, occurredAt, count],
  )
}

const alertRows = async (org: number) =>
  (await pool.query(`SELECT kind, day::text AS day, rate, threshold, numerator, denominator, window_start, window_end, emailed_at, email_error FROM metric_alerts WHERE org_id = $1 ORDER BY kind`, [org]))
    .rows
const mailsAbout = (name: string): SinkMessage[] => sink.messages.filter((m) => m.parsed.subject?.includes(name))
const settle = () => new Promise((resolve) => setTimeout(resolve, 300))

beforeAll(async () => {
  payload = await getTestPayload()
  pool = (payload.db as any).pool
  sink = await startSmtpSink()
  // Payload built its email adapter at boot, without SMTP_HOST; give it the same adapter pointed at the sink.
  const adapter = await emailAdapter({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port), SMTP_FROM_ADDRESS: 'alerts@outpost.test' })
  const email = adapter!({ payload })
  const saved = { email: payload.email, sendEmail: payload.sendEmail }
  payload.email = email
  payload.sendEmail = (message) => email.sendEmail(message)
  restoreEmail = () => Object.assign(payload, saved)
})
afterAll(async () => {
  restoreEmail()
  await pool.query(`DELETE FROM metric_alerts WHERE org_id = ANY($1::int[])`, [orgs])
  await pool.query(`DELETE FROM webhook_events WHERE org_id = ANY($1::int[])`, [orgs])
  await pool.query(`DELETE FROM email_recipients WHERE org_id = ANY($1::int[])`, [orgs])
  await sink.close()
})

describe('complaint and bounce rate alerts', () => {
  let alpha: Awaited<ReturnType<typeof makeOrg>>
  let bravo: Awaited<ReturnType<typeof makeOrg>>
  let charlie: Awaited<ReturnType<typeof makeOrg>>
  let delta: Awaited<ReturnType<typeof makeOrg>>
  let echo: Awaited<ReturnType<typeof makeOrg>>

  beforeAll(async () => {
    // Alpha: 1 complaint in 200 delivered (0.5 %); complaints just before the window do not count.
    alpha = await makeOrg('Alpha')
    await addRecipients(alpha, 200)
    await addEvents(alpha, 'spamreport', 1)
    await addEvents(alpha, 'spamreport', 1, hoursAgo(25))
    await addEvents(alpha, 'spamreport', 1, new Date(hoursAgo(24).getTime() - 1000))
    // Bravo: 1 in 1,000 is exactly 0.1 %, not over it; with Alpha's figures mixed in either would change.
    bravo = await makeOrg('Bravo')
    await addRecipients(bravo, 1000)
    await addEvents(bravo, 'spamreport', 1)
    // Charlie: 5 complaints in 50 is 10 %, but 50 messages are under the minimum volume of 100.
    charlie = await makeOrg('Charlie')
    await addRecipients(charlie, 50)
    await addEvents(charlie, 'spamreport', 5)
    // Delta: 7 bounces in 120 sent (100 delivered) is 5.83 % > 5 %; no complaints.
    delta = await makeOrg('Delta')
    await addRecipients(delta, 100)
    await addRecipients(delta, 20, { delivered: false })
    await addEvents(delta, 'bounce', 7)
    await addEvents(delta, 'delivered', 100)
    // Echo: its deliveries were 30 hours ago, outside the window: the complaint has nothing in its window to compare with.
    echo = await makeOrg('Echo')
    await addRecipients(echo, 150, { sentAt: hoursAgo(30) })
    await addEvents(echo, 'spamreport', 1)
  })

  it('emails ALERTS_EMAIL_TO once per org over a threshold, with the figures, window and link; orgs under it or under the volume get nothing', async () => {
    const run = await checkMetricAlerts({ payload, now, env: ENV })
    expect(run.raised).toBeGreaterThanOrEqual(2)
    expect(run.emailFailures).toBe(0)
    await sink.waitFor(2)
    await settle()
    const [alphaMail, ...moreAlpha] = mailsAbout(alpha.name)
    expect(moreAlpha).toHaveLength(0)
    expect(mailsAbout(delta.name)).toHaveLength(1)
    for (const quiet of [bravo, charlie, echo]) expect(mailsAbout(quiet.name), quiet.name).toHaveLength(0)

    expect(alphaMail!.to.sort()).toEqual([...OPS].sort())
    expect(alphaMail!.from).toBe('alerts@outpost.test')
    expect(alphaMail!.parsed.subject).toBe(`[Outpost] Complaint rate 0.5 % (threshold 0.1 %) for ${alpha.name}`)
    const text = alphaMail!.parsed.text!
    expect(text).toContain(`${alpha.name} (org ${alpha.org}): the complaint rate over the last 24 hours is 0.5 %, above the threshold of 0.1 %.`)
    expect(text).toContain('Spam complaints: 1\nMessages delivered: 200\n')
    expect(text).toContain(`Window: ${hoursAgo(24).toISOString()} to ${now.toISOString()} (UTC)`)
    expect(text).toContain(`Open the analytics: https://outpost.example/admin/analytics?org=${alpha.org}&range=24h`)
    expect(alphaMail!.parsed.html).toContain(`<a href="https://outpost.example/admin/analytics?org=${alpha.org}&amp;range=24h">`)
    const deltaText = mailsAbout(delta.name)[0]!.parsed.text!
    expect(mailsAbout(delta.name)[0]!.parsed.subject).toBe(`[Outpost] Bounce rate 5.83 % (threshold 5 %) for ${delta.name}`)
    expect(deltaText).toContain('Bounces: 7\nMessages sent: 120\n')

    const day = now.toISOString().slice(0, 10)
    expect(await alertRows(alpha.org)).toEqual([
      expect.objectContaining({ kind: 'complaint_rate', day, rate: 0.005, threshold: 0.001, numerator: 1, denominator: 200, window_start: hoursAgo(24), window_end: now, email_error: null }),
    ])
    expect((await alertRows(alpha.org))[0].emailed_at).toBeInstanceOf(Date)
    expect(await alertRows(delta.org)).toEqual([expect.objectContaining({ kind: 'bounce_rate', rate: 7 / 120, threshold: 0.05, numerator: 7, denominator: 120 })])
    for (const quiet of [bravo, charlie, echo]) expect(await alertRows(quiet.org)).toEqual([])
  })

  it('sends nothing more within 24 hours, across midnight too: the alert is claimed once per org and kind', async () => {
    const before = sink.messages.length
    const again = await checkMetricAlerts({ payload, now, env: ENV })
    const sameDayLater = new Date(Math.min(now.getTime() + 60_000, Date.parse(`${now.toISOString().slice(0, 10)}T23:59:59.999Z`)))
    const later = await checkMetricAlerts({ payload, now: sameDayLater, env: ENV })
    expect([again.raised, again.emailed, later.raised, later.emailed]).toEqual([0, 0, 0, 0])
    await settle()
    expect(sink.messages.length).toBe(before)
    expect(await alertRows(alpha.org)).toHaveLength(1)
    // Raised late yesterday (UTC), an hour ago: still breaching, but no second alert just after midnight.
    const [{ raised_at: raisedAt }] = (await pool.query('SELECT raised_at FROM metric_alerts WHERE org_id = $1', [alpha.org])).rows
    await pool.query(`UPDATE metric_alerts SET day = day - 1, raised_at = $2 WHERE org_id = $1`, [alpha.org, hoursAgo(1)])
    try {
      const afterMidnight = await checkMetricAlerts({ payload, now, env: ENV })
      expect(afterMidnight.breaches).toBeGreaterThanOrEqual(2)
      expect([afterMidnight.raised, afterMidnight.emailed]).toEqual([0, 0])
      expect(await alertRows(alpha.org)).toHaveLength(1)
    } finally {
      await pool.query(`UPDATE metric_alerts SET day = day + 1, raised_at = $2 WHERE org_id = $1`, [alpha.org, raisedAt])
    }
  })

  it('lists the alerts of the last 24 hours for the given orgs, as the summary and the banner show them', async () => {
    const listed = await listActiveMetricAlerts({ payload, orgIDs: [alpha.org, bravo.org, charlie.org], since: hoursAgo(24) })
    expect(listed).toEqual([
      {
        org: alpha.org,
        orgName: alpha.name,
        kind: 'complaint_rate',
        rate: 0.005,
        threshold: 0.001,
        numerator: 1,
        denominator: 200,
        windowStart: hoursAgo(24).toISOString(),
        windowEnd: now.toISOString(),
        raisedAt: now.toISOString(),
      },
    ])
    expect(await listActiveMetricAlerts({ payload, orgIDs: [bravo.org] })).toEqual([])
    expect(await listActiveMetricAlerts({ payload, orgIDs: [] })).toEqual([])
    const all = await listActiveMetricAlerts({ payload, orgIDs: 'all', since: hoursAgo(24) })
    expect(all.filter((a) => orgs.includes(a.org)).map((a) => [a.org, a.kind]).sort()).toEqual(
      [
        [alpha.org, 'complaint_rate'],
        [delta.org, 'bounce_rate'],
      ].sort(),
    )
    expect(await listActiveMetricAlerts({ payload, orgIDs: [alpha.org], since: new Date(now.getTime() + 1000) })).toEqual([])
  })

  it('two runs at once send one email', async () => {
    const foxtrot = await makeOrg('Foxtrot')
    await addRecipients(foxtrot, 100)
    await addEvents(foxtrot, 'spamreport', 2)
    const runs = await Promise.all([checkMetricAlerts({ payload, now, env: ENV }), checkMetricAlerts({ payload, now, env: ENV })])
    expect(runs.map((r) => r.raised).sort()).toEqual([0, 1])
    expect(runs.reduce((sum, r) => sum + r.emailed, 0)).toBe(1)
    await settle()
    expect(mailsAbout(foxtrot.name)).toHaveLength(1)
    expect(await alertRows(foxtrot.org)).toHaveLength(1)
  })

  it('keeps a failed email pending and sends it on the next run, without a second alert', async () => {
    const golf = await makeOrg('Golf')
    await addRecipients(golf, 100, { delivered: false })
    await addEvents(golf, 'bounce', 6)
    sink.setRecipientRule(() => ({ code: 550, message: 'Mailbox unavailable' }))
    const failed = await checkMetricAlerts({ payload, now, env: ENV })
    sink.setRecipientRule(null)
    expect(failed).toEqual(expect.objectContaining({ raised: 1, emailed: 0, emailFailures: 1 }))
    const [pending] = await alertRows(golf.org)
    expect(pending).toEqual(expect.objectContaining({ kind: 'bounce_rate', numerator: 6, denominator: 100, emailed_at: null }))
    expect(pending.email_error).toMatch(/550|Mailbox unavailable|recipients/i)
    expect(mailsAbout(golf.name)).toHaveLength(0)

    const retried = await checkMetricAlerts({ payload, now, env: ENV })
    expect(retried).toEqual(expect.objectContaining({ raised: 0, emailed: 1, emailFailures: 0 }))
    await sink.waitFor(sink.messages.length)
    await settle()
    expect(mailsAbout(golf.name)).toHaveLength(1)
    const rows = await alertRows(golf.org)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toEqual(expect.objectContaining({ email_error: null, emailed_at: expect.any(Date) }))
    expect((await checkMetricAlerts({ payload, now, env: ENV })).emailed).toBe(0)
  })

  it('without ALERTS_EMAIL_TO records the alert (for the banner) without an email, and mails it once someone is named', async () => {
    const hotel = await makeOrg('Hotel')
    await addRecipients(hotel, 300)
    await addEvents(hotel, 'spamreport', 3)
    const before = sink.messages.length
    const quiet = await checkMetricAlerts({ payload, now, env: { SITE_URL: ENV.SITE_URL } })
    expect(quiet).toEqual(expect.objectContaining({ raised: 1, emailed: 0 }))
    await settle()
    expect(sink.messages.length).toBe(before)
    expect(await alertRows(hotel.org)).toEqual([expect.objectContaining({ numerator: 3, denominator: 300, emailed_at: null, email_error: 'not emailed: ALERTS_EMAIL_TO is not set' })])
    expect((await listActiveMetricAlerts({ payload, orgIDs: [hotel.org], since: hoursAgo(24) })).map((a) => a.kind)).toEqual(['complaint_rate'])

    await checkMetricAlerts({ payload, now, env: ENV })
    await settle()
    expect(mailsAbout(hotel.name)).toHaveLength(1)
  })

  it('runs as the scheduled checkMetricAlerts task on the maintenance queue', async () => {
    const task = payload.config.jobs.tasks?.find((t) => t.slug === 'checkMetricAlerts')
    expect(task?.schedule).toEqual([{ cron: '0 */10 * * * *', queue: 'maintenance' }])
    const india = await makeOrg('India')
    await addRecipients(india, 100, { sentAt: new Date(Date.now() - 3_600_000) })
    await addEvents(india, 'spamreport', 2, new Date(Date.now() - 1_800_000))
    const saved = process.env.ALERTS_EMAIL_TO
    process.env.ALERTS_EMAIL_TO = OPS[0]
    try {
      const queued = await payload.jobs.queue({ task: 'checkMetricAlerts', input: {}, queue: 'maintenance' })
      await payload.jobs.runByID({ id: queued.id })
      // Payload deletes a job that completed; a failed one would stay with its error.
      expect(await payload.findByID({ collection: 'payload-jobs', id: queued.id, disableErrors: true })).toBeNull()
    } finally {
      if (saved === undefined) delete process.env.ALERTS_EMAIL_TO
      else process.env.ALERTS_EMAIL_TO = saved
    }
    expect(await alertRows(india.org)).toEqual([expect.objectContaining({ kind: 'complaint_rate', numerator: 2, denominator: 100, emailed_at: expect.any(Date) })])
    await settle()
    expect(mailsAbout(india.name).map((m) => m.to)).toEqual([[OPS[0]]])
  })
})

describe('alert settings', () => {
  it('reads thresholds as fractions or percentages, the minimum volume, and the recipients; bad values fall back, named', () => {
    expect(metricAlertSettings({})).toEqual({ complaintRate: 0.001, bounceRate: 0.05, minVolume: 100, recipients: [], problems: [] })
    const custom = metricAlertSettings({ ALERT_COMPLAINT_RATE: '0.3%', ALERT_BOUNCE_RATE: '0.02', ALERT_MIN_VOLUME: '500', ALERTS_EMAIL_TO: 'a@x.test,, b@x.test ' })
    expect(custom).toEqual({ complaintRate: 0.003, bounceRate: 0.02, minVolume: 500, recipients: ['a@x.test', 'b@x.test'], problems: [] })
    const bad = metricAlertSettings({ ALERT_COMPLAINT_RATE: '2', ALERT_BOUNCE_RATE: 'lots', ALERT_MIN_VOLUME: '-3' })
    expect([bad.complaintRate, bad.bounceRate, bad.minVolume]).toEqual([0.001, 0.05, 100])
    expect(bad.problems).toHaveLength(3)
    expect(bad.problems[0]).toMatch(/ALERT_COMPLAINT_RATE="2"/)
  })

  it('alerts strictly above a threshold and at the minimum volume or more', () => {
    const settings = { complaintRate: 0.001, bounceRate: 0.05, minVolume: 100 }
    const figures = (f: Partial<{ complaints: number; bounces: number; sent: number; delivered: number }>) => [
      { org: 1, orgName: 'x', complaints: 0, bounces: 0, sent: 0, delivered: 0, ...f },
    ]
    expect(findMetricAlertBreaches(figures({ complaints: 1, delivered: 1000, sent: 1000 }), settings)).toEqual([])
    expect(findMetricAlertBreaches(figures({ complaints: 2, delivered: 1000, sent: 1000 }), settings)).toEqual([
      { org: 1, kind: 'complaint_rate', numerator: 2, denominator: 1000, threshold: 0.001, rate: 0.002 },
    ])
    expect(findMetricAlertBreaches(figures({ complaints: 3, delivered: 99, sent: 200 }), settings)).toEqual([])
    expect(findMetricAlertBreaches(figures({ bounces: 5, sent: 100 }), settings)).toEqual([])
    expect(findMetricAlertBreaches(figures({ bounces: 6, sent: 100 }), settings).map((b) => b.kind)).toEqual(['bounce_rate'])
    expect(findMetricAlertBreaches(figures({ complaints: 1, delivered: 0 }), { ...settings, minVolume: 0 })).toEqual([])
  })
})
