import fs from 'node:fs'
import path from 'node:path'

import pg from 'pg'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { startOfDate } from '@/services/vocabulary/zoned-days'

import { launchBrowser, login, restClient } from '../helpers/browser'

/**
 * The analytics dashboard at /admin/analytics, on an org of its own (other browser tests send in the
 * demo orgs): one job of 22 recipients and 27 provider events written in SQL at known times yesterday
 * and the day before (UTC), so every figure on the page is known. A second fresh org sees nothing of it.
 *
 * Seeded, by UTC day (D = today):
 *   D-2: 10 queued + 2 excluded at 09:00; 8 sent 10:00, 7 delivered 10:05, 1 bounced 10:06 (`sendgrid:bounce`);
 *        2 refused by the mail server at 09:30 (`550`, never sent); 4 first opens and 1 click at 12:00.
 *   D-1: 10 queued at 09:00; 9 sent 10:00, 8 delivered 10:05, 1 bounced 10:06; 1 refused (`550`);
 *        2 first opens, 1 repeat open, 1 click at 12:00; 1 spam report 11:00; 1 unsubscribe (suppression) 12:00.
 *   Totals: queued 20, excluded 2, sent 17, delivered 15, failed 5 (550 ×3, bounce ×2), bounces 2,
 *   complaints 1, unsubscribed 1, opens 7 (6 unique), clicks 2 (2 unique).
 *   Callback latency of the 27 events: 9 opens/clicks after 1 s, 15 delivered after 2 s, 2 bounces
 *   after 40 s, 1 spam report after 90 s → p50 2 s (rank 14), p95 40 s (rank 26), p99 90 s (rank 27).
 */

const baseURL = inject('baseURL')
const SHOTS = process.env.SCREENSHOT_DIR || '/tmp/outpost-shots'
const PASSWORD = 'analytics-password'
const stamp = Date.now().toString(36)
const ANALYST = `analyst-${stamp}@example.test`
const OUTSIDER = `outsider-${stamp}@example.test`
const DAY = 86_400_000
const today = Math.floor(Date.now() / DAY) * DAY
const at = (daysAgo: number, hh: number, mm = 0, ss = 0) => new Date(today - daysAgo * DAY + ((hh * 60 + mm) * 60 + ss) * 1000)
const isoDay = (daysAgo: number) => new Date(today - daysAgo * DAY).toISOString().slice(0, 10)

let browser: Browser
let page: Page
let org: number
let quietOrg: number
let template: number
const { api, login: loginAPI, created } = restClient(baseURL)

/** Full-page screenshots, light then dark (`data-theme` on <html>), as /tmp/outpost-shots/analytics-<name>-{light,dark}.png. */
const shots = async (name: string) => {
  fs.mkdirSync(SHOTS, { recursive: true })
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme)
    await page.waitForTimeout(250)
    await page.screenshot({ path: path.join(SHOTS, `analytics-${name}-${theme}.png`), fullPage: true })
  }
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'))
}

/** Writes the job, its recipients, the provider events and the unsubscribe described above. */
const seed = async (db: pg.Client) => {
  template = (
    await db.query<{ id: number }>(
      `INSERT INTO email_templates (org_id, name, subject, html, status) VALUES ($1, 'Spring launch', 'Spring is here', '<p>Hello {{unsubscribe_link}}</p>', 'approved') RETURNING id`,
      [org],
    )
  ).rows[0]!.id
  const job = (
    await db.query<{ id: number }>(
      `INSERT INTO email_jobs (org_id, name, template_id, status, total, pending, sent, delivered, failed, excluded, unknown, queued_at, completed_at)
       VALUES ($1, 'Spring launch', $2, 'completed_with_errors', 22, 0, 17, 15, 5, 2, 0, $3, $4) RETURNING id`,
      [org, template, at(2, 9), at(1, 10, 30)],
    )
  ).rows[0]!.id
  type Row = { status: string; created: Date; sent?: Date; delivered?: Date; failed?: Date; code?: string; excluded?: string }
  const rows: Row[] = []
  const day = (d: number, sent: number, delivered: number, refused: number, excluded: number) => {
    for (let i = 0; i < delivered; i++) rows.push({ status: 'delivered', created: at(d, 9), sent: at(d, 10), delivered: at(d, 10, 5) })
    for (let i = delivered; i < sent; i++) rows.push({ status: 'failed', created: at(d, 9), sent: at(d, 10), failed: at(d, 10, 6), code: 'sendgrid:bounce' })
    for (let i = 0; i < refused; i++) rows.push({ status: 'failed', created: at(d, 9), failed: at(d, 9, 30), code: '550' })
    for (let i = 0; i < excluded; i++) rows.push({ status: 'excluded', created: at(d, 9), excluded: 'suppressed' })
  }
  day(2, 8, 7, 2, 2)
  day(1, 9, 8, 1, 0)
  const ids: number[] = []
  for (const [i, r] of rows.entries()) {
    const { rows: inserted } = await db.query<{ id: number }>(
      `INSERT INTO email_recipients (org_id, job_id, email, status, excluded_reason, attempts, provider_code, last_error, provider_message_i_d, sent_at, delivered_at, failed_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
      [
        org,
        job,
        `reader-${i}-${stamp}@example.com`,
        r.status,
        r.excluded ?? null,
        r.status === 'excluded' ? 0 : 1,
        r.code ?? null,
        r.code ? 'Refused' : null,
        r.sent ? `analytics-${stamp}-${i}` : null,
        r.sent ?? null,
        r.delivered ?? null,
        r.failed ?? null,
        r.created,
      ],
    )
    ids.push(inserted[0]!.id)
  }
  // Rows 0–6: D-2 delivered, 7: D-2 bounced, 8–9: D-2 refused, 10–11: excluded, 12–19: D-1 delivered, 20: D-1 bounced, 21: D-1 refused.
  const events: [number, string, Date, number][] = []
  for (const i of [0, 1, 2, 3, 4, 5, 6]) events.push([i, 'delivered', at(2, 10, 5), 2])
  for (const i of [12, 13, 14, 15, 16, 17, 18, 19]) events.push([i, 'delivered', at(1, 10, 5), 2])
  events.push([7, 'bounce', at(2, 10, 6), 40], [20, 'bounce', at(1, 10, 6), 40], [12, 'spamreport', at(1, 11), 90])
  for (const i of [0, 1, 2, 3]) events.push([i, 'open', at(2, 12), 1])
  events.push([0, 'click', at(2, 12, 1), 1])
  for (const i of [13, 14]) events.push([i, 'open', at(1, 12), 1])
  events.push([0, 'open', at(1, 12, 2), 1], [13, 'click', at(1, 12, 1), 1])
  for (const [n, [i, type, occurred, latency]] of events.entries()) {
    await db.query(
      `INSERT INTO webhook_events (provider, channel, event_i_d, type, address, message_i_d, occurred_at, received_at, payload, org_id, job_id, recipient_id, outcome)
       VALUES ('sendgrid', 'email', $1, $2, $3, $4, $5, $6, '{}'::jsonb, $7, $8, $9, 'recorded')`,
      [`analytics-${stamp}-${n}`, type, `reader-${i}-${stamp}@example.com`, `analytics-${stamp}-${i}`, occurred, new Date(occurred.getTime() + latency * 1000), org, job, ids[i]],
    )
  }
  await db.query(
    `INSERT INTO suppressions (org_id, channel, address, reason, source, status, created_at, updated_at) VALUES ($1, 'email', $2, 'unsubscribe', 'unsubscribe link', 'active', $3, $3)`,
    [org, `reader-19-${stamp}@example.com`, at(1, 12)],
  )
  // The alert job's record of the org's complaint rate over the 24 hours before now (it raised it five minutes ago).
  const now = Date.now()
  await db.query(
    `INSERT INTO metric_alerts (org_id, channel, kind, day, rate, threshold, numerator, denominator, window_start, window_end, raised_at)
     VALUES ($1, 'email', 'complaint_rate', $2, $3, 0.001, 1, 15, $4, $5, $5)`,
    [org, new Date(now).toISOString().slice(0, 10), 1 / 15, new Date(now - 300_000 - DAY), new Date(now - 300_000)],
  )
}

beforeAll(async () => {
  await loginAPI('super@demo.test')
  // Its days are UTC days, as the seed's (the zone of a viewer's own is tested below).
  org = await created('super@demo.test', '/organizations', { name: `Analytics Org ${stamp}`, timeZone: 'UTC' })
  quietOrg = await created('super@demo.test', '/organizations', { name: `Quiet Org ${stamp}` })
  await created('super@demo.test', '/users', { email: ANALYST, password: PASSWORD, name: 'Ana Lyst', orgs: [{ org, roles: ['viewer'] }] })
  await created('super@demo.test', '/users', { email: OUTSIDER, password: PASSWORD, name: 'Otto Side', orgs: [{ org: quietOrg, roles: ['admin'] }] })
  const db = new pg.Client({ connectionString: inject('e2eDatabaseURL') })
  await db.connect()
  try {
    await seed(db)
    // The summary reads hours already rolled up from the rollup tables. Another browser test's worker may
    // have run rollupMetrics earlier in this database, so the back-dated hours just seeded would read as the
    // empty rollups of then: drop them all, so every hour is computed live (a later scheduled run
    // recomputes everything from scratch, which is also right).
    await db.query('TRUNCATE metric_rollups, metric_rollup_reasons, metric_rollup_latency')
    await db.query('DELETE FROM metric_rollup_state')
  } finally {
    await db.end()
  }
  browser = await launchBrowser()
  // Wider than Payload's 1440 px breakpoint, so the nav stays open beside the dashboard.
  page = await browser.newPage({ viewport: { width: 1600, height: 1100 } })
})

afterAll(async () => {
  await browser?.close()
})

const open = async (query = '') => {
  await page.goto(`${baseURL}/admin/analytics${query}`)
  await page.locator('[data-testid="analytics"]:not([data-state="loading"])').waitFor({ timeout: 30_000 })
}
const chart = (title: string): Locator => page.getByRole('figure', { name: title })
/** A chart's marks once recharts has measured its box and drawn its svg. */
const drawn = async (figure: Locator): Promise<Locator> => {
  await figure.locator('.recharts-wrapper > svg.recharts-surface').waitFor({ timeout: 15_000 })
  return figure
}
const text = (testID: string) => page.getByTestId(testID).innerText()

describe('the analytics dashboard', () => {
  it('is linked in the nav and shows the seeded figures in the tiles', async () => {
    await login(page, baseURL, ANALYST, PASSWORD)
    await page.goto(`${baseURL}/admin`)
    await page.locator('#nav-analytics').click()
    await page.waitForURL(/\/admin\/analytics$/)
    await page.locator('[data-testid="analytics"][data-state="ready"]').waitFor({ timeout: 30_000 })
    // One org: the org's name as the scope, once the org list has loaded (it loads beside the summary)…
    await expect.poll(() => text('analytics-scope'), { timeout: 15_000 }).toContain(`Analytics Org ${stamp}`)
    // Days are the organisation's (UTC here), and the window says so.
    await expect.poll(() => text('analytics-scope'), { timeout: 15_000 }).toMatch(/ \(UTC\) · per day$/)
    // …and with that list loaded, no selector: it shows only for a super admin or a user of several orgs.
    expect(await page.getByLabel('Organisation').count()).toBe(0)
    expect(await page.getByRole('tab', { name: 'Email' }).getAttribute('aria-selected')).toBe('true')

    const tiles: Record<string, [string, string | null]> = {
      sent: ['17', null],
      delivered: ['15', '88.2%'],
      failed: ['5', null],
      bounces: ['2', '11.8%'],
      complaints: ['1', '6.7%'],
      unsubscribed: ['1', null],
      'unique-opens': ['6', '40%'],
      'unique-clicks': ['2', '13.3%'],
    }
    for (const [key, [value, rate]] of Object.entries(tiles)) {
      expect(await text(`kpi-${key}-value`), key).toBe(value)
      if (rate) expect(await text(`kpi-${key}-rate`), key).toContain(rate)
    }
    // The alert raised for the org, above everything.
    const alert = await text('analytics-alerts')
    expect(alert).toContain(`Analytics Org ${stamp}: complaint rate 6.7% over the 24 hours`)
    expect(alert).toContain('(threshold 0.1%; 1 complaint of 15 delivered)')
    // A complaint rate above Gmail's 0.3 % colours its tile.
    expect(await page.getByTestId('kpi-complaints').getAttribute('class')).toContain('analytics__kpi--error')
  })

  it('draws each chart', async () => {
    const sends = await drawn(chart('Sends by status over time'))
    expect(await sends.locator('.recharts-wrapper > svg.recharts-surface').count()).toBe(1)
    expect(await sends.locator('path.recharts-line-curve').count()).toBe(5)
    expect(await sends.locator('.recharts-legend-item-text').allInnerTexts()).toEqual(['Queued', 'Sent', 'Delivered', 'Failed', 'Excluded'])

    const reasons = await drawn(chart('Failure reasons'))
    expect(await reasons.locator('.recharts-bar-rectangle path').count()).toBe(2)
    expect(await reasons.locator('.recharts-label-list text').allTextContents()).toEqual(['3 · 60%', '2 · 40%'])

    const latency = await drawn(chart('Callback latency'))
    expect(await text('latency-p50')).toBe('2 s')
    expect(await text('latency-p95')).toBe('40 s')
    expect(await text('latency-p99')).toBe('90 s')
    // Buckets hold [previous bound, le): bars for 1–2s (9), 2–5s (15), 30s–1m (2), 1–2m (1).
    expect(await latency.locator('.recharts-bar-rectangle path').count()).toBe(4)

    const complaints = await drawn(chart('Complaint rate'))
    expect(await complaints.locator('path.recharts-line-curve').count()).toBe(1)
    expect(await complaints.locator('.recharts-reference-line').count()).toBe(2)
    expect(await complaints.locator('.recharts-reference-line-line').evaluateAll((lines) => lines.map((l) => l.getAttribute('stroke-dasharray')))).toEqual(['5 4', '5 4'])
    expect(await complaints.locator('svg text').allTextContents()).toEqual(expect.arrayContaining(['0.1% Gmail target', '0.3% Gmail limit']))
    expect(await complaints.innerText()).toContain('1 complaint per 15 delivered')
    // Each point is Gmail's measure, the rate over the trailing 24 hours, and the caption says so.
    expect(await complaints.innerText()).toContain('trailing 24 hours')

    const top = chart('Top templates by engagement')
    const row = top.getByTestId(`top-template-${template}`)
    expect(await row.getByRole('link', { name: 'Spring launch' }).getAttribute('href')).toBe(`/admin/collections/email-templates/${template}`)
    expect((await row.locator('td').allInnerTexts()).map((t) => t.trim())).toEqual(['Spring launch', '17', '15', '40%', '13.3%', '1', '2'])
    await shots('dashboard')
  })

  it('keeps its state in the URL and shows the empty state for a range without data', async () => {
    await page.getByRole('button', { name: 'Custom…' }).click()
    await page.getByLabel('From (UTC)').fill(isoDay(40))
    await page.getByLabel('To (UTC, included)').fill(isoDay(31))
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.getByTestId('analytics-empty').waitFor()
    const url = new URL(page.url())
    expect(url.searchParams.get('from')).toBe(`${isoDay(40)}T00:00:00.000Z`)
    expect(url.searchParams.get('to')).toBe(`${isoDay(30)}T00:00:00.000Z`)
    expect(await text('analytics-empty')).toContain('No messages in this range')
    await shots('empty-range')
    // Refresh asks again even on a custom range, whose request has no "now" in it to change.
    const [again] = await Promise.all([
      page.waitForResponse((res) => res.url().includes('/api/metrics/summary'), { timeout: 15_000 }),
      page.getByTestId('analytics').getByRole('button', { name: 'Refresh', exact: true }).click(),
    ])
    expect(new URL(again.url()).searchParams.get('from')).toBe(`${isoDay(40)}T00:00:00.000Z`)
    await page.locator('[data-testid="analytics"][data-state="ready"] [data-testid="analytics-empty"]').waitFor()

    // The same link opens the same view; its suggestion widens the range back to the data.
    await open(url.search)
    await page.getByTestId('analytics-empty').waitFor()
    await page.getByRole('button', { name: 'Last 90 days' }).click()
    await page.locator('[data-testid="analytics"][data-state="ready"] [data-testid="kpi-sent-value"]').waitFor()
    expect(new URL(page.url()).searchParams.get('range')).toBe('90d')
    expect(await text('kpi-sent-value')).toBe('17')
    // The controls follow: the 90 days pressed, the custom range's inputs closed.
    expect(await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '90 days' }).getAttribute('aria-pressed')).toBe('true')
    expect(await page.getByRole('button', { name: 'Custom…' }).getAttribute('aria-pressed')).toBe('false')
    expect(await page.getByRole('form', { name: 'Custom range' }).count()).toBe(0)
  })

  it('keeps the last 24 hours hourly, since a day bucket would cover up to 48 hours', async () => {
    await open('?range=24h&bucket=day')
    await page.locator('[data-testid="analytics"][data-state="ready"]').waitFor()
    expect(await text('analytics-scope')).toContain('per hour')
    const per = page.getByLabel('Per', { exact: true })
    expect(await per.inputValue()).toBe('hour')
    expect(await per.locator('option[value="day"]').isDisabled()).toBe(true)
  })

  it("shows the endpoint's reason for a bad range", async () => {
    await open(`?from=${isoDay(3)}&to=${isoDay(5)}`)
    expect(await text('analytics-error')).toContain('`from` must be before `to`')
    await shots('bad-range')
  })

  it("shows days in the viewer's own time zone, and reads a custom range as that zone's days", async () => {
    const me = (await api('super@demo.test', `/users?where[email][equals]=${encodeURIComponent(ANALYST)}&depth=0`)).body.docs[0].id
    const set = await api('super@demo.test', `/users/${me}`, { method: 'PATCH', body: JSON.stringify({ timeZone: 'America/New_York' }) })
    expect(set.status, JSON.stringify(set.body)).toBe(200)
    try {
      const [summary] = await Promise.all([page.waitForResponse((res) => res.url().includes('/api/metrics/summary') && new URL(res.url()).searchParams.get('tz') === 'America/New_York', { timeout: 30_000 }), open()])
      const body = (await summary.json()) as { timeZone: string; from: string }
      expect(body.timeZone).toBe('America/New_York')
      // The 7 days start at a New York midnight.
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(body.from))).toBe('00:00')
      await expect.poll(() => text('analytics-scope'), { timeout: 15_000 }).toMatch(/ \(America\/New_York\) · per day$/)
      await page.locator('[data-testid="analytics"][data-state="ready"] [data-testid="kpi-sent-value"]').waitFor()
      expect(await text('kpi-sent-value')).toBe('17')

      await page.getByRole('button', { name: 'Custom…' }).click()
      await page.getByLabel('From (America/New_York)').fill(isoDay(40))
      await page.getByLabel('To (America/New_York, included)').fill(isoDay(31))
      await page.getByRole('button', { name: 'Apply' }).click()
      await page.getByTestId('analytics-empty').waitFor()
      const url = new URL(page.url())
      expect(url.searchParams.get('from')).toBe(new Date(startOfDate(isoDay(40), 'America/New_York')!).toISOString())
      expect(url.searchParams.get('to')).toBe(new Date(startOfDate(isoDay(31), 'America/New_York', 1)!).toISOString())
      expect(url.searchParams.get('from')).toMatch(/T0[45]:00:00\.000Z$/)
    } finally {
      await api('super@demo.test', `/users/${me}`, { method: 'PATCH', body: JSON.stringify({ timeZone: null }) })
    }
  })

  it('shows nothing of the org to a user of another org', async () => {
    await page.context().clearCookies()
    await login(page, baseURL, OUTSIDER, PASSWORD)
    await open()
    expect(await text('analytics-empty')).toContain('No messages in this range')
    expect(await page.getByTestId('kpi-sent-value').count()).toBe(0)
    expect(await page.getByTestId('analytics-alerts').count()).toBe(0)
    await shots('other-org')
    // Asking for the seeded org by id is refused, not answered with its figures.
    await open(`?org=${org}`)
    expect(await text('analytics-error')).toContain('No such organisation')
    expect(await page.getByTestId('kpi-sent-value').count()).toBe(0)
  })

  it('lets a super admin pick the org', async () => {
    await page.context().clearCookies()
    await login(page, baseURL, 'super@demo.test')
    await open()
    await Promise.all([
      page.waitForResponse((res) => res.url().includes('/api/metrics/summary') && new URL(res.url()).searchParams.get('org') === String(org)),
      page.getByTestId('analytics').getByLabel('Organisation').selectOption(String(org)),
    ])
    await page.locator('[data-testid="analytics"][data-state="ready"] [data-testid="kpi-sent-value"]').waitFor()
    expect(new URL(page.url()).searchParams.get('org')).toBe(String(org))
    expect(await text('kpi-sent-value')).toBe('17')
    expect(await text('kpi-unique-opens-rate')).toContain('40%')
    expect(await page.getByLabel('Organisation').locator('option').allInnerTexts()).toEqual(expect.arrayContaining(['All organisations', `Analytics Org ${stamp}`, `Quiet Org ${stamp}`]))
  })

  it('sends an anonymous visitor to the login page', async () => {
    await page.context().clearCookies()
    await page.goto(`${baseURL}/admin/analytics`)
    await page.waitForURL(/\/admin\/login/)
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/admin/analytics')
  })
})
