import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { launchBrowser, login, screenshot, confirmInApp } from '../helpers/browser'

const baseURL = inject('baseURL')
const run = Date.now()
const pasted = { first: `first-${run}@example.com`, second: `second-${run}@example.com` }
const candidates = { confirm: `maybe-stop-${run}@example.com`, dismiss: `question-${run}@example.com` }
const ids: Record<keyof typeof candidates, number> = { confirm: 0, dismiss: 0 }
let browser: Browser
let adminToken: string
let org: number

const api = async (path: string, init: RequestInit & { token?: string } = {}) => {
  const res = await fetch(`${baseURL}/api${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(init.token ? { Authorization: `JWT ${init.token}` } : {}) },
  })
  return { status: res.status, body: await res.json() }
}

/** A logged-in page in Payload's light or dark theme (the admin reads the `payload-theme` cookie). */
const openAs = async (email: string, theme: 'dark' | 'light'): Promise<Page> => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } })
  await context.addCookies([{ name: 'payload-theme', value: theme, url: baseURL }])
  const page = await context.newPage()
  await login(page, baseURL, email)
  return page
}

const openList = async (page: Page) => {
  await page.goto(`${baseURL}/admin/collections/suppressions`)
  await page.waitForSelector('[data-testid="review-queue"]', { timeout: 30_000 })
  await page.waitForLoadState('networkidle')
}

const pasteList = async (page: Page, text: string) => {
  await page.getByRole('button', { name: 'Add a list' }).click()
  const form = page.locator('[data-testid="add-suppression-list"]')
  await form.getByLabel('Addresses').fill(text)
  await form.getByRole('button', { name: 'Add to the list' }).click()
  return form
}

const statusIs = async (page: Page, label: string) => {
  await page.waitForFunction((text) => document.querySelector('[data-testid="suppression-status"]')?.textContent === text, label, { timeout: 20_000 })
}

beforeAll(async () => {
  // The org admin puts two candidates in the review queue, as an opt-out reply matcher would.
  adminToken = (await api('/users/login', { method: 'POST', body: JSON.stringify({ email: 'admin@demo.test', password: 'demo-password' }) })).body.token
  org = (await api('/organizations?where[slug][equals]=demo-org', { token: adminToken })).body.docs[0].id
  for (const key of ['confirm', 'dismiss'] as const) {
    const created = await api('/suppressions', {
      method: 'POST',
      token: adminToken,
      body: JSON.stringify({ org, address: candidates[key], channel: 'email', reason: 'keyword', status: 'pending_review', source: 'inbound reply', note: 'Reply: "please stop sending me these"' }),
    })
    expect(created.status).toBe(201)
    ids[key] = created.body.doc.id
  }
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('suppression list in the admin', () => {
  it('an org admin pastes a list: valid addresses are added, the invalid one is shown with its reason', async () => {
    const page = await openAs('admin@demo.test', 'light')
    await openList(page)
    await page.waitForFunction(() => document.querySelector('[data-testid="review-queue-count"]')?.textContent === '2 candidates wait for review.', undefined, {
      timeout: 20_000,
    })

    const form = await pasteList(page, `${pasted.first}\nSecond Person <${pasted.second}>; not-an-address`)
    await page.getByText('2 added, 0 already suppressed, 1 invalid.').waitFor({ timeout: 20_000 })
    expect(await form.locator('[data-testid="bulk-result"]').innerText()).toContain('2 added, 0 already suppressed.')
    expect(await form.locator('[data-testid="invalid-entries"]').innerText()).toBe('not-an-address — not a valid email address')
    expect(await form.getByLabel('Addresses').inputValue()).toBe('not-an-address')
    // the table refreshes with the new entries
    await page.locator('tr', { hasText: pasted.first }).waitFor({ timeout: 20_000 })
    await page.locator('tr', { hasText: pasted.second }).waitFor({ timeout: 20_000 })
    expect(await page.locator('tr', { hasText: pasted.first }).innerText()).toMatch(/Blocked by hand/)
    const stored = await api(`/suppressions?where[address][equals]=${pasted.second}`, { token: adminToken })
    expect(stored.body.docs).toEqual([expect.objectContaining({ status: 'active', reason: 'manual', source: 'pasted list', channel: 'email' })])
    await page.waitForTimeout(300)
    await screenshot(page, 'suppressions-list-light')
    await page.context().close()
  })

  it('the review queue link and the quick filters narrow the list', async () => {
    const page = await openAs('admin@demo.test', 'light')
    await openList(page)
    await page.getByTestId('review-queue-link').click()
    await page.waitForURL(/where/, { timeout: 15_000 })
    await page.locator('tr', { hasText: candidates.dismiss }).waitFor({ timeout: 20_000 })
    await page.waitForFunction((address) => !document.body.innerText.includes(address), pasted.first, { timeout: 20_000 })
    expect(await page.getByTestId('filter-status-pending_review').getAttribute('aria-current')).toBe('true')

    // Active and Manual together: the pasted entries, not the candidates
    await page.getByTestId('filter-status-active').click()
    await page.locator('tr', { hasText: pasted.first }).waitFor({ timeout: 20_000 })
    await page.getByTestId('filter-reason-manual').click()
    await page.waitForURL(/manual/, { timeout: 15_000 })
    await page.locator('tr', { hasText: pasted.second }).waitFor({ timeout: 20_000 })
    expect(await page.locator('body').innerText()).not.toContain(candidates.confirm)

    // the global opt-out list is empty in the demo data; Payload's filter builder keeps the condition
    await page.getByTestId('filter-scope-global').click()
    await page.waitForURL(/exists/, { timeout: 15_000 })
    await page.waitForFunction((address) => !document.body.innerText.includes(address), pasted.first, { timeout: 20_000 })
    await page.waitForTimeout(1000)
    expect(page.url()).toContain('exists')
    expect(await page.getByTestId('filter-scope-global').getAttribute('aria-current')).toBe('true')
    await page.context().close()
  })

  it('in the dark theme, pasting the same list again counts the addresses as already suppressed', async () => {
    const page = await openAs('admin@demo.test', 'dark')
    await openList(page)
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark')
    await pasteList(page, `${pasted.first}, ${pasted.second}, not-an-address`)
    await page.getByText('0 added, 2 already suppressed, 1 invalid.').waitFor({ timeout: 20_000 })
    await page.waitForTimeout(300)
    await screenshot(page, 'suppressions-list-dark')
    await page.context().close()
  })

  it('the super admin adds to the global opt-out list', async () => {
    const page = await openAs('super@demo.test', 'light')
    await openList(page)
    await page.getByRole('button', { name: 'Add a list' }).click()
    const form = page.locator('[data-testid="add-suppression-list"]')
    expect(await form.getByLabel('List').locator('option').allInnerTexts()).toEqual(expect.arrayContaining(['Demo Org', 'Other Org', 'Global opt-out list']))
    await form.getByLabel('List').selectOption({ label: 'Global opt-out list' })
    await form.getByLabel('Addresses').fill(`Everyone Everywhere <global-${run}@example.com>`)
    await form.getByRole('button', { name: 'Add to the list' }).click()
    await page.getByText('1 added, 0 already suppressed.').first().waitFor({ timeout: 20_000 })
    // the refreshed table shows the new entry; then the "Global opt-out list" filter keeps only global ones
    await page.locator('tr', { hasText: `global-${run}@example.com` }).waitFor({ timeout: 20_000 })
    await page.getByTestId('filter-scope-global').click()
    await page.waitForURL(/exists/, { timeout: 15_000 })
    await page.locator('tr', { hasText: `global-${run}@example.com` }).waitFor({ timeout: 20_000 })
    await page.waitForFunction((address) => !document.body.innerText.includes(address), pasted.first, { timeout: 20_000 })
    await page.context().close()
  })

  it('a viewer sees the list and the queue, but cannot add a list or review', async () => {
    const page = await openAs('viewer@demo.test', 'light')
    await openList(page)
    expect(await page.getByRole('button', { name: 'Add a list' }).count()).toBe(0)
    await page.goto(`${baseURL}/admin/collections/suppressions/${ids.confirm}`)
    await statusIs(page, 'Waiting for review')
    expect(await page.getByRole('button', { name: 'Confirm' }).count()).toBe(0)
    expect(await page.getByTestId('suppression-review').innerText()).toContain('An approver or an admin of its organisation decides.')
    await page.context().close()
  })
})

describe('review queue in the admin', () => {
  it('an approver confirms a candidate: it becomes an active suppression', async () => {
    const page = await openAs('approver@demo.test', 'light')
    await openList(page)
    expect(await page.getByRole('button', { name: 'Add a list' }).count()).toBe(0)
    await page.goto(`${baseURL}/admin/collections/suppressions/${ids.confirm}`)
    await statusIs(page, 'Waiting for review')
    await page.waitForLoadState('networkidle')
    await screenshot(page, 'suppressions-review-light')

    await page.getByRole('button', { name: 'Confirm' }).click()
    expect(await confirmInApp(page)).toBe(`Every message to ${candidates.confirm} stops, in every job of its organisation, until someone lifts it.`)
    await page.getByText(`Confirmed: ${candidates.confirm} is suppressed.`).waitFor({ timeout: 20_000 })
    await statusIs(page, 'Suppressed')
    expect(await page.getByRole('button', { name: 'Confirm' }).count()).toBe(0)
    expect((await api(`/suppressions/${ids.confirm}`, { token: adminToken })).body.status).toBe('active')
    await screenshot(page, 'suppressions-confirmed-light')
    await page.context().close()
  })

  it('an approver dismisses a candidate with a reason (dark theme)', async () => {
    const page = await openAs('approver@demo.test', 'dark')
    await page.goto(`${baseURL}/admin/collections/suppressions/${ids.dismiss}`)
    await statusIs(page, 'Waiting for review')
    await page.waitForLoadState('networkidle')
    await screenshot(page, 'suppressions-review-dark')

    await page.getByRole('button', { name: 'Dismiss…' }).click()
    const reason = page.getByLabel('Why is it dismissed?')
    await reason.fill('They asked a question; not an opt-out.')
    const dismiss = page.getByRole('button', { name: 'Dismiss', exact: true })
    await expect.poll(() => dismiss.isEnabled(), { timeout: 10_000 }).toBe(true)
    await page.waitForTimeout(300) // the button's colour transition
    await screenshot(page, 'suppressions-dismiss-dark')
    await dismiss.click()
    await page.getByText(`Dismissed: ${candidates.dismiss} is not suppressed.`).waitFor({ timeout: 20_000 })
    await statusIs(page, 'Lifted')
    const stored = (await api(`/suppressions/${ids.dismiss}`, { token: adminToken })).body
    expect(stored).toEqual(expect.objectContaining({ status: 'lifted', note: 'They asked a question; not an opt-out.' }))
    await page.context().close()
  })

  it('the queue is empty afterwards', async () => {
    const page = await openAs('admin@demo.test', 'light')
    await openList(page)
    await page.waitForFunction(() => document.querySelector('[data-testid="review-queue-count"]')?.textContent === 'No candidates waiting for review.', undefined, {
      timeout: 20_000,
    })
    expect(await page.getByTestId('review-queue-link').count()).toBe(0)
    // the confirmed entry tells its admin how to lift it
    await page.goto(`${baseURL}/admin/collections/suppressions/${ids.confirm}`)
    await statusIs(page, 'Suppressed')
    expect(await page.getByTestId('lift-hint').innerText()).toContain('To lift it, set Status to Lifted, write why in the note and save')
    await page.context().close()
  })
})
