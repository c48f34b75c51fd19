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
