import fs from 'node:fs'
import path from 'node:path'

import { type Browser, chromium, type Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const SCREENSHOT_DIR = path.resolve(process.env.SCREENSHOT_DIR || 'test-results/screenshots')

/** Debian's Chromium, headless, with the flags this sandbox needs (no network beyond loopback). */
export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  })

export const screenshot = async (page: Page, name: string): Promise<string> => {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path: file, fullPage: false })
  return file
}

export const login = async (page: Page, baseURL: string, email: string, password = 'demo-password') => {
  await page.goto(`${baseURL}/admin/login`)
  // Typing before React hydrates the form loses the input (and a CI run once lost a submit too): wait
  // until the page is quiet, and if the first submit did not log in, type and submit once more.
  await page.waitForLoadState('networkidle')
  for (let attempt = 1; ; attempt++) {
    await page.fill('input[name="email"]', email)
    await page.fill('input[name="password"]', password)
    await page.click('button[type="submit"]')
    try {
      await page.waitForURL((url) => !url.pathname.endsWith('/login'), { timeout: attempt === 1 ? 15_000 : 30_000 })
      return
    } catch (error) {
      if (attempt === 2) throw error
    }
  }
}

/**
 * The app's REST API over HTTP, as users logged in with a JWT (`login` first; no browser cookie, so no
 * CSRF origin check) or anonymously (`as` = ''): what the browser tests use to set up their data. Plain
 * errors, not vitest's expect: the picker benchmark imports this file outside vitest.
 */
export const restClient = (baseURL: string) => {
  const tokens: Record<string, string> = {}
  const api = async (as: string, urlPath: string, init: RequestInit = {}) => {
    const res = await fetch(`${baseURL}/api${urlPath}`, {
      ...init,
      headers: { 'Content-Type': 'application/json', ...(tokens[as] ? { Authorization: `JWT ${tokens[as]}` } : {}) },
    })
    return { status: res.status, body: await res.json() }
  }
  const login = async (email: string, password = 'demo-password') => {
    const res = await api('', '/users/login', { method: 'POST', body: JSON.stringify({ email, password }) })
    if (res.status !== 200) throw new Error(`Login as ${email}: ${res.status} ${JSON.stringify(res.body)}`)
    tokens[email] = res.body.token
  }
  /** POSTs a document and returns its id (a 201 is expected). */
  const created = async (as: string, urlPath: string, body: unknown): Promise<number> => {
    const res = await api(as, urlPath, { method: 'POST', body: JSON.stringify(body) })
    if (res.status !== 201) throw new Error(`POST ${urlPath}: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body.doc.id
  }
  return { api, login, created }
}

/**
 * Answers the admin's in-app confirmation dialog (never the browser's `confirm()`): waits for it, reads
 * its sentence, presses its confirm button and waits until the action settled and the dialog closed.
 */
export const confirmInApp = async (page: Page): Promise<string> => {
  const modal = page.locator('.confirmation-modal')
  await modal.waitFor({ timeout: 15_000 })
  const sentence = await modal.getByTestId('confirm-body').innerText()
  await modal.locator('#confirm-action').click()
  await modal.waitFor({ state: 'detached', timeout: 30_000 })
  return sentence
}
