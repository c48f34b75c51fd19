import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { launchBrowser, login, restClient, screenshot } from '../helpers/browser'
import { TEST_ENV } from '../helpers/test-env'
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process'

const baseURL = inject('baseURL')
const { api, login: loginAPI, created } = restClient(baseURL)
const stamp = Date.now().toString(36)
let browser: Browser
let page: Page
let worker: WorkerProcess | undefined
let org: number
let templateID: number
const contacts: number[] = []

beforeAll(async () => {
  for (const email of ['admin@demo.test', 'sender@demo.test', 'approver@demo.test']) await loginAPI(email)
  org = (await api('sender@demo.test', '/organizations?where[slug][equals]=demo-org')).body.docs[0].id
  // Six mobiles and one landline (excluded, with its reason).
  for (let n = 0; n < 6; n++) {
    contacts.push(await created('sender@demo.test', '/contacts', { org, email: `texter-${n}-${stamp}@example.com`, firstName: `Texter${n}`, phone: `+44 7400 9${String(10000 + n * 7).slice(-5)}` }))
  }
  contacts.push(await created('sender@demo.test', '/contacts', { org, email: `landline-${stamp}@example.com`, firstName: 'Landline', phone: '+44 20 7946 0999' }))
  templateID = await created('sender@demo.test', '/email-templates', { org, name: `Opening hours ${stamp}`, channel: 'sms', smsBody: 'Hi {{first_name}}, we open at 9. {{opt_out_line}}' })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
})

afterAll(async () => {
  worker?.child.kill('SIGTERM')
  await browser?.close()
})

const counter = () => page.getByTestId('sms-segment-count').innerText()

describe('SMS in the admin', () => {
  it('the SMS template editor counts characters and segments as you type', async () => {
    await login(page, baseURL, 'sender@demo.test')
    await page.goto(`${baseURL}/admin/collections/email-templates/${templateID}`)
    const box = page.locator('#field-smsBody')
    await box.waitFor({ timeout: 30_000 })
    // The sample contact's values fill the placeholders: "Hi Ada, we open at 9. Reply STOP to opt out".
    await expect.poll(counter).toMatch(/^43 characters · GSM-7 · 1 segment \(117 left in this segment\)/)
    // No subject or HTML body for an SMS template.
    expect(await page.locator('#field-subject').count()).toBe(0)
    expect(await page.locator('#field-html').count()).toBe(0)
    await box.fill(`Hi {{first_name}}, ${'x'.repeat(150)} {{opt_out_line}}`)
    await expect.poll(counter).toMatch(/^180 characters · GSM-7 · 2 segments \(126 left in this segment; 153 per segment when split\)/)
    // One emoji makes it UCS-2: 70 a segment, 67 when split.
    await box.fill('Hi {{first_name}} 🎉 we open at 9. {{opt_out_line}}')
    await expect.poll(counter).toMatch(/^45 characters · UCS-2 · 1 segment \(25 left in this segment\)/)
    await screenshot(page, 'sms-template-editor')
    // Without the opt-out line it cannot be saved, and the field says why.
    await box.fill('Hi {{first_name}}, we open at 9.')
    await page.getByRole('button', { name: 'Save' }).first().click()
    await page.getByText('must contain {{opt_out_line}}').first().waitFor({ timeout: 15_000 })
    await box.fill('Hi {{first_name}}, we open at 9. {{opt_out_line}}')
    await page.getByRole('button', { name: 'Save' }).first().click()
    await expect.poll(async () => (await api('sender@demo.test', `/email-templates/${templateID}`)).body.smsBody, { timeout: 15_000 }).toBe('Hi {{first_name}}, we open at 9. {{opt_out_line}}')
    // The sender leaves the editor. Payload's document lock (taken by the editor's form-state calls, one of
    // which may land after the save) would answer the approver's change with 423 Locked until the sender
    // releases it, which the editor does on leaving through the admin's own navigation; a test's page.goto
    // is not that, so the sender releases its own locks on the template, as leaving would.
    await page.goto(`${baseURL}/admin`)
    const locks = await api('sender@demo.test', `/payload-locked-documents?where[document.relationTo][equals]=email-templates&where[document.value][equals]=${templateID}`)
    for (const lock of locks.body.docs) expect((await api('sender@demo.test', `/payload-locked-documents/${lock.id}`, { method: 'DELETE' })).status).toBe(200)
  })

  it('an SMS job goes through the outbox to 100 %, and the SMS outbox lists what would have gone out', async () => {
    expect((await api('sender@demo.test', `/email-templates/${templateID}`, { method: 'PATCH', body: JSON.stringify({ status: 'pending' }) })).status).toBe(200)
    expect((await api('approver@demo.test', `/email-templates/${templateID}`, { method: 'PATCH', body: JSON.stringify({ status: 'approved' }) })).status).toBe(200)
    const jobID = await created('sender@demo.test', '/email-jobs', { org, name: `SMS opening hours ${stamp}`, template: templateID, contacts })
    const queued = await api('sender@demo.test', `/email-jobs/${jobID}/queue`, { method: 'POST' })
    expect(queued.status, JSON.stringify(queued.body)).toBe(200)
    expect(queued.body).toEqual(expect.objectContaining({ total: 7, pending: 6, excluded: 1 }))
    worker = await startWorkerProcess({ ...TEST_ENV, DATABASE_URL: inject('e2eDatabaseURL'), SITE_URL: baseURL, WORKER_POLL_SECONDS: '0.5' })

    await page.goto(`${baseURL}/admin/collections/email-jobs/${jobID}`)
    await page.getByTestId('job-progress').waitFor({ timeout: 30_000 })
    // Live, without a reload: the bar reaches 100 % and the job completes.
    await page.waitForFunction(() => document.querySelector('[data-testid="job-progress"]')?.getAttribute('data-status') === 'completed', null, { timeout: 60_000 })
    expect(await page.getByTestId('job-progress').getAttribute('data-percent')).toBe('100')
    await screenshot(page, 'sms-job-complete')
    // The landline is listed as excluded, with its reason.
    await page.getByRole('tab', { name: /^Excluded/ }).click()
    await page.getByText('Not a mobile number (fixed line)').first().waitFor({ timeout: 15_000 })
    await screenshot(page, 'sms-job-complete')

    await page.goto(`${baseURL}/admin/collections/sms-outbox?where[job][equals]=${jobID}`)
    await page.locator('.table').waitFor({ timeout: 30_000 })
    await expect.poll(() => page.locator('.table tbody tr').count(), { timeout: 15_000 }).toBe(6)
    expect(await page.locator('.table').innerText()).toMatch(/Hi Texter\d, we open at 9\. Reply STOP to opt out/)
    await screenshot(page, 'sms-outbox')
  })

  it('the analytics dashboard has an SMS tab with the job’s figures', async () => {
    page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage()
    await login(page, baseURL, 'admin@demo.test')
    await page.goto(`${baseURL}/admin/analytics`)
    await page.locator('[data-testid="analytics"][data-state="ready"]').waitFor({ timeout: 30_000 })
    // The org list loads beside the summary; a click while it settles may be undone, so click until chosen.
    const smsTab = page.getByRole('tab', { name: 'SMS' })
    await expect
      .poll(async () => {
        if ((await smsTab.getAttribute('aria-selected')) !== 'true') await smsTab.click()
        return smsTab.getAttribute('aria-selected')
      }, { timeout: 15_000 })
      .toBe('true')
    // SMS shows what SMS has: no complaint rate, opens or clicks.
    expect(await page.getByTestId('kpi-bounces').innerText()).toContain('Undelivered')
    expect(await page.getByTestId('kpi-complaints').count()).toBe(0)
    expect(await page.getByRole('figure', { name: 'Complaint rate' }).count()).toBe(0)
    await expect.poll(() => page.getByTestId('kpi-sent-value').innerText(), { timeout: 15_000 }).toMatch(/^\d+$/)
    expect(Number(await page.getByTestId('kpi-sent-value').innerText())).toBeGreaterThanOrEqual(6)
    await screenshot(page, 'analytics-sms-tab')
  })
})
