import fs from 'node:fs'
import path from 'node:path'

import pg from 'pg'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { launchBrowser, login, restClient } from '../helpers/browser'

/**
 * The engagement panels on a job, a template and a contact page, with data of an org of its own: jobs
 * queued through the API, their recipients marked sent in SQL (no worker needed), and SendGrid events
 * posted to the real webhook.
 */

const baseURL = inject('baseURL')
const SHOTS = process.env.SCREENSHOT_DIR || '/tmp/outpost-shots'
const PASSWORD = 'engagement-password'
const stamp = Date.now().toString(36)
const ORG_ADMIN = `eng-admin-${stamp}@example.test`

let browser: Browser
let page: Page
let org: number
let template: number
let jobA: number
let jobB: number
let jobC: number
let firstContact: number
const { api, login: loginAPI, created } = restClient(baseURL)

/** Light, then dark (Payload's dark theme is `data-theme="dark"` on <html>), as /tmp/outpost-shots/engagement-<name>-{light,dark}.png. */
const shots = async (name: string) => {
  fs.mkdirSync(SHOTS, { recursive: true })
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme)
    await page.waitForTimeout(200)
    await page.screenshot({ path: path.join(SHOTS, `engagement-${name}-${theme}.png`) })
  }
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'))
}

const T = Math.floor(Date.now() / 1000) - 3600
const event = (recipient: { id: number; email: string }, type: string, offset: number, extra: Record<string, unknown> = {}) => ({
  email: recipient.email,
  timestamp: T + offset,
  event: type,
  sg_event_id: `e2e-${stamp}-${recipient.id}-${type}-${offset}`,
  sg_message_id: `e2e-${recipient.id}.filter`,
  outpost_recipient_id: String(recipient.id),
  ...(type === 'bounce' ? { type: 'bounce', status: '5.1.1', reason: '550 5.1.1 No such user' } : {}),
  ...extra,
})
const postEvents = async (events: unknown[]) => {
  const res = await fetch(`${baseURL}/api/callbacks/sendgrid/`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(events) })
  expect(res.status, await res.clone().text()).toBe(200)
}

beforeAll(async () => {
  await loginAPI('super@demo.test')
  org = await created('super@demo.test', '/organizations', { name: `Engagement Org ${stamp}`, slug: `engagement-${stamp}`, postalAddress: '5 Metric Way, Leeds' })
  await created('super@demo.test', '/users', { email: ORG_ADMIN, password: PASSWORD, name: 'Engagement Admin', orgs: [{ org, roles: ['admin'] }] })
  await loginAPI(ORG_ADMIN, PASSWORD)
  // Every new org gets an approved default template; nothing else was sent with it.
  const templates = await api(ORG_ADMIN, `/email-templates?where[org][equals]=${org}&where[channel][equals]=email&where[status][equals]=approved&limit=1&depth=0`)
  template = templates.body.docs[0].id

  const contacts: number[] = []
  for (const [n, name] of ['Ada', 'Ben', 'Cleo', 'Dev'].entries()) {
    contacts.push(await created(ORG_ADMIN, '/contacts', { org, email: `eng-${stamp}-${n}@example.com`, firstName: name, lastName: 'Reader' }))
  }
  firstContact = contacts[0]!
  const job = async (name: string, ids: number[]) => {
    const id = await created(ORG_ADMIN, '/email-jobs', { org, name, template, contacts: ids })
    const queued = await api(ORG_ADMIN, `/email-jobs/${id}/queue`, { method: 'POST' })
    expect(queued.status, JSON.stringify(queued.body)).toBe(200)
    return id
  }
  jobA = await job('Spring newsletter', contacts)
  jobB = await job('Spring follow-up', [firstContact])
  jobC = await job('Summer teaser', contacts.slice(1, 3))

  // As if a worker had sent A and B an hour ago: rows sent, counters from the rows, no trigger left to run.
  const db = new pg.Client({ connectionString: inject('e2eDatabaseURL') })
  await db.connect()
  try {
    await db.query(
      `UPDATE email_recipients SET status = 'sent', sent_at = now() - interval '2 hours', attempts = 1, provider_message_i_d = 'e2e-' || id
        WHERE job_id = ANY($1::int[])`,
      [[jobA, jobB]],
    )
    await db.query(`UPDATE email_jobs SET status = 'completed', pending = 0, sent = total, completed_at = now() - interval '2 hours' WHERE id = ANY($1::int[])`, [[jobA, jobB]])
    await db.query(`DELETE FROM payload_jobs WHERE task_slug = 'sendEmailJob' AND (input->>'jobID')::int = ANY($1::int[])`, [[jobA, jobB, jobC]])
    const rows = async (job: number) => (await db.query<{ id: number; email: string }>('SELECT id, email FROM email_recipients WHERE job_id = $1 ORDER BY email', [job])).rows
    const [a1, a2, a3, a4] = await rows(jobA)
    const [b1] = await rows(jobB)
    // Job A: Ada opens twice and clicks, Ben opens, Cleo bounces, Dev complains. Job B: Ada again, delivered.
    await postEvents([event(a1!, 'delivered', 10), event(a1!, 'open', 100), event(a1!, 'open', 200), event(a1!, 'click', 300)])
    await postEvents([event(a2!, 'delivered', 11), event(a2!, 'open', 150), event(a3!, 'bounce', 12)])
    await postEvents([event(a4!, 'delivered', 13)])
    await postEvents([event(a4!, 'spamreport', 400)])
    await postEvents([event(b1!, 'delivered', 1000)])
  } finally {
    await db.end()
  }

  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1440, height: 1100 } })
  await login(page, baseURL, ORG_ADMIN, PASSWORD)
})

afterAll(async () => {
  await browser?.close()
})

const rateText = (key: string) => page.getByTestId(`engagement-rate-${key}`).locator('.engagement__rate-value').innerText()
const rateCount = (key: string) => page.getByTestId(`engagement-rate-${key}`).locator('.engagement__rate-count').innerText()

describe('engagement panels in the admin', () => {
  it('the job page shows each rate with its counts', async () => {
    await page.goto(`${baseURL}/admin/collections/email-jobs/${jobA}`)
    const panel = page.locator('[data-testid="job-engagement"][data-state="ready"]')
    await panel.waitFor({ timeout: 30_000 })
    expect(await rateText('delivery')).toBe('75%')
    expect(await rateCount('delivery')).toBe('3 of 4 sent')
    expect(await rateText('open')).toBe('66.7%')
    expect(await rateCount('open')).toBe('2 of 3 delivered')
    expect(await rateText('click')).toBe('33.3%')
    expect(await rateText('bounce')).toBe('25%')
    expect(await rateCount('bounce')).toBe('1 of 4 sent')
    expect(await rateText('complaint')).toBe('33.3%')
    expect(await rateText('unsubscribe')).toBe('0%')
    expect(await page.getByTestId('engagement-count-opens').getAttribute('data-value')).toBe('3')
    expect(await page.getByTestId('engagement-count-clicks').getAttribute('data-value')).toBe('1')
    // The provider-accepted count, named apart from the progress card's "Sent" counter.
    expect(await page.getByTestId('engagement-count-sent').locator('dt').innerText()).toBe('Accepted')
    expect(await page.getByTestId('engagement-count-sent').getAttribute('data-value')).toBe('4')
    expect(await page.getByRole('meter', { name: 'Marked as spam: 33.3% of delivered' }).getAttribute('aria-valuenow')).toBe('33.3')
    expect(await page.getByTestId('engagement-complaint-note').innerText()).toMatch(/0\.3 % limit/)
    // Dev's message was delivered, then marked as spam: the progress counts it failed (Delivered 2), the
    // engagement delivered (3 of 4). The panel names the difference and when it read its figures.
    expect(await page.getByTestId('job-counter-delivered').locator('dd').innerText()).toBe('2')
    expect(await page.getByTestId('job-engagement-note').innerText()).toBe(
      'Delivered here counts every delivery the provider confirmed, also the 1 message that bounced or was marked as spam afterwards; the progress above counts it as failed.',
    )
    expect(await page.getByTestId('job-engagement-as-of').innerText()).toMatch(/^as of \d{2}:\d{2}$/)
    await panel.scrollIntoViewIfNeeded()
    await page.evaluate(() => window.scrollBy(0, -80))
    await shots('job')
  })

  it('a queued job that sent nothing yet says so', async () => {
    await page.goto(`${baseURL}/admin/collections/email-jobs/${jobC}`)
    const panel = page.locator('[data-testid="job-engagement"][data-state="empty"]')
    await panel.waitFor({ timeout: 30_000 })
    expect(await panel.innerText()).toContain('No messages sent yet.')
    // Its recipients are there (waiting), so the counts show, and no rate pretends to be a meter.
    expect(await panel.getByTestId('engagement-count-sent').getAttribute('data-value')).toBe('0')
    expect(await panel.getByRole('meter').count()).toBe(0)
    await panel.scrollIntoViewIfNeeded()
    await page.evaluate(() => window.scrollBy(0, -80))
    await shots('job-empty')
  })

  it('the template page adds up its jobs and lists each one', async () => {
    await page.goto(`${baseURL}/admin/collections/email-templates/${template}`)
    const panel = page.locator('[data-testid="template-engagement"][data-state="ready"]')
    await panel.waitFor({ timeout: 30_000 })
    expect(await rateText('delivery')).toBe('80%')
    expect(await rateCount('delivery')).toBe('4 of 5 sent')
    expect(await rateText('open')).toBe('50%')
    expect(await rateText('click')).toBe('25%')
    expect(await rateText('bounce')).toBe('20%')
    expect(await rateText('complaint')).toBe('25%')
    const rows = page.getByTestId('template-engagement-jobs').locator('tbody tr')
    expect(await rows.count()).toBe(3)
    const cells = async (job: number) => (await page.locator(`tr[data-job="${job}"] td`).allInnerTexts()).map((t) => t.trim())
    // Job, queued, sent, delivered, open, click, bounce, spam.
    expect((await cells(jobA)).slice(2)).toEqual(['4', '3', '66.7%', '33.3%', '25%', '33.3%'])
    expect((await cells(jobB)).slice(2)).toEqual(['1', '1', '0%', '0%', '0%', '0%'])
    expect((await cells(jobC)).slice(2)).toEqual(['0', '0', '—', '—', '—', '—'])
    expect((await cells(jobA))[0]).toContain('Spring newsletter')
    await panel.scrollIntoViewIfNeeded()
    await page.evaluate(() => window.scrollBy(0, -80))
    await shots('template')
  })

  it('the contact page shows what the contact did and its latest events', async () => {
    await page.goto(`${baseURL}/admin/collections/contacts/${firstContact}`)
    const section = page.getByTestId('contact-engagement-email')
    await section.waitFor({ timeout: 30_000 })
    const figure = (key: string) => page.getByTestId(`contact-engagement-${key}`).getAttribute('data-value')
    expect([await figure('sent'), await figure('delivered'), await figure('opened'), await figure('clicked'), await figure('bounced'), await figure('complained')]).toEqual(['2', '2', '1', '1', '0', '0'])
    const events = page.locator('.contact-activity__events li')
    expect(await events.evaluateAll((items) => items.map((li) => li.getAttribute('data-type')))).toEqual(['delivered', 'click', 'open', 'open', 'delivered'])
    expect(await events.first().innerText()).toContain('Spring follow-up')
    await section.scrollIntoViewIfNeeded()
    await page.evaluate(() => window.scrollBy(0, -120))
    await shots('contact')
  })

  it('a user of another org is told the job does not exist', async () => {
    await loginAPI('admin@other.test')
    const res = await api('admin@other.test', `/email-jobs/${jobA}/engagement`)
    expect(res.status).toBe(404)
  })
})
