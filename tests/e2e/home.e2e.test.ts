import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { launchBrowser, login, restClient, screenshot } from '../helpers/browser'

const baseURL = inject('baseURL')
const { api, login: loginAPI, created } = restClient(baseURL)
const stamp = Date.now().toString(36)
let browser: Browser
let org: number
let waitingTemplate: number

/** What the API says the user may see: the figure a tile must show. */
const total = async (as: string, path: string) => (await api(as, `${path}&limit=1`)).body.totalDocs as number

const openHome = async (email: string, theme: 'light' | 'dark' = 'light') => {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: theme })).newPage()
  await login(page, baseURL, email)
  await page.goto(`${baseURL}/admin`)
  await page.getByTestId('home').waitFor({ timeout: 30_000 })
  return page
}

beforeAll(async () => {
  for (const email of ['admin@demo.test', 'sender@demo.test', 'approver@demo.test', 'viewer@demo.test']) await loginAPI(email)
  org = (await api('sender@demo.test', '/organizations?where[slug][equals]=demo-org')).body.docs[0].id
  // Something waits for the approver: a template submitted for approval.
  waitingTemplate = await created('sender@demo.test', '/email-templates', { org, name: `Waiting ${stamp}`, subject: 'Hi', html: '<p>Hi {{unsubscribe_link}}</p>' })
  expect((await api('sender@demo.test', `/email-templates/${waitingTemplate}`, { method: 'PATCH', body: JSON.stringify({ status: 'pending' }) })).status).toBe(200)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  // Leave the demo org as the other browser tests expect it.
  if (waitingTemplate) await api('sender@demo.test', `/email-templates/${waitingTemplate}`, { method: 'DELETE' })
})

describe('the home page', () => {
  it('shows the approver the templates waiting for approval, with the count the API gives, linking to the filtered list', async () => {
    const page = await openHome('approver@demo.test')
    const expected = await total('approver@demo.test', '/email-templates?where[status][equals]=pending')
    expect(expected).toBeGreaterThan(0)
    await expect.poll(() => page.getByTestId('home-templates-count').innerText(), { timeout: 15_000 }).toBe(String(expected))
    const review = await total('approver@demo.test', '/suppressions?where[status][equals]=pending_review')
    await expect.poll(() => page.getByTestId('home-review-count').innerText(), { timeout: 15_000 }).toBe(String(review))
    // The approver reviews, it does not run jobs: no jobs tile.
    expect(await page.getByTestId('home-jobs').count()).toBe(0)
    await page.getByTestId('home-week').getByText('Open Analytics').waitFor()
    await screenshot(page, 'home-approver-light')
    await page.getByTestId('home-templates').click()
    await page.waitForURL(/\/admin\/collections\/email-templates\?where/)
    await page.getByText(`Waiting ${stamp}`).first().waitFor({ timeout: 15_000 })
  })

  it('shows each role only what it can act on', async () => {
    const viewer = await openHome('viewer@demo.test')
    await viewer.getByTestId('home-unread').waitFor()
    for (const tile of ['templates', 'review', 'jobs', 'unlinked']) expect(await viewer.getByTestId(`home-${tile}`).count(), tile).toBe(0)
    await screenshot(viewer, 'home-viewer-light')
    // No control that would answer 403: a viewer gets no "Send a test to me" on a template; a sender does.
    const templateID = (await api('viewer@demo.test', '/email-templates?where[channel][equals]=email&limit=1')).body.docs[0].id
    await viewer.goto(`${baseURL}/admin/collections/email-templates/${templateID}`)
    await viewer.getByText('Preview', { exact: true }).first().waitFor({ timeout: 30_000 })
    expect(await viewer.getByRole('button', { name: 'Send a test to me' }).count()).toBe(0)
    const sender = await openHome('sender@demo.test', 'dark')
    await sender.getByTestId('home-jobs').waitFor()
    await sender.getByTestId('home-unlinked').waitFor()
    expect(await sender.getByTestId('home-templates').count()).toBe(0)
    await expect.poll(() => sender.getByTestId('home-jobs-count').innerText(), { timeout: 15_000 }).toBe(String(await total('sender@demo.test', '/email-jobs?where[status][in]=failed,paused')))
    await screenshot(sender, 'home-sender-dark')
    await sender.goto(`${baseURL}/admin/collections/email-templates/${templateID}`)
    await sender.getByRole('button', { name: 'Send a test to me' }).waitFor({ timeout: 30_000 })
    const admin = await openHome('admin@demo.test')
    for (const tile of ['templates', 'review', 'jobs', 'unlinked', 'unread']) await admin.getByTestId(`home-${tile}`).waitFor()
    await screenshot(admin, 'home-admin-light')
  })
})
