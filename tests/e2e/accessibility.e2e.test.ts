import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { seriousAxeFindings } from '../helpers/axe'
import { launchBrowser, login, restClient } from '../helpers/browser'

/**
 * axe-core finds no serious or critical issue on the pages people work in, light and dark: Outpost's
 * own components, the nav, and Payload's controls (named by AccessibleControls).
 */

const baseURL = inject('baseURL')
const { api, created, login: loginAPI } = restClient(baseURL)
const stamp = Date.now().toString(36)
let browser: Browser
let jobID: number
let templateID: number

const open = async (theme: 'light' | 'dark'): Promise<Page> => {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: theme, bypassCSP: true })).newPage()
  await login(page, baseURL, 'admin@demo.test')
  return page
}

beforeAll(async () => {
  await loginAPI('admin@demo.test')
  const org = (await api('admin@demo.test', '/organizations?where[slug][equals]=demo-org')).body.docs[0].id
  templateID = (await api('admin@demo.test', `/email-templates?where[org][equals]=${org}&where[channel][equals]=email&where[status][equals]=approved&limit=1&depth=0`)).body.docs[0].id
  jobID = await created('admin@demo.test', '/email-jobs', { org, name: `A11y job ${stamp}`, template: templateID })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  if (jobID) await api('admin@demo.test', `/email-jobs/${jobID}`, { method: 'DELETE' })
})

/** Outpost's own parts of the pages, and the nav. */
const OURS = ['.nav__wrap', '[data-testid="home"]', '[data-testid="job-progress"]', '.job-actions', '[data-testid="template-status"]', '[data-testid="recipient-picker"]', '[data-testid="audience-summary"]', '[data-testid="analytics"]', '.inbox', '[data-testid="invitations"]']

/** `A11Y_SCOPE=ours` checks only Outpost's parts; by default the whole page, Payload's controls included. */
const SCOPE = process.env.A11Y_SCOPE === 'ours' ? 'ours' : 'page'
const presentOf = async (page: Page) => {
  const present: string[] = []
  for (const selector of OURS) if (await page.locator(selector).count()) present.push(selector)
  return present
}

const PAGES: [string, () => string, string][] = [
  ['home', () => '/admin', '[data-testid="home"]'],
  ['job page', () => `/admin/collections/email-jobs/${jobID}`, '[data-testid="job-progress"]'],
  ['template page', () => `/admin/collections/email-templates/${templateID}`, '[data-testid="template-status"]'],
  ['picker', () => '/admin/collections/email-jobs/create', '[data-testid="recipient-picker"]'],
  ['analytics', () => '/admin/analytics', '[data-testid="analytics"]'],
  ['inbox', () => '/admin/inbox', '[data-testid="inbox-list"]'],
  ['users and invitations', () => '/admin/collections/users', '[data-testid="invitations"]'],
]

describe('accessibility', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`no serious or critical axe finding (${theme})`, async () => {
      const page = await open(theme)
      const findings: Record<string, unknown> = {}
      for (const [name, path, ready] of PAGES) {
        await page.goto(`${baseURL}${path()}`)
        await page.locator(ready).first().waitFor({ timeout: 30_000 })
        await page.waitForLoadState('networkidle')
        const found = await seriousAxeFindings(page, SCOPE === 'ours' ? await presentOf(page) : [])
        if (found.length) findings[name] = found
      }
      expect(findings).toEqual({})
      await page.context().close()
    })
  }
})
