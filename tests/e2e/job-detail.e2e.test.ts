import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { type SmtpSink, startSmtpSink } from '../fakes/smtp-sink'
import { launchBrowser, login, restClient, confirmInApp } from '../helpers/browser'
import { TEST_ENV } from '../helpers/test-env'

const baseURL = inject('baseURL')
const SHOTS = process.env.SCREENSHOT_DIR || '/tmp/outpost-shots'
let browser: Browser
let page: Page
let sink: SmtpSink
let worker: ChildProcess | undefined
let org: number
let bigJob: number
let smallJob: number
let suppressionID: number
let suppressedAddress: string
let refusedAddress: string
const { api, login: loginAPI } = restClient(baseURL)

/** Light, then dark (Payload's dark theme is `data-theme="dark"` on <html>), as /tmp/outpost-shots/job-<name>-{light,dark}.png. */
const shots = async (name: string, options: { fullPage?: boolean } = {}) => {
  fs.mkdirSync(SHOTS, { recursive: true })
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme)
    await page.waitForTimeout(150)
    await page.screenshot({ path: path.join(SHOTS, `job-${name}-${theme}.png`), fullPage: options.fullPage ?? false })
  }
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'))
}

/** The production server runs no jobs itself: a real `npm run worker` process on the same database sends. */
const startWorker = async (): Promise<ChildProcess> => {
  const child = spawn('node_modules/.bin/tsx', ['src/jobs/worker.ts'], {
    env: {
      ...process.env,
      ...TEST_ENV,
      DATABASE_URL: inject('e2eDatabaseURL'),
      SITE_URL: baseURL,
      NODE_OPTIONS: '--no-deprecation --conditions=development',
      LOG_LEVEL: 'info',
      WORKER_POLL_SECONDS: '0.5',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in 90 s:\n${output}`)), 90_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Worker running')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output}`)))
  })
  return child
}

beforeAll(async () => {
  sink = await startSmtpSink({ parse: false })
  await loginAPI('admin@demo.test')
  await loginAPI('sender@demo.test')
  org = (await api('sender@demo.test', '/organizations?where[slug][equals]=demo-org')).body.docs[0].id
  // Small batches with a pause between them, so the bar visibly moves; the SMTP sink as the server.
  const settings = await api('admin@demo.test', `/organizations/${org}`, {
    method: 'PATCH',
    body: JSON.stringify({
      sending: { provider: 'smtp', smtpHost: '127.0.0.1', smtpPort: sink.port, smtpSecure: false, batchSize: 4, batchDelaySeconds: 1, perMinuteLimit: 10_000, maxRetries: 1 },
    }),
  })
  expect(settings.status, JSON.stringify(settings.body)).toBe(200)

  suppressedAddress = `opted-out-${Date.now()}@example.com`
  const contact = await api('sender@demo.test', '/contacts', { method: 'POST', body: JSON.stringify({ org, email: suppressedAddress, firstName: 'Olive', lastName: 'Optout' }) })
  expect(contact.status, JSON.stringify(contact.body)).toBe(201)
  const suppression = await api('admin@demo.test', '/suppressions', {
    method: 'POST',
    body: JSON.stringify({ org, address: suppressedAddress, channel: 'email', reason: 'unsubscribe', source: 'unsubscribe link', note: 'Asked to stop on the phone as well.' }),
  })
  expect(suppression.status, JSON.stringify(suppression.body)).toBe(201)
  suppressionID = suppression.body.doc.id

  const template = (await api('sender@demo.test', `/email-templates?where[org][equals]=${org}&where[channel][equals]=email&where[status][equals]=approved&limit=1`)).body.docs[0].id
  const docs = (await api('sender@demo.test', `/contacts?where[org][equals]=${org}&where[email][not_equals]=${suppressedAddress}&sort=email&limit=29`)).body.docs
  const others = docs.map((c: { id: number }) => c.id)
  expect(others).toHaveLength(29)
  // One address the mail server refuses for good, so the job ends with an error a person can retry.
  refusedAddress = docs[7].email
  sink.setRecipientRule((address) => (address === refusedAddress ? { code: 550, message: 'No such user here' } : null))
  const make = async (name: string, contacts: number[]) => {
    const job = await api('sender@demo.test', '/email-jobs', { method: 'POST', body: JSON.stringify({ name: `${name} ${Date.now()}`, org, template, contacts }) })
    expect(job.status, JSON.stringify(job.body)).toBe(201)
    return job.body.doc.id as number
  }
  bigJob = await make('Autumn newsletter', [contact.body.doc.id, ...others])
  smallJob = await make('Wrong list', others.slice(0, 5))

  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
  await login(page, baseURL, 'sender@demo.test')
})

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM')
    await new Promise((r) => {
      const timer = setTimeout(() => (worker?.kill('SIGKILL'), r(null)), 10_000)
      worker?.once('exit', () => (clearTimeout(timer), r(null)))
    })
  }
  await browser?.close()
  // Leave the demo org as other browser tests expect it: no active suppression, default batching.
  if (suppressionID) await api('admin@demo.test', `/suppressions/${suppressionID}`, { method: 'PATCH', body: JSON.stringify({ status: 'lifted', note: 'job-detail browser test cleanup' }) })
  if (org) await api('admin@demo.test', `/organizations/${org}`, { method: 'PATCH', body: JSON.stringify({ sending: { batchSize: null, batchDelaySeconds: null, perMinuteLimit: null, maxRetries: null } }) })
  await sink?.close()
})

const openJob = async (id: number) => {
  await page.goto(`${baseURL}/admin/collections/email-jobs/${id}`)
  await page.waitForLoadState('networkidle')
  await page.getByTestId('job-status').waitFor({ timeout: 30_000 })
}

describe('the email job detail page', () => {
  it('queue and cancel each end with a toast, after a confirmation for the cancel', async () => {
    await openJob(smallJob)
    await page.getByRole('button', { name: 'Queue for sending' }).click()
    expect(await confirmInApp(page)).toBe('It will be sent to 5 contacts. From then on its recipients and content are fixed.')
    await page.getByText('Job queued: 5 to send, 0 excluded.').waitFor({ timeout: 20_000 })
    await page.waitForFunction(() => document.querySelector('[data-testid="job-status"]')?.textContent === 'Queued', null, { timeout: 20_000 })
    await shots('queued-toast')

    await page.getByRole('button', { name: 'Cancel job' }).click()
    const asked = await confirmInApp(page)
    await page.getByText('Job cancelled.').waitFor({ timeout: 20_000 })
    expect(asked).toMatch(/^\d+ messages? not yet sent will not be sent/)
    await page.waitForFunction(() => document.querySelector('[data-testid="job-progress"]')?.getAttribute('data-status') === 'cancelled', null, { timeout: 20_000 })
    await shots('cancelled-toast')
    expect((await api('sender@demo.test', `/email-jobs/${smallJob}`)).body.status).toBe('cancelled')
  })

  it('a queued job’s progress bar advances to 100% without a reload while the worker sends to the SMTP sink; a failure shows its error', async () => {
    worker = await startWorker()
    await openJob(bigJob)
    // A marker on window: a reload would wipe it.
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true))
    await page.getByRole('button', { name: 'Queue for sending' }).click()
    await confirmInApp(page)
    await page.getByText('Job queued: 29 to send, 1 excluded.').waitFor({ timeout: 20_000 })

    const seen = new Set<number>()
    const deadline = Date.now() + 60_000
    let midShot = false
    for (;;) {
      const percent = Number(await page.getByTestId('job-progress').getAttribute('data-percent'))
      seen.add(percent)
      if (!midShot && percent > 20 && percent < 90) {
        midShot = true
        await shots('progress-running')
      }
      if (percent === 100) break
      if (Date.now() > deadline) throw new Error(`progress stuck at ${percent}% (seen ${[...seen].join(', ')})`)
      await page.waitForTimeout(250)
    }
    const between = [...seen].filter((p) => p > 3 && p < 100)
    expect(between.length, `intermediate values seen: ${[...seen].join(', ')}`).toBeGreaterThanOrEqual(2)
    await page.waitForFunction(() => document.querySelector('[data-testid="job-status"]')?.textContent === 'Completed with errors', null, { timeout: 20_000 })
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true)
    expect(await page.getByTestId('job-counter-sent').locator('dd').innerText()).toBe('28')
    expect(await page.getByTestId('job-counter-failed').locator('dd').innerText()).toBe('1')
    expect(await page.getByTestId('job-counter-excluded').locator('dd').innerText()).toBe('1')
    expect(await page.getByTestId('job-counter-pending').locator('dd').innerText()).toBe('0')
    expect(sink.messages).toHaveLength(28)

    // The recipient table: server-side pages of 25, filterable.
    await page.getByTestId('recipient-row').first().waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('recipient-row').count()).toBe(25)
    expect(await page.getByTestId('recipients-pager').innerText()).toContain('Page 1 of 2')
    // At 1440 px the table fits its card: no column (Times is the last) is cut off behind a scrollbar.
    const fit = await page.getByTestId('recipients-table').evaluate((table) => ({ table: table.scrollWidth, card: table.parentElement!.clientWidth }))
    expect(fit.table, `table ${fit.table} px in a ${fit.card} px card`).toBeLessThanOrEqual(fit.card)
    await page.getByTestId('recipients-filter-sent').click()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="recipient-row"][data-status="sent"]').length === 25, null, { timeout: 10_000 })
    await page.getByTestId('job-progress').scrollIntoViewIfNeeded()
    await shots('completed')
    await shots('completed-full', { fullPage: true })

    // The failed one, in plain words with the provider's code.
    await page.getByTestId('recipients-filter-failed').click()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="recipient-row"][data-status="failed"]').length === 1, null, { timeout: 10_000 })
    const failed = await page.getByTestId('recipient-row').innerText()
    expect(failed).toContain(refusedAddress)
    expect(failed).toContain('550')
    await shots('failed')
  })

  it('retry failed asks first, toasts, and sends the failed recipient again', async () => {
    sink.setRecipientRule(null)
    await page.getByRole('button', { name: 'Retry 1 failed' }).click()
    const asked = await confirmInApp(page)
    await page.getByText('Failed recipients queued again.').waitFor({ timeout: 20_000 })
    expect(asked).toBe('Try 1 failed recipient once more. Addresses suppressed since are skipped.')
    await page.waitForFunction(() => document.querySelector('[data-testid="job-status"]')?.textContent === 'Completed', null, { timeout: 30_000 })
    expect(await page.getByTestId('job-counter-sent').locator('dd').innerText()).toBe('29')
    expect(await page.getByTestId('job-counter-failed').locator('dd').innerText()).toBe('0')
    expect(sink.messages.filter((m) => m.to.includes(refusedAddress))).toHaveLength(1)
    expect(await page.getByRole('button', { name: /Retry/ }).count()).toBe(0)
    await shots('retried')
  })

  it('the exclusions view shows the suppressed contact with the suppression’s reason, source, note and link', async () => {
    await page.getByTestId('recipients-filter-excluded').click()
    const row = page.getByTestId('exclusion-row')
    await row.first().waitFor({ timeout: 10_000 })
    expect(await row.count()).toBe(1)
    const text = await row.innerText()
    expect(text).toContain(suppressedAddress)
    expect(text).toContain('Olive Optout')
    expect(text).toContain('Unsubscribed')
    expect(text).toContain('unsubscribe link')
    expect(text).toContain('Asked to stop on the phone as well.')
    expect(await row.getByRole('link', { name: `Suppression ${suppressionID}` }).getAttribute('href')).toBe(`/admin/collections/suppressions/${suppressionID}`)
    await page.getByTestId('job-recipients').scrollIntoViewIfNeeded()
    await shots('exclusions')
  })

  it('against a mail server taking about 1 s a message, the page moves at least every 2 s, and Pause says what is still in flight until it settles', async () => {
    const slow = await startSmtpSink({ parse: false, delayMs: 1000 })
    try {
      // One batch for the whole job, as an organisation with default batching would send it.
      const moved = await api('admin@demo.test', `/organizations/${org}`, { method: 'PATCH', body: JSON.stringify({ sending: { smtpPort: slow.port, batchSize: 100, batchDelaySeconds: 0 } }) })
      expect(moved.status, JSON.stringify(moved.body)).toBe(200)
      const template = (await api('sender@demo.test', `/email-templates?where[org][equals]=${org}&where[channel][equals]=email&where[status][equals]=approved&limit=1`)).body.docs[0].id
      const contacts = (await api('sender@demo.test', `/contacts?where[org][equals]=${org}&where[email][not_equals]=${suppressedAddress}&sort=email&limit=29`)).body.docs.map((c: { id: number }) => c.id)
      const job = await api('sender@demo.test', '/email-jobs', { method: 'POST', body: JSON.stringify({ name: `Slow server ${Date.now()}`, org, template, contacts }) })
      expect(job.status).toBe(201)
      await openJob(job.body.doc.id)
      await page.getByRole('button', { name: 'Queue for sending' }).click()
      await confirmInApp(page)

      // Read what the page shows every 100 ms: each change of the Sent counter and when it happened.
      const sentShown = async () => Number(await page.getByTestId('job-counter-sent').locator('dd').innerText())
      const changes: { at: number; sent: number }[] = []
      const deadline = Date.now() + 60_000
      let last = -1
      while (Date.now() < deadline) {
        const sent = await sentShown()
        if (sent !== last) changes.push({ at: Date.now(), sent })
        last = sent
        // Pause well before the end: 29 messages at 1 s each over the pool's 5 connections take about 6 s,
        // and what is on the wire when Pause lands (up to a flush later) still finishes.
        if (sent >= 8) break
        await page.waitForTimeout(100)
      }
      const moves = changes.filter((c) => c.sent > 0)
      expect(moves.length, JSON.stringify(changes)).toBeGreaterThanOrEqual(2)
      for (let i = 1; i < moves.length; i++) expect(moves[i]!.at - moves[i - 1]!.at, JSON.stringify(changes)).toBeLessThanOrEqual(2000)

      // Pause mid-job: messages already handed to the server still complete, and the page says so.
      await page.getByRole('button', { name: 'Pause' }).click()
      await page.getByTestId('job-in-flight').waitFor({ timeout: 10_000 })
      expect(await page.getByTestId('job-in-flight').innerText()).toMatch(/^\d+ messages? in flight: (it finishes|they finish), nothing new starts$/)
      expect(await page.getByTestId('job-progress-status').innerText()).toBe('Pausing…')
      await shots('pausing')
      await page.getByTestId('job-in-flight').waitFor({ state: 'detached', timeout: 30_000 })
      expect(await page.getByTestId('job-progress-status').innerText()).toBe('Paused')
      // Settled: what the page counts as sent is exactly what reached the server, and the rest waits.
      await page.waitForTimeout(2500)
      const sent = await sentShown()
      expect(slow.messages).toHaveLength(sent)
      expect(sent).toBeLessThan(29)
      expect(Number(await page.getByTestId('job-counter-pending').locator('dd').innerText())).toBe(29 - sent)
      await api('sender@demo.test', `/email-jobs/${job.body.doc.id}/cancel`, { method: 'POST' })
    } finally {
      await api('admin@demo.test', `/organizations/${org}`, { method: 'PATCH', body: JSON.stringify({ sending: { smtpPort: sink.port, batchSize: 4, batchDelaySeconds: 1 } }) })
      await slow.close()
    }
  })
})
