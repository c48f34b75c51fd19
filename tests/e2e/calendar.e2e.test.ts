import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { launchBrowser, login, restClient, screenshot } from '../helpers/browser'
import { TEST_ENV } from '../helpers/test-env'
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process'

const baseURL = inject('baseURL')
const control = inject('googleControlURL')
const { api, login: loginAPI, created } = restClient(baseURL)
const stamp = Date.now().toString(36)
let browser: Browser
let page: Page
let worker: WorkerProcess | undefined
let org: number
let me: number
let booking: number

const steer = async (path: string) => expect((await fetch(`${control}${path}`)).ok).toBe(true)
const tomorrowAt = (hour: number) => {
  const d = new Date(Date.now() + 86_400_000)
  d.setUTCHours(hour, 0, 0, 0)
  return d.toISOString()
}

/** The booking page's sync row, read again until it says `status` (the worker syncs in the background). */
const waitForSync = async (status: string) => {
  await expect
    .poll(
      async () => {
        await page.goto(`${baseURL}/admin/collections/bookings/${booking}`)
        const row = page.getByTestId('booking-sync-row').first()
        await row.waitFor({ timeout: 15_000 }).catch(() => undefined)
        return (await row.count()) ? row.innerText() : ''
      },
      { timeout: 60_000, interval: 1_000 },
    )
    .toContain(status)
}

beforeAll(async () => {
  await loginAPI('sender@demo.test')
  org = (await api('sender@demo.test', '/organizations?where[slug][equals]=demo-org')).body.docs[0].id
  me = (await api('sender@demo.test', '/users/me')).body.user.id
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
  await login(page, baseURL, 'sender@demo.test')
})

afterAll(async () => {
  worker?.child.kill('SIGTERM')
  await browser?.close()
})

describe('calendar connections in the admin', () => {
  it('a staff member connects their Google calendar through the consent page', async () => {
    await page.goto(`${baseURL}/admin/collections/calendar-connections`)
    await page.getByRole('button', { name: 'Connect Google Calendar' }).click()
    await page.getByRole('heading', { name: 'Fake Google consent' }).waitFor({ timeout: 30_000 })
    await page.getByRole('link', { name: 'Allow' }).click()
    await page.waitForURL(/\/admin\/collections\/calendar-connections\/\d+\?connected=1/, { timeout: 30_000 })
    await page.getByText('staff@calendar.example').first().waitFor({ timeout: 30_000 })
    await page.goto(`${baseURL}/admin/collections/calendar-connections`)
    await page.locator('.table').getByText('Connected').first().waitFor({ timeout: 30_000 })
    await screenshot(page, 'calendar-connections')
  })

  it('a booking shows "Synced"; a write the calendar refuses shows the error and Retry, and Retry fixes it', async () => {
    worker = await startWorkerProcess({ ...TEST_ENV, ...((await (await fetch(`${control}/env`)).json()) as Record<string, string>), DATABASE_URL: inject('e2eDatabaseURL'), SITE_URL: baseURL, WORKER_POLL_SECONDS: '0.5' })
    booking = await created('sender@demo.test', '/bookings', { org, owner: me, title: `Synced visit ${stamp}`, start: tomorrowAt(9), end: tomorrowAt(10), allowOverlap: true, sendInvitations: false })
    await waitForSync('Synced')
    const events = (await (await fetch(`${control}/events`)).json()) as { summary: string }[]
    expect(events.filter((e) => e.summary === `Synced visit ${stamp}`)).toHaveLength(1)
    await screenshot(page, 'booking-synced')

    await steer('/failNext?status=400&reason=invalid')
    expect((await api('sender@demo.test', `/bookings/${booking}`, { method: 'PATCH', body: JSON.stringify({ title: `Synced visit ${stamp} (moved)` }) })).status).toBe(200)
    await waitForSync('Failed')
    expect(await page.getByTestId('booking-sync-error').innerText()).toBe('Google Calendar refused the event as written. (HTTP 400 invalid)')
    await screenshot(page, 'booking-sync-failed')
    await page.getByRole('button', { name: 'Retry' }).click()
    await expect.poll(() => page.getByTestId('booking-sync-message').innerText(), { timeout: 30_000 }).toBe('Synced.')
    await expect.poll(() => page.getByTestId('booking-sync-row').first().innerText(), { timeout: 15_000 }).toContain('Synced')
    const after = (await (await fetch(`${control}/events`)).json()) as { summary: string }[]
    expect(after.some((e) => e.summary === `Synced visit ${stamp} (moved)`)).toBe(true)
  })

  it('after invalid_grant its owner sees the Reconnect banner, and the sync problems count it', async () => {
    await steer('/revoke')
    await steer('/expire')
    expect((await api('sender@demo.test', `/bookings/${booking}`, { method: 'PATCH', body: JSON.stringify({ location: 'Room 9' }) })).status).toBe(200)
    await waitForSync('Failed')
    await page.goto(`${baseURL}/admin`)
    const banner = page.getByTestId('reconnect-banner')
    await banner.waitFor({ timeout: 30_000 })
    expect(await banner.innerText()).toMatch(/Your Google calendar staff@calendar\.example needs reconnecting: bookings are not being synced to it\. Google revoked or expired this connection’s access/)
    expect(await banner.getByRole('button', { name: 'Reconnect' }).count()).toBe(1)
    await screenshot(page, 'calendar-reconnect-banner')
    await page.goto(`${baseURL}/admin/collections/booking-syncs`)
    await expect.poll(() => page.getByTestId('sync-problems').innerText(), { timeout: 30_000 }).toMatch(/1 booking failed to sync · 1 connection to reconnect/)
  })
})
