import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { launchBrowser, login, restClient, screenshot } from '../helpers/browser'

/**
 * The admin guides: the nav stays open at 1440 px; every tenant list has an Organisation column for the
 * super admin and statuses as the same labelled pills; empty cells are a dash; an admin invites a person
 * who joins through the emailed one-time link (read from the SMTP sink the server mails through).
 */

const baseURL = inject('baseURL')
const mailboxURL = inject('mailboxURL')
const { api, created, login: loginAPI } = restClient(baseURL)
const stamp = Date.now().toString(36)
let browser: Browser

const open = async (email: string, width = 1440): Promise<Page> => {
  const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage()
  await login(page, baseURL, email)
  return page
}

type Mail = { to: string[]; subject: string; text: string }
const mailTo = async (address: string): Promise<Mail | undefined> => ((await (await fetch(mailboxURL)).json()) as Mail[]).filter((m) => m.to.includes(address)).at(-1)

beforeAll(async () => {
  for (const email of ['admin@demo.test', 'super@demo.test']) await loginAPI(email)
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('an admin that guides', () => {
  it('keeps the nav open at 1440 px with Analytics and Inbox in it', async () => {
    const page = await open('admin@demo.test')
    await page.goto(`${baseURL}/admin`)
    await page.getByTestId('home').waitFor({ timeout: 30_000 })
    await page.locator('.template-default--nav-open').waitFor({ timeout: 15_000 })
    const nav = page.locator('nav.nav__wrap, .nav')
    await nav.getByRole('link', { name: 'Analytics' }).first().waitFor()
    await nav.getByRole('link', { name: 'Inbox' }).first().waitFor()
    expect(await page.getByRole('link', { name: 'Analytics' }).first().isVisible()).toBe(true)
    await screenshot(page, 'guidance-nav-1440')
    await page.context().close()
  })

  it('shows the super admin an Organisation column and labelled status pills in tenant lists, and a dash for empty cells', async () => {
    const demoOrg = (await api('super@demo.test', '/organizations?where[slug][equals]=demo-org')).body.docs[0].id
    await created('super@demo.test', '/suppressions', { org: demoOrg, channel: 'email', address: `blocked-${stamp}@example.com`, reason: 'manual' })
    const page = await open('super@demo.test')
    for (const list of ['contacts', 'email-templates', 'suppressions']) {
      await page.goto(`${baseURL}/admin/collections/${list}`)
      await page.locator('table thead').first().waitFor({ timeout: 30_000 })
      const headers = (await page.locator('table thead th').allInnerTexts()).map((h) => h.trim())
      expect(headers, list).toContain('Organisation')
      expect(await page.locator('table tbody').first().innerText(), list).not.toMatch(/<No /)
    }
    await page.goto(`${baseURL}/admin/collections/suppressions`)
    await page.locator('table tbody tr').first().waitFor({ timeout: 30_000 })
    const pills = await page.locator('table tbody .status-pill').allInnerTexts()
    expect(pills.length).toBeGreaterThan(0)
    for (const label of pills) expect(label).toMatch(/^(Suppressed|Waiting for review|Lifted)$/)
    await screenshot(page, 'guidance-suppressions-list-super')
    await page.context().close()
  })

  it('shows dates in each organisation’s locale and time zone, with the full timestamp and zone as tooltip', async () => {
    const demo = (await api('super@demo.test', '/organizations?where[slug][equals]=demo-org')).body.docs[0]
    expect(demo).toEqual(expect.objectContaining({ locale: 'en-GB', timeZone: 'Europe/London' }))
    const us = await created('super@demo.test', '/organizations', { name: `US ${stamp}`, slug: `us-${stamp}`, postalAddress: '1 Main St', locale: 'en-US', timeZone: 'America/New_York' })
    const contact = await created('super@demo.test', '/contacts', { org: us, email: `us-${stamp}@example.com`, firstName: 'Uma' })
    await created('super@demo.test', '/users', { email: `us-admin-${stamp}@example.com`, password: 'us-admin-password-1', orgs: [{ org: us, roles: ['admin'] }] })
    const { updatedAt } = (await api('super@demo.test', `/contacts/${contact}`)).body as { updatedAt: string }

    // A member of the New York organisation reads its dates in en-US, in New York time.
    const usPage = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
    await login(usPage, baseURL, `us-admin-${stamp}@example.com`, 'us-admin-password-1')
    await usPage.goto(`${baseURL}/admin/collections/contacts`)
    const cell = usPage.locator('table tbody tr').first().locator('time').first()
    await cell.waitFor({ timeout: 30_000 })
    const expected = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/New_York' }).format(new Date(updatedAt))
    await expect.poll(async () => (await cell.innerText()).replace(/\s/g, ' '), { timeout: 15_000 }).toBe(expected.replace(/\s/g, ' '))
    expect(await cell.getAttribute('title')).toMatch(/\(America\/New_York\)$/)
    await screenshot(usPage, 'guidance-dates-new-york')
    await usPage.context().close()

    // A member of the London organisation: en-GB, London time.
    const page = await open('admin@demo.test')
    await page.goto(`${baseURL}/admin/collections/contacts`)
    const london = page.locator('table tbody tr').first().locator('time').first()
    await london.waitFor({ timeout: 30_000 })
    expect(await london.innerText()).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/)
    expect(await london.getAttribute('title')).toMatch(/\(Europe\/London\)$/)
    await screenshot(page, 'guidance-dates-london')

    // On an edit page, a date nobody edits (when the job was queued) reads in the same style, not as a
    // disabled picker showing "12/06/2026".
    const template = (await api('super@demo.test', `/email-templates?where[org][equals]=${demo.id}&where[channel][equals]=email&where[status][equals]=approved&limit=1`)).body.docs[0].id
    const someone = (await api('super@demo.test', `/contacts?where[org][equals]=${demo.id}&limit=1`)).body.docs[0].id
    const job = await created('super@demo.test', '/email-jobs', { org: demo.id, name: `Dates ${stamp}`, template, contacts: [someone] })
    expect((await api('super@demo.test', `/email-jobs/${job}/queue`, { method: 'POST' })).status).toBe(200)
    const { queuedAt } = (await api('super@demo.test', `/email-jobs/${job}`)).body as { queuedAt: string }
    await page.goto(`${baseURL}/admin/collections/email-jobs/${job}`)
    const queued = page.getByTestId('date-field-queuedAt').locator('time')
    await queued.waitFor({ timeout: 30_000 })
    const londonStyle = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' }).format(new Date(queuedAt))
    await expect.poll(() => queued.innerText(), { timeout: 15_000 }).toBe(londonStyle)
    expect(await queued.getAttribute('title')).toMatch(/\(Europe\/London\)$/)
    await api('super@demo.test', `/email-jobs/${job}/cancel`, { method: 'POST' })
    await page.context().close()
  })

  it('invites a person who sets their own password through the emailed link and joins', async () => {
    const address = `invitee-${stamp}@example.com`
    const page = await open('admin@demo.test')
    await page.goto(`${baseURL}/admin/collections/users`)
    const panel = page.getByTestId('invitations')
    await panel.waitFor({ timeout: 30_000 })
    await page.waitForLoadState('networkidle')
    await panel.getByLabel('Email').fill(address)
    await panel.getByLabel('Name').fill('Ivy Invitee')
    await panel.getByLabel('Approver (editor)').check()
    await panel.getByRole('button', { name: 'Send invitation' }).click()
    await page.getByText(`Invitation sent to ${address}; the link works for 72 hours.`).waitFor({ timeout: 20_000 })
    await panel.getByTestId('pending-invitations').getByText(address).waitFor({ timeout: 15_000 })
    await screenshot(page, 'guidance-invitation-pending')

    await expect.poll(async () => (await mailTo(address))?.subject, { timeout: 15_000 }).toMatch(/^You are invited to .+ on Outpost$/)
    const link = /(https?:\/\/\S+\/admin\/reset\/[0-9a-f]{64})/.exec((await mailTo(address))!.text)![1]!
    expect(link.startsWith(baseURL)).toBe(true)

    const invitee = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
    await invitee.goto(link)
    await invitee.waitForLoadState('networkidle')
    await invitee.locator('input[name="password"]').fill('ivy-chooses-this-1')
    await invitee.locator('input[name="confirm-password"]').fill('ivy-chooses-this-1')
    await screenshot(invitee, 'guidance-invitation-set-password')
    await invitee.locator('button[type="submit"]').click()
    await invitee.waitForURL((url) => !url.pathname.includes('/reset/'), { timeout: 30_000 })
    // Logged in as themselves, with the roles they were given.
    const me = await invitee.evaluate(async () => (await (await fetch('/api/users/me', { credentials: 'include' })).json()) as { user: { email: string; invitation?: { status?: string } } })
    expect(me.user.email).toBe(address)
    const users = await api('admin@demo.test', `/users?where[email][equals]=${encodeURIComponent(address)}&depth=0`)
    expect(users.body.docs[0].invitation.status).toBe('accepted')
    await invitee.context().close()

    await page.reload()
    await page.getByTestId('invitations').waitFor({ timeout: 30_000 })
    await expect.poll(async () => page.getByTestId('pending-invitations').getByText(address).count(), { timeout: 15_000 }).toBe(0)
    await page.context().close()
  })
})
