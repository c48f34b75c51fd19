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
    await page.getByRole('link', { name: 'Demo Org' }).first().click()
    await page.waitForSelector('text=Sending settings', { timeout: 30_000 })
    await page.fill('#field-sending__smtpHost', 'smtp.example.org')
    await page.fill('#field-sending__smtpPassword', 'typed-secret')
    await page.click('#action-save')
    await page.waitForSelector('text=SMTP password stored', { timeout: 30_000 })
    await page.reload()
    await page.waitForSelector('#field-sending__smtpPassword', { timeout: 30_000 })
    expect(await page.inputValue('#field-sending__smtpPassword')).toBe('')
    expect(await page.content()).not.toContain('typed-secret')
    await page.locator('text=Sending settings').scrollIntoViewIfNeeded()
    await screenshot(page, 'org-sending-settings')
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
