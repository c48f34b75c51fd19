import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { createUnsubscribeToken } from '@/services/unsubscribe/unsubscribe-token'

import { launchBrowser, login, screenshot, confirmInApp } from '../helpers/browser'
import { TEST_ENV } from '../helpers/test-env'

const baseURL = inject('baseURL')
let browser: Browser
let page: Page
let jobID: number
let token: string

const api = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${baseURL}/api${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `JWT ${token}` } : {}) },
  })
  return { status: res.status, body: await res.json() }
}

beforeAll(async () => {
  // A sender composes a job through the API: the demo org's approved default template, three contacts.
  const auth = await api('/users/login', { method: 'POST', body: JSON.stringify({ email: 'sender@demo.test', password: 'demo-password' }) })
  token = auth.body.token
  const org = (await api('/organizations?where[slug][equals]=demo-org')).body.docs[0].id
  const template = (await api(`/email-templates?where[org][equals]=${org}&where[channel][equals]=email&where[status][equals]=approved&limit=1`)).body.docs[0].id
  // Three contacts of its own: other browser tests add (and suppress) contacts of the demo org too.
  const contacts: number[] = []
  for (const n of [1, 2, 3]) {
    const created = await api('/contacts', { method: 'POST', body: JSON.stringify({ org, email: `jobs-e2e-${Date.now()}-${n}@example.com`, firstName: `Jobs${n}` }) })
    expect(created.status).toBe(201)
    contacts.push(created.body.doc.id)
  }
  const job = await api('/email-jobs', { method: 'POST', body: JSON.stringify({ name: `Spring mailing ${Date.now()}`, org, template, contacts }) })
  expect(job.status).toBe(201)
  jobID = job.body.doc.id
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
  await login(page, baseURL, 'sender@demo.test')
})
afterAll(async () => {
  await browser?.close()
})

const statusIs = async (label: string) => {
  await page.waitForFunction((text) => document.querySelector('[data-testid="job-status"]')?.textContent === text, label, { timeout: 20_000 })
}

describe('an email job in the admin', () => {
  it('is queued, paused and cancelled from its page, each step confirmed by the server', async () => {
    await page.goto(`${baseURL}/admin/collections/email-jobs/${jobID}`)
    await page.waitForLoadState('networkidle')
    await statusIs('Draft')
    await page.getByRole('button', { name: 'Queue for sending' }).click()
    await confirmInApp(page)
    await page.getByText('Job queued: 3 to send, 0 excluded.').waitFor({ timeout: 45_000 })
    await statusIs('Queued')
    expect((await api(`/email-jobs/${jobID}`)).body).toEqual(expect.objectContaining({ status: 'queued', total: 3, pending: 3 }))
    await screenshot(page, 'job-queued')

    await page.getByRole('button', { name: 'Pause' }).click()
    await statusIs('Paused')
    await page.getByRole('button', { name: 'Resume' }).waitFor({ timeout: 10_000 })
    expect(await page.getByRole('button', { name: 'Queue for sending' }).count()).toBe(0)

    await page.getByRole('button', { name: 'Cancel job' }).click()
    await confirmInApp(page)
    await statusIs('Cancelled')
    expect((await api(`/email-jobs/${jobID}`)).body.status).toBe('cancelled')
    expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(0)
    await screenshot(page, 'job-cancelled')
  })

  it('the unsubscribe link of a message asks first, then unsubscribes with one click', async () => {
    const org = (await api('/organizations?where[slug][equals]=demo-org')).body.docs[0]
    const address = `reader-${Date.now()}@example.com`
    const token = createUnsubscribeToken({ org: org.id, address, channel: 'email' }, TEST_ENV.PAYLOAD_SECRET)
    const visitor = await browser.newPage({ viewport: { width: 420, height: 700 } })
    await visitor.goto(`${baseURL}/api/unsubscribe/${encodeURIComponent(token)}`)
    expect(await visitor.locator('h1').innerText()).toBe(`Unsubscribe from ${org.name}?`)
    await screenshot(visitor, 'unsubscribe-confirm')
    await visitor.getByRole('button', { name: 'Unsubscribe' }).click()
    await visitor.getByText('You are unsubscribed').waitFor({ timeout: 10_000 })
    expect(await visitor.locator('body').innerText()).toContain(address)
    await screenshot(visitor, 'unsubscribe-done')
    await visitor.close()
  })
})
