import fs from 'node:fs'
import path from 'node:path'

import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { launchBrowser, login } from '../helpers/browser'

/**
 * The recipient picker on the email job form, in chromium against the production build: it loads
 * the org's contacts once, filters locally, keeps its height, scrolls, keeps the selection across
 * filters, refuses suppressed contacts and saves what was picked. Screenshots (light and dark) go to
 * /tmp/outpost-shots/picker-*.png.
 */
const baseURL = inject('baseURL')
const SHOTS = process.env.PICKER_SHOTS_DIR || '/tmp/outpost-shots'

type Contact = [id: number, name: string, email: string, suppressedBecause: string | null]

let browser: Browser
let page: Page
let senderToken: string
let adminToken: string
let org: number
let jobID: number
let contacts: Contact[]
let suppressed: { id: number; contactID: number }
const requests: string[] = []

const api = async (token: string, route: string, init: RequestInit = {}) => {
  const res = await fetch(`${baseURL}/api${route}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', Authorization: `JWT ${token}` },
  })
  return { status: res.status, body: await res.json() }
}
const loginToken = async (email: string) =>
  (
    await (
      await fetch(`${baseURL}/api/users/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: 'demo-password' }),
      })
    ).json()
  ).token as string

const shot = async (name: string) => {
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, `picker-${name}.png`) })
}

const picker = () => page.getByTestId('recipient-picker')
const search = () => page.getByTestId('recipient-picker-search')
const list = () => page.getByTestId('recipient-picker-list')
const rowOf = (id: number): Locator => list().locator(`[data-contact-id="${id}"]`)
const selectedCount = () => page.getByTestId('recipient-picker-count').innerText()
const renderedIDs = async () => (await list().locator('[data-contact-id]').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-contact-id')))))
const matching = (text: string) => contacts.filter(([, name, email]) => `${name}\n${email}`.toLowerCase().includes(text.toLowerCase()))

const typeFilter = async (text: string) => {
  await search().fill('')
  await search().pressSequentially(text, { delay: 25 })
  const expected = matching(text).length
  await page.waitForFunction(
    ({ n }) => {
      const el = document.querySelector('[data-testid="recipient-picker-list"]')
      if (!el) return false
      if (n === 0) return el.textContent === 'No recipients found.'
      return el.querySelectorAll('[data-contact-id]').length === Math.min(n, 16)
    },
    { n: expected },
    { timeout: 10_000 },
  )
}

const openJob = async (id: number) => {
  await page.goto(`${baseURL}/admin/collections/email-jobs/${id}`)
  await list().locator('[data-contact-id]').first().waitFor({ timeout: 30_000 })
}

beforeAll(async () => {
  senderToken = await loginToken('sender@demo.test')
  adminToken = await loginToken('admin@demo.test')
  org = (await api(senderToken, '/organizations?where[slug][equals]=demo-org')).body.docs[0].id
  // A contact an org admin has suppressed (lifted again after the run, so other suites are unaffected).
  const stamp = Date.now()
  const blocked = await api(adminToken, '/contacts', {
    method: 'POST',
    body: JSON.stringify({ org, email: `sunny.suppressed-${stamp}@example.com`, firstName: 'Sunny', lastName: 'Suppressed' }),
  })
  expect(blocked.status).toBe(201)
  const suppression = await api(adminToken, '/suppressions', {
    method: 'POST',
    body: JSON.stringify({ org, address: blocked.body.doc.email, reason: 'bounce', channel: 'email', status: 'active' }),
  })
  expect(suppression.status).toBe(201)
  suppressed = { id: suppression.body.doc.id, contactID: blocked.body.doc.id }

  const template = (await api(senderToken, `/email-templates?where[org][equals]=${org}&where[channel][equals]=email&where[status][equals]=approved&limit=1`)).body.docs[0].id
  const job = await api(senderToken, '/email-jobs', { method: 'POST', body: JSON.stringify({ name: `Picker job ${stamp}`, org, template }) })
  expect(job.status).toBe(201)
  jobID = job.body.doc.id
  contacts = (await api(senderToken, `/contacts/picker?org=${org}`)).body.contacts

  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1440, height: 1100 } })
  page.on('request', (request) => requests.push(`${request.method()} ${request.url()}`))
  await login(page, baseURL, 'sender@demo.test')
})

afterAll(async () => {
  await browser?.close()
  if (suppressed) {
    const lifted = await api(adminToken, `/suppressions/${suppressed.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'lifted', note: 'end of the picker browser test' }) })
    expect(lifted.status).toBe(200)
  }
})

describe('the recipient picker', () => {
  it('loads the org’s contacts with one request and filters them without any request', async () => {
    requests.length = 0
    await openJob(jobID)
    expect(requests.filter((r) => r.includes('/api/contacts/picker'))).toEqual([`GET ${baseURL}/api/contacts/picker?org=${org}`])
    // The form's two tag fields share one read of the org's tags.
    expect(requests.filter((r) => r.includes('/api/contacts/tags'))).toEqual([`GET ${baseURL}/api/contacts/tags?org=${org}`])
    expect(await page.getByTestId('recipient-picker-count').innerText()).toBe('0 selected')
    expect(await picker().innerText()).toContain(`${contacts.length} contacts`)
    // virtualised: the DOM holds the visible window only
    expect((await renderedIDs()).length).toBeLessThan(contacts.length)
    await shot('light')

    await page.waitForLoadState('networkidle')
    requests.length = 0
    await typeFilter('amara')
    expect(matching('amara').length).toBeGreaterThan(0)
    expect((await renderedIDs()).sort()).toEqual(matching('amara').map(([id]) => id).sort())
    // matches the address too, whatever the case
    await typeFilter('EXAMPLE.NET')
    expect((await renderedIDs()).length).toBe(Math.min(matching('example.net').length, 16))
    await shot('filtered')

    await typeFilter('zzz-nobody')
    expect(await list().innerText()).toBe('No recipients found.')
    await shot('no-match')
    expect(requests.filter((r) => r.includes('/api/'))).toEqual([])
    expect(requests).toEqual([])
  })

  it('keeps a fixed height whatever it shows, and scrolls', async () => {
    await search().fill('')
    await page.waitForFunction(() => document.querySelectorAll('[data-contact-id]').length === 16)
    const full = (await list().boundingBox())!.height
    await typeFilter('amara')
    expect((await list().boundingBox())!.height).toBe(full)
    await typeFilter('zzz-nobody')
    expect((await list().boundingBox())!.height).toBe(full)
    await search().fill('')
    await page.waitForFunction(() => document.querySelectorAll('[data-contact-id]').length === 16)

    expect(await list().evaluate((el) => getComputedStyle(el).overflowY)).toBe('auto')
    expect(await list().evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true)
    const firstBefore = (await renderedIDs())[0]
    const box = (await list().boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.wheel(0, 900)
    await page.waitForFunction(() => (document.querySelector('[data-testid="recipient-picker-list"]')?.scrollTop ?? 0) >= 600, undefined, { timeout: 5000 })
    // the window moved on: other rows are rendered now, the list is as tall as before
    await page.waitForFunction((id) => !document.querySelector(`[data-contact-id="${id}"]`), firstBefore)
    expect((await list().boundingBox())!.height).toBe(full)
    await shot('scrolled')
  })

  it('keeps the selection while the filter changes; select all shown and clear act on the filtered rows', async () => {
    await openJob(jobID)
    const [amara1, amara2] = matching('amara')
    const ben = matching('ben.')[0]!
    await typeFilter('amara')
    await rowOf(amara1![0]).locator('input').check()
    await typeFilter('ben.')
    await rowOf(ben[0]).locator('input').check()
    expect(await selectedCount()).toBe('2 selected')
    await search().fill('')
    await page.waitForFunction(() => document.querySelectorAll('[data-contact-id]').length === 16)
    await typeFilter('amara')
    expect(await rowOf(amara1![0]).locator('input').isChecked()).toBe(true)
    expect(await rowOf(amara2![0]).locator('input').isChecked()).toBe(false)

    // "select all matching" adds the filtered rows, "clear matching" removes only them
    const olivias = matching('olivia')
    await typeFilter('olivia')
    await page.getByRole('button', { name: 'Select all matching' }).click()
    expect(await selectedCount()).toBe(`${2 + olivias.length} selected`)
    await page.getByRole('button', { name: 'Clear matching' }).click()
    expect(await selectedCount()).toBe('2 selected')
    await page.getByRole('button', { name: 'Select all matching' }).click()
    await typeFilter('ben.')
    expect(await rowOf(ben[0]).locator('input').isChecked()).toBe(true)

    // a suppressed contact is marked, says why, and cannot be chosen, not even by "select all matching"
    await typeFilter('sunny')
    const blocked = rowOf(suppressed.contactID)
    expect(await blocked.getAttribute('title')).toContain('bounced')
    expect(await blocked.locator('input').isDisabled()).toBe(true)
    expect(await blocked.innerText()).toContain('bounced')
    expect(await page.getByRole('button', { name: 'Select all matching' }).isDisabled()).toBe(true)
    await blocked.click({ force: true })
    expect(await blocked.locator('input').isChecked()).toBe(false)
    await blocked.hover()
    await shot('suppressed')

    await search().fill('')
    const expected = [amara1![0], ben[0], ...olivias.map(([id]) => id)].sort((a, b) => a - b)
    expect(await selectedCount()).toBe(`${expected.length} selected`)
    await page.locator('#action-save').click()
    let saved: number[] = []
    for (let tries = 0; tries < 40 && saved.length !== expected.length; tries++) {
      await new Promise((r) => setTimeout(r, 500))
      saved = (await api(senderToken, `/email-jobs/${jobID}/selection`)).body.ids ?? []
    }
    expect([...saved].sort((a, b) => a - b)).toEqual(expected)
    await shot('saved')
  })

  it('follows the dark theme', async () => {
    await page.context().addCookies([{ name: 'payload-theme', value: 'dark', url: baseURL }])
    await page.emulateMedia({ colorScheme: 'dark' })
    await openJob(jobID)
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    const colours = await list().evaluate((el) => ({ bg: getComputedStyle(el).backgroundColor, text: getComputedStyle(el.querySelector('.recipient-picker__name')!).color }))
    expect(colours.bg).not.toBe('rgb(255, 255, 255)')
    expect(colours.text).not.toBe(colours.bg)
    await shot('dark')
    await typeFilter('sunny')
    await shot('dark-suppressed')
    await typeFilter('zzz-nobody')
    await shot('dark-no-match')
    await page.context().clearCookies({ name: 'payload-theme' })
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('on a new job, lists the contacts of the org it is created in', async () => {
    await page.goto(`${baseURL}/admin/collections/email-jobs/create`)
    await list().locator('[data-contact-id]').first().waitFor({ timeout: 30_000 })
    expect(await picker().innerText()).toContain(`${contacts.length} contacts`)
    expect(await selectedCount()).toBe('0 selected')
  })

  it('is read-only once the job is queued', async () => {
    const queued = await api(senderToken, `/email-jobs/${jobID}/queue`, { method: 'POST' })
    expect(queued.status).toBe(200)
    await openJob(jobID)
    expect(await page.getByRole('button', { name: /^Select all/ }).count()).toBe(0)
    expect(await list().locator('input[type="checkbox"]').first().isDisabled()).toBe(true)
    // What the job sends is read-only too: no tag to type, no template to clear (Save would be a 409).
    await page.getByText('Contacts with any of these tags').waitFor()
    expect(await page.getByPlaceholder('Type a tag, press Enter').count()).toBe(0)
    expect(await page.locator('#field-template').getAttribute('class')).toContain('relationship--read-only')
    // The job's recipients count the whole audience (tags and segments too), not only the contacts chosen here.
    await expect.poll(async () => (await api(senderToken, `/email-jobs/${jobID}`)).body.total, { timeout: 15_000 }).toBeGreaterThan(0)
    const { total } = (await api(senderToken, `/email-jobs/${jobID}`)).body as { total: number }
    await expect.poll(() => page.getByTestId('recipient-picker-queued').innerText(), { timeout: 15_000 }).toContain(`Recipients are fixed once a job is queued: ${total} ${total === 1 ? 'recipient' : 'recipients'} from the whole audience`)
    // filtering still works for looking through them
    await typeFilter('amara')
    await picker().scrollIntoViewIfNeeded()
    await shot('read-only')
  })
})
