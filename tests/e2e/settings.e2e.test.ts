import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { launchBrowser, login, screenshot } from '../helpers/browser'

const baseURL = inject('baseURL')
let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1440, height: 1100 } })
  await login(page, baseURL, 'admin@demo.test')
})
afterAll(async () => {
  await browser?.close()
})

describe('organisation sending settings', () => {
  it('an org admin stores an SMTP password that is never shown again', async () => {
    await page.goto(`${baseURL}/admin/collections/organizations`)
    // Exactly "Demo Org": a role name matches substrings, and other tests make organisations named after it.
    await page.getByRole('link', { name: 'Demo Org', exact: true }).first().click()
    await page.waitForURL(/\/admin\/collections\/organizations\/\d+/, { timeout: 30_000 })
    await page.locator('.tabs-field__tab-button', { hasText: 'Sending' }).click()
    await page.waitForSelector('text=Sending settings', { timeout: 30_000 })
    // Grouped with help text, and a test button.
    for (const section of ['Provider', 'Identity', 'Batching and retries', 'Limits']) await page.waitForSelector(`.collapsible__toggle-wrap >> text=${section}`)
    await page.waitForSelector('button:has-text("Send test email")')
    await page.fill('#field-sending__smtpHost', 'smtp.example.org')
    await page.fill('#field-sending__smtpPassword', 'typed-secret')
    await page.click('#action-save')
    await page.waitForSelector('text=SMTP password stored', { timeout: 30_000 })
    await page.reload()
    await page.locator('.tabs-field__tab-button', { hasText: 'Sending' }).click()
    await page.waitForSelector('#field-sending__smtpPassword', { timeout: 30_000 })
    expect(await page.inputValue('#field-sending__smtpPassword')).toBe('')
    expect(await page.content()).not.toContain('typed-secret')
    await page.locator('text=Sending settings').scrollIntoViewIfNeeded()
    await screenshot(page, 'org-sending-settings')
    await page.locator('.tabs-field__tab-button', { hasText: 'Unsubscribe and opt-out' }).click()
    await page.waitForSelector('text=Opt-out keywords')
    await page.waitForSelector('text=STOPALL')
    await page.waitForSelector('text=Email replies')
    await screenshot(page, 'org-opt-out-keywords')
  })

  it("a contact's page shows its suppression state and its sends", async () => {
    const login = await fetch(`${baseURL}/api/users/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.test', password: 'demo-password' }),
    })
    const { token } = await login.json()
    const api = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${baseURL}/api${path}`, { ...init, headers: { 'Content-Type': 'application/json', Authorization: `JWT ${token}` } })
      return { status: res.status, body: await res.json() }
    }
    const org = (await api('/organizations?where[slug][equals]=demo-org')).body.docs[0].id
    const email = `activity-${Date.now()}@example.com`
    const contact = await api('/contacts', { method: 'POST', body: JSON.stringify({ org, email, firstName: 'Acti', lastName: 'Vity' }) })
    expect(contact.status).toBe(201)
    const suppression = await api('/suppressions', { method: 'POST', body: JSON.stringify({ org, address: email, reason: 'manual', note: 'Asked by phone' }) })
    expect(suppression.status).toBe(201)
    try {
      await page.goto(`${baseURL}/admin/collections/contacts/${contact.body.doc.id}`)
      await page.waitForSelector('.contact-activity', { timeout: 30_000 })
      await page.waitForSelector('.contact-activity__suppressed >> text=Blocked by hand')
      await page.waitForSelector('text=No email has been sent to this contact yet.')
      await page.locator('.contact-activity').scrollIntoViewIfNeeded()
      await screenshot(page, 'contact-activity')
    } finally {
      // Other browser tests pick demo contacts: leave none suppressed behind, whatever happened above.
      const lifted = await api(`/suppressions/${suppression.body.doc.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'lifted', note: 'test over' }) })
      expect(lifted.status).toBe(200)
    }
  })

  it('an email job offers only approved templates', async () => {
    await page.goto(`${baseURL}/admin/collections/email-jobs/create`)
    await page.waitForSelector('#field-template', { timeout: 30_000 })
    await page.locator('#field-template').click()
    await page.waitForSelector('.rs__option', { timeout: 15_000 })
    const options = await page.locator('.rs__option').allInnerTexts()
    expect(options).toContain('Default template')
    await screenshot(page, 'email-job-create')
  })
})
