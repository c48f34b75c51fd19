/**
 * Audiences in the browser, end to end on the production build: an org admin imports a CSV (the file
 * uses `;`, a header the mapping has to guess, bad rows and a duplicate), watches the progress move to
 * the end without reloading, downloads the rows that were not imported, builds a segment on the tag the
 * import gave and sees its live count, and a job to that segment queues with that many recipients.
 * A real worker process (`src/jobs/worker.ts`, the `imports` queue only) runs the import.
 */
import type { ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { parse } from 'csv-parse/sync'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { launchBrowser, login, screenshot, confirmInApp } from '../helpers/browser'
import { TEST_ENV } from '../helpers/test-env'
import { startWorkerProcess } from '../helpers/worker-process'

const baseURL = inject('baseURL')
const databaseURL = inject('e2eDatabaseURL')
const run = Date.now()
const tag = `fair-${run}`
const GOOD = 24
let browser: Browser
let page: Page
let worker: ChildProcess
let token: string
let org: number
let importID: number
let segmentID: number

const api = async (urlPath: string, init: RequestInit = {}) => {
  const res = await fetch(`${baseURL}/api${urlPath}`, { ...init, headers: { 'Content-Type': 'application/json', Authorization: `JWT ${token}` } })
  return { status: res.status, body: await res.json() }
}

/** The CSV: GOOD new contacts (a third of them without the tag), two bad addresses, one duplicate line. */
const csvFile = () => {
  const lines = ['E-mail address;Given name;Surname;Mobile;Labels']
  for (let i = 1; i <= GOOD; i++) lines.push(`  Reader.${i}.${run}@Example.org ;Reader${i};Fair;07700 900${String(100 + i)};${i % 3 === 0 ? 'press' : `${tag},donor`}`)
  lines.push(`not-an-address;Broken;Row;;${tag}`)
  lines.push(`reader.1.${run}@example.org;Again;Duplicate;;${tag}`)
  lines.push(`also@@broken;Second;Bad;;${tag}`)
  const file = path.join(os.tmpdir(), `outpost-e2e-import-${run}.csv`)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}
const TAGGED = Array.from({ length: GOOD }, (_, i) => i + 1).filter((i) => i % 3 !== 0).length

beforeAll(async () => {
  token = (await (await fetch(`${baseURL}/api/users/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.test', password: 'demo-password' }) })).json()).token
  org = (await api('/organizations?where[slug][equals]=demo-org')).body.docs[0].id
  worker = (await startWorkerProcess({ ...TEST_ENV, DATABASE_URL: databaseURL, WORKER_QUEUES: 'imports' })).child
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true })
  await login(page, baseURL, 'admin@demo.test')
}, 120_000)
afterAll(async () => {
  await browser?.close()
  worker?.kill('SIGKILL')
})

describe('audiences in the admin', () => {
  it('imports a CSV with a mapping, shows live progress to the end, and gives the rows not imported as CSV', async () => {
    await page.goto(`${baseURL}/admin/collections/imports/create`)
    await page.getByTestId('import-file').setInputFiles(csvFile())
    await page.waitForURL(/imports\/\d+$/, { timeout: 30_000 })
    importID = Number(/imports\/(\d+)$/.exec(page.url())![1])
    await page.getByTestId('import-preview').waitFor({ timeout: 30_000 })
    // The delimiter was detected and the headers mapped; the preview shows the first rows.
    expect(await page.getByTestId('import-delimiter').locator('option:checked').innerText()).toContain('Detect')
    const preview = await page.getByTestId('import-preview').innerText()
    expect(preview).toContain('Reader1')
    const mapped = await page.getByTestId('import-preview').locator('thead select').evaluateAll((selects) => selects.map((s) => (s as HTMLSelectElement).value))
    expect(mapped).toEqual(['email', 'firstName', 'lastName', 'phone', 'tags'])
    await page.getByTestId('import-country').selectOption('GB')
    await screenshot(page, 'import-mapping')

    // Every status the page shows, as it shows it (no reload).
    await page.evaluate(() => {
      const seen: string[] = []
      ;(window as unknown as { importStatuses: string[] }).importStatuses = seen
      const note = () => {
        const status = document.querySelector('[data-testid="import-progress"]')?.getAttribute('data-status')
        if (status && seen.at(-1) !== status) seen.push(status)
      }
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] })
    })
    await page.getByRole('button', { name: 'Start the import' }).click()
    await page.getByTestId('import-progress').waitFor({ timeout: 20_000 })
    await page.waitForFunction(() => document.querySelector('[data-testid="import-progress"]')?.getAttribute('data-status') === 'completed_with_errors', undefined, { timeout: 60_000 })
    const statuses = await page.evaluate(() => (window as unknown as { importStatuses: string[] }).importStatuses)
    expect(statuses[0]).toMatch(/^(queued|running)$/)
    expect(statuses.at(-1)).toBe('completed_with_errors')
    expect(await page.getByTestId('import-percent').innerText()).toBe('100%')
    const counter = async (key: string) => Number((await page.getByTestId(`import-count-${key}`).locator('dd').innerText()).replace(/\D/g, ''))
    expect(await counter('rowsRead')).toBe(GOOD + 3)
    expect(await counter('created')).toBe(GOOD)
    expect(await counter('failed')).toBe(2)
    expect(await counter('skipped')).toBe(1)
    await page.waitForTimeout(500) // the bar's width transition
    await screenshot(page, 'import-done')
    // What the page showed is what the server holds.
    const doc = (await api(`/imports/${importID}?depth=0`)).body
    expect(doc).toEqual(expect.objectContaining({ status: 'completed_with_errors', progress: expect.objectContaining({ created: GOOD, failed: 2, skipped: 1 }) }))
    const imported = (await api(`/contacts?where[email][equals]=reader.2.${run}@example.org&depth=0`)).body.docs
    expect(imported).toEqual([expect.objectContaining({ firstName: 'Reader2', phone: '+447700900102', tags: [tag, 'donor'] })])

    // The rows not imported, with their line and why.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-problems').click()])
    const rows = parse(readFileSync((await download.path())!, 'utf8'), { columns: true, bom: true }) as Record<string, string>[]
    expect(rows.map((row) => row.line)).toEqual([String(GOOD + 2), String(GOOD + 3), String(GOOD + 4)])
    expect(rows[0]!.error).toMatch(/address/i)
    expect(rows[1]!.error).toContain('as line 2 of this file')
    expect(rows[1]!['E-mail address']).toBe(`reader.1.${run}@example.org`)
  })

  it('builds a segment on the imported tag and shows its live count', async () => {
    await page.goto(`${baseURL}/admin/collections/segments/create`)
    await page.waitForLoadState('networkidle')
    await page.fill('input[name="name"]', `Fair donors ${run}`)
    const tags = page.getByLabel('Condition 1: tags')
    await tags.fill(tag)
    await tags.press('Enter')
    await page.waitForFunction((n) => document.querySelector('[data-testid="segment-count-value"]')?.textContent === String(n), TAGGED, { timeout: 20_000 })
    await screenshot(page, 'segment-count')
    await page.locator('#action-save').click()
    await page.waitForURL(/segments\/\d+$/, { timeout: 20_000 })
    segmentID = Number(/segments\/(\d+)$/.exec(page.url())![1])
    expect((await api(`/segments/${segmentID}/count`)).body).toEqual(expect.objectContaining({ count: TAGGED }))
  })

  it('a job to that segment shows the audience and queues with the right total', async () => {
    const template = (await api(`/email-templates?where[org][equals]=${org}&where[channel][equals]=email&where[status][equals]=approved&limit=1`)).body.docs[0].id
    const created = await api('/email-jobs', { method: 'POST', body: JSON.stringify({ org, name: `Fair follow-up ${run}`, template }) })
    expect(created.status).toBe(201)
    const jobID = created.body.doc.id
    await page.goto(`${baseURL}/admin/collections/email-jobs/${jobID}`)
    await page.waitForLoadState('networkidle')
    expect(await page.getByTestId('audience-summary').innerText()).toContain('Nobody yet')
    // The segment, chosen in the relationship field as a user would.
    const field = page.locator('#field-audience__segments')
    await field.click()
    await page.keyboard.type(`Fair donors ${run}`)
    await page.locator('.rs__option', { hasText: `Fair donors ${run}` }).click()
    await page.waitForFunction((n) => document.querySelector('[data-testid="audience-total"]')?.textContent === String(n), TAGGED, { timeout: 20_000 })
    await page.locator('#action-save').click()
    let saved: unknown = null
    for (let tries = 0; tries < 40 && !Array.isArray(saved); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500))
      const segments = (await api(`/email-jobs/${jobID}?depth=0`)).body.audience?.segments
      if (Array.isArray(segments) && segments.length) saved = segments
    }
    expect(saved).toEqual([segmentID])
    await page.waitForLoadState('networkidle')
    await screenshot(page, 'job-segment-audience')

    await page.getByRole('button', { name: 'Queue for sending' }).click()
    await confirmInApp(page)
    await page.getByText(`Job queued: ${TAGGED} to send, 0 excluded.`).waitFor({ timeout: 20_000 })
    expect((await api(`/email-jobs/${jobID}`)).body).toEqual(expect.objectContaining({ status: 'queued', total: TAGGED }))
  })
})
