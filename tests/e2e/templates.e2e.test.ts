import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { launchBrowser, login, screenshot, confirmInApp } from '../helpers/browser'

const baseURL = inject('baseURL')
let browser: Browser
let page: Page
let templateID: number
const name = `Spring newsletter ${Date.now()}`

const api = async (path: string, init: RequestInit & { token?: string } = {}) => {
  const res = await fetch(`${baseURL}/api${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(init.token ? { Authorization: `JWT ${init.token}` } : {}) },
  })
  return { status: res.status, body: await res.json() }
}

beforeAll(async () => {
  // A sender writes and submits a template through the API.
  const { body: auth } = await api('/users/login', {
    method: 'POST',
    body: JSON.stringify({ email: 'sender@demo.test', password: 'demo-password' }),
  })
  const orgs = await api('/organizations', { token: auth.token })
  const created = await api('/email-templates', {
    method: 'POST',
    token: auth.token,
    body: JSON.stringify({
      name,
      org: orgs.body.docs[0].id,
      subject: 'Spring news for {{first_name}}',
      html: '<h1>Hello {{#if first_name}}{{first_name}}{{else}}friend{{/if}}!</h1><p>Our spring programme is out.</p><p><a href="{{unsubscribe_link}}">Unsubscribe</a></p>',
    }),
  })
  expect(created.status).toBe(201)
  templateID = created.body.doc.id
  const submitted = await api(`/email-templates/${templateID}`, { method: 'PATCH', token: auth.token, body: JSON.stringify({ status: 'pending' }) })
  expect(submitted.body.doc.status).toBe('pending')

  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
})
afterAll(async () => {
  await browser?.close()
})

describe('template approval in the admin', () => {
  it('the submitting sender sees it waiting, with no Approve button', async () => {
    const senderPage = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
    await login(senderPage, baseURL, 'sender@demo.test')
    await senderPage.goto(`${baseURL}/admin/collections/email-templates/${templateID}`)
    await senderPage.waitForSelector('[data-testid="template-status"]', { timeout: 30_000 })
    expect(await senderPage.locator('[data-testid="template-status"]').innerText()).toBe('Waiting for approval')
    await senderPage.getByRole('button', { name: 'Back to draft' }).waitFor({ timeout: 10_000 })
    expect(await senderPage.getByRole('button', { name: 'Approve' }).count()).toBe(0)
    await senderPage.close()
  })

  it('an approver opens a pending template, previews it and approves it', async () => {
    await login(page, baseURL, 'approver@demo.test')
    await page.goto(`${baseURL}/admin/collections/email-templates/${templateID}`)
    await page.waitForSelector('[data-testid="template-status"]', { timeout: 30_000 })
    expect(await page.locator('[data-testid="template-status"]').innerText()).toBe('Waiting for approval')

    // preview renders with the sample contact, then with a chosen contact
    await page.waitForSelector('[data-testid="preview-subject"]', { timeout: 30_000 })
    expect(await page.locator('[data-testid="preview-subject"]').innerText()).toBe('Spring news for Ada')
    const frame = page.frameLocator('iframe[title="Email preview"]')
    await expect(frame.locator('h1').innerText()).resolves.toBe('Hello Ada!')
    await page.selectOption('#preview-contact', { label: 'amara.okafor@example.com' })
    await page.waitForFunction(
      () => document.querySelector('[data-testid="preview-subject"]')?.textContent === 'Spring news for Amara',
      undefined,
      { timeout: 15_000 },
    )
    await page.locator('[data-testid="template-preview"]').scrollIntoViewIfNeeded()
    await screenshot(page, 'template-preview')

    // an approver reviews but does not edit: no "Back to draft"
    expect(await page.getByRole('button', { name: 'Back to draft' }).count()).toBe(0)
    await page.getByRole('button', { name: 'Approve' }).click()
    expect(await confirmInApp(page)).toMatch(/becomes approved: senders of its organisation can queue jobs with it/)
    await page.waitForSelector('text=/Template approved/', { timeout: 15_000 })
    await page.waitForFunction(() => document.querySelector('[data-testid="template-status"]')?.textContent === 'Approved', undefined, {
      timeout: 15_000,
    })
    await screenshot(page, 'template-approved')
  })

  it('the list shows the template approved', async () => {
    await page.goto(`${baseURL}/admin/collections/email-templates`)
    const row = page.locator('tr', { hasText: name })
    await row.waitFor({ timeout: 30_000 })
    expect(await row.innerText()).toContain('Approved')
    await screenshot(page, 'templates-list')
  })
})

describe('audit log in the admin', () => {
  it('an org admin sees the approval, with no way to edit or delete it', async () => {
    const adminPage = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await login(adminPage, baseURL, 'admin@demo.test')
    await adminPage.goto(`${baseURL}/admin/collections/audit-logs`)
    const row = adminPage.locator('tr', { hasText: `Approved: "${name}"` })
    await row.waitFor({ timeout: 30_000 })
    expect(await row.innerText()).toContain('template.approve')
    expect(await adminPage.getByRole('link', { name: /Create New/i }).count()).toBe(0)
    await screenshot(adminPage, 'audit-log')
    await adminPage.close()
  })
})
