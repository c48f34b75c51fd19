import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { dayKey, startOfWeek, zonedTime, zonedParts } from '@/components/bookings/calendar-layout'

import { launchBrowser, login, restClient, screenshot } from '../helpers/browser'

const baseURL = inject('baseURL')
const { api, login: loginAPI, created } = restClient(baseURL)
const stamp = Date.now().toString(36)
const ZONE = 'Europe/London'
let browser: Browser
let page: Page
let org: number
let contact: number
const ids: Record<string, number> = {}

/** Wednesday of this week (London) at hh:mm, as an ISO instant. */
const wednesdayAt = (hour: number, minute = 0) => {
  const monday = startOfWeek(new Date(), ZONE)
  const p = zonedParts(new Date(monday.getTime() + 2 * 86_400_000 + 12 * 3_600_000), ZONE)
  return zonedTime(p.year, p.month, p.day, hour, minute, ZONE).toISOString()
}

beforeAll(async () => {
  for (const email of ['admin@demo.test', 'sender@demo.test']) await loginAPI(email)
  org = (await api('sender@demo.test', '/organizations?where[slug][equals]=demo-org')).body.docs[0].id
  const me = (await api('sender@demo.test', '/users/me')).body.user.id
  const admin = (await api('admin@demo.test', '/users/me')).body.user.id
  contact = await created('sender@demo.test', '/contacts', { org, email: `booked-${stamp}@example.com`, firstName: 'Booked', lastName: `Person ${stamp}` })
  const book = (title: string, data: Record<string, unknown>) => created('sender@demo.test', '/bookings', { org, owner: me, timeZone: ZONE, allowOverlap: true, title, ...data })
  ids.first = await book(`Intake ${stamp}`, { start: wednesdayAt(9), end: wednesdayAt(10), contacts: [contact], attendees: [{ contact }], location: 'Room 2' })
  ids.second = await book(`Review ${stamp}`, { owner: admin, start: wednesdayAt(9, 30), end: wednesdayAt(11) })
  ids.gone = await book(`Dropped ${stamp}`, { start: wednesdayAt(14), end: wednesdayAt(15) })
  expect((await api('sender@demo.test', `/bookings/${ids.gone}`, { method: 'PATCH', body: JSON.stringify({ status: 'cancelled' }) })).status).toBe(200)
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } })
  await login(page, baseURL, 'sender@demo.test')
})

afterAll(async () => {
  await browser?.close()
})

const titles = (testID: string) => page.getByTestId(testID).allInnerTexts()

describe('bookings calendar', () => {
  it('the week view shows the org’s bookings side by side where they overlap, cancelled ones only when asked', async () => {
    await page.goto(`${baseURL}/admin/collections/bookings`)
    await page.getByRole('navigation', { name: 'Bookings views' }).getByRole('link', { name: 'Week' }).click()
    await page.locator('[data-testid="bookings-calendar"][data-state="ready"]').waitFor({ timeout: 30_000 })
    expect(page.url()).toContain('/admin/calendar?view=week')
    await expect.poll(async () => (await titles('week-booking')).join(' | '), { timeout: 15_000 }).toContain(`Intake ${stamp}`)
    const shown = (await titles('week-booking')).join(' | ')
    expect(shown).toContain(`Review ${stamp}`)
    expect(shown).not.toContain(`Dropped ${stamp}`)
    expect(shown).toMatch(new RegExp(`09:00–10:00\\s+Intake ${stamp}`))
    // The two overlapping bookings stand side by side: each takes half the day's width.
    const intake = await page.getByTestId('week-booking').filter({ hasText: `Intake ${stamp}` }).boundingBox()
    const review = await page.getByTestId('week-booking').filter({ hasText: `Review ${stamp}` }).boundingBox()
    expect(intake && review && Math.abs(intake.width - review.width) < 2 && intake.x !== review.x).toBe(true)
    expect(await page.getByTestId('calendar-range').innerText()).toMatch(/^\w{3} \d{1,2} \w{3} – \w{3} \d{1,2} \w{3}$/)
    await page.getByLabel('Show cancelled').check()
    await expect.poll(async () => (await titles('week-booking')).join(' | '), { timeout: 15_000 }).toContain(`Dropped ${stamp}`)
    await page.getByLabel('Show cancelled').uncheck()
    await screenshot(page, 'bookings-week')
    // Next week has none of them; Today comes back.
    await page.getByRole('button', { name: 'Next week' }).click()
    await expect.poll(async () => (await titles('week-booking')).join(' | '), { timeout: 15_000 }).not.toContain(`Intake ${stamp}`)
    await page.getByRole('button', { name: 'Today' }).click()
    await expect.poll(async () => (await titles('week-booking')).join(' | '), { timeout: 15_000 }).toContain(`Intake ${stamp}`)
  })

  it('the agenda lists them day by day with who, where and status, and opens a booking', async () => {
    await page.goto(`${baseURL}/admin/calendar?view=agenda&date=${dayKey(new Date(wednesdayAt(12)), ZONE)}`)
    await page.locator('[data-testid="bookings-calendar"][data-state="ready"]').waitFor({ timeout: 30_000 })
    await expect.poll(async () => (await titles('agenda-booking')).join(' | '), { timeout: 15_000 }).toContain(`Intake ${stamp}`)
    const row = page.getByTestId('agenda-booking').filter({ hasText: `Intake ${stamp}` })
    expect(await row.innerText()).toMatch(/09:00–10:00[\s\S]*Scheduled[\s\S]*Room 2[\s\S]*1 contact/)
    // Only mine: the admin's review goes.
    await page.getByLabel('Staff member').selectOption({ label: 'Only mine' })
    await expect.poll(async () => (await titles('agenda-booking')).join(' | '), { timeout: 15_000 }).not.toContain(`Review ${stamp}`)
    await screenshot(page, 'bookings-agenda')
    await row.getByRole('link', { name: `Intake ${stamp}` }).click()
    await page.waitForURL(new RegExp(`/admin/collections/bookings/${ids.first}`), { timeout: 30_000 })
    await page.locator('#field-title').waitFor({ timeout: 30_000 })
    expect(await page.inputValue('#field-title')).toBe(`Intake ${stamp}`)
    // Its times in its own zone (the viewer's is the same here: no second line).
    expect(await page.getByTestId('booking-times').innerText()).toMatch(/^In the booking’s zone: \w{3}, \d{1,2} \w{3} \d{4}, 09:00–10:00 \(Europe\/London\)$/)
  })

  it('a contact’s page lists its bookings, and one is made from there with the contact filled in', async () => {
    await page.goto(`${baseURL}/admin/collections/contacts/${contact}`)
    const joined = page.locator('.relationship-table').filter({ hasText: `Intake ${stamp}` })
    await joined.waitFor({ timeout: 30_000 })
    await joined.scrollIntoViewIfNeeded()
    await screenshot(page, 'contact-bookings')
    await page.locator('.relationship-table').getByRole('button', { name: /Add new|Create new/ }).first().click()
    const drawer = page.locator('.drawer--is-open')
    await drawer.locator('#field-title').waitFor({ timeout: 30_000 })
    await drawer.locator('#field-title').fill(`From contact ${stamp}`)
    // Dates are typed as Payload's picker reads them; then saved through the drawer.
    const start = new Date(wednesdayAt(16))
    const end = new Date(wednesdayAt(17))
    const typed = (d: Date) => {
      const p = zonedParts(d, Intl.DateTimeFormat().resolvedOptions().timeZone)
      return `${p.day} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][p.month - 1]} ${p.year}, ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`
    }
    await drawer.locator('#field-start').locator('input').fill(typed(start))
    await drawer.locator('#field-end').locator('input').fill(typed(end))
    await drawer.locator('#field-end').locator('input').press('Tab')
    await drawer.getByRole('button', { name: 'Save' }).first().click()
    await expect
      .poll(async () => (await api('sender@demo.test', `/bookings?where[title][equals]=${encodeURIComponent(`From contact ${stamp}`)}&depth=0`)).body.docs[0]?.contacts ?? [], { timeout: 30_000 })
      .toEqual([contact])
  })
})
