import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { demoContacts } from '@/seed/demo-data'

import { launchBrowser, login, screenshot } from '../helpers/browser'

const baseURL = inject('baseURL')

const openNav = async (p: Page) => {
  // The nav remembers its state; decide only once the page has hydrated, or a click closes it again.
  await p.waitForLoadState('networkidle')
  await p.waitForSelector('.nav-toggler', { timeout: 15_000 })
  if ((await p.locator('.nav--nav-open').count()) === 0) await p.click('.nav-toggler')
  await p.waitForSelector('.nav--nav-open', { timeout: 15_000 })
  await p.waitForTimeout(500) // let the slide-in transition finish before a screenshot
}
let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
})
afterAll(async () => {
  await browser?.close()
})

describe('admin panel (production build)', () => {
  it('a super admin logs in and sees the dashboard with the organisation selector', async () => {
    const superPage = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await login(superPage, baseURL, 'super@demo.test')
    await superPage.waitForSelector('.dashboard', { timeout: 30_000 })
    const selector = superPage.locator('.tenant-selector').first()
    await openNav(superPage)
    await selector.waitFor({ state: 'visible', timeout: 15_000 })
    expect(await selector.textContent()).toContain('Organisation')
    await screenshot(superPage, 'dashboard-super')
    await selector.locator('.rs__control').click()
    const options = await superPage.locator('.rs__option').allInnerTexts()
    expect(options).toEqual(expect.arrayContaining(['Demo Org', 'Other Org']))
    await superPage.locator('.rs__option', { hasText: 'Demo Org' }).click()
    // with Demo Org selected, the list holds Demo Org's contacts and none of Other Org's
    await superPage.goto(`${baseURL}/admin/collections/contacts?limit=100`)
    await superPage.waitForSelector('text=amara.okafor@example.com', { timeout: 30_000 })
    const listed = await superPage.locator('body').innerText()
    for (const contact of demoContacts(5, 50)) expect(listed).not.toContain(contact.email)
    await openNav(superPage)
    await screenshot(superPage, 'contacts-super-demo-org')
    await superPage.close()
  })

  it('an org admin logs in and sees the dashboard', async () => {
    await login(page, baseURL, 'admin@demo.test')
    await page.waitForSelector('.dashboard', { timeout: 30_000 })
    expect(await page.locator('.dashboard').innerText()).toContain('Contacts')
    await screenshot(page, 'dashboard')
  })

  it('creates a contact and finds it in the list', async () => {
    await page.goto(`${baseURL}/admin/collections/contacts/create`)
    await page.waitForLoadState('networkidle')
    await page.fill('#field-firstName', 'Grace')
    await page.fill('#field-lastName', 'Hopper')
    await page.fill('#field-email', 'Grace.Hopper@Example.COM')
    await page.click('#action-save')
    await page.waitForURL(/\/admin\/collections\/contacts\/\d+/, { timeout: 30_000 })
    await page.goto(`${baseURL}/admin/collections/contacts?limit=100`)
    await page.waitForSelector('text=grace.hopper@example.com')
    await screenshot(page, 'contacts-list')
  })

  it('shows a field error for an invalid email and keeps the input', async () => {
    await page.goto(`${baseURL}/admin/collections/contacts/create`)
    // Typing before the form has hydrated can be lost (React resets the inputs): wait for quiet first.
    await page.waitForLoadState('networkidle')
    await page.fill('#field-firstName', 'Broken')
    await page.fill('#field-email', 'not-an-email')
    await page.click('#action-save')
    await page.waitForSelector('text=/not a valid email/i', { timeout: 15_000 })
    expect(await page.inputValue('#field-firstName')).toBe('Broken')
    await screenshot(page, 'contact-field-error')
  })

  it("another org's admin does not see Demo Org's contacts", async () => {
    const other = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await login(other, baseURL, 'admin@other.test')
    await other.goto(`${baseURL}/admin/collections/contacts?limit=100`)
    await other.waitForSelector('.collection-list, .table', { timeout: 30_000 })
    const text = await other.locator('body').innerText()
    expect(text).not.toContain('grace.hopper@example.com')
    expect(text).not.toContain('amara.okafor@example.com')
    await screenshot(other, 'other-org-contacts')
    await other.close()
  })
})
