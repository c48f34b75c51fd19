import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { type SmtpSink, startSmtpSink } from '../fakes/smtp-sink'
import { signTwilioWebhook } from '../fakes/twilio-fake'
import { launchBrowser, login, restClient, screenshot } from '../helpers/browser'
import { TEST_ENV } from '../helpers/test-env'
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process'

const baseURL = inject('baseURL')
const { api, login: loginAPI } = restClient(baseURL)
const stamp = Date.now().toString(36)
const TOKEN = `inbox-e2e-token-${stamp}`
const OUR_NUMBER = '+447400000999'
const STRANGER = `+4474009${String(Date.now()).slice(-5)}`
let browser: Browser
let page: Page
let worker: WorkerProcess | undefined
let sink: SmtpSink
let org: number

/** Posts what Twilio posts when a text arrives, signed with the org's token. */
const inboundSms = async (from: string, body: string) => {
  const params = { AccountSid: `AC${'12'.repeat(16)}`, MessageSid: `SM${Date.now().toString(16).padStart(32, '0')}`, From: from, To: OUR_NUMBER, Body: body }
  const url = `${baseURL}/api/callbacks/twilio/inbound`
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioWebhook(TOKEN, url, params) }, body: new URLSearchParams(params).toString() })
  expect(res.status).toBe(200)
}

/** Posts what SendGrid Inbound Parse posts (parsed mode) to the org's inbound address. */
const inboundEmail = async (secret: string, from: string, subject: string, text: string) => {
  const form = new FormData()
  form.set('headers', `Message-ID: <e2e-${stamp}-${Math.random().toString(36).slice(2)}@mail.example.com>\nSubject: ${subject}\n`)
  form.set('from', from)
  form.set('to', 'news@demo.example')
  form.set('subject', subject)
  form.set('text', text)
  form.set('charsets', '{"text":"UTF-8"}')
  const res = await fetch(`${baseURL}/api/callbacks/inbound-email/${secret}`, { method: 'POST', body: form })
  expect(res.status).toBe(200)
}

beforeAll(async () => {
  sink = await startSmtpSink()
  for (const email of ['admin@demo.test', 'sender@demo.test', 'viewer@demo.test']) await loginAPI(email)
  org = (await api('admin@demo.test', '/organizations?where[slug][equals]=demo-org')).body.docs[0].id
  // The demo org receives texts on its number (signed with its token) and keeps its SMS in the outbox;
  // its email goes to an SMTP sink here.
  const settings = await api('admin@demo.test', `/organizations/${org}`, {
    method: 'PATCH',
    body: JSON.stringify({ sms: { provider: 'outbox', fromNumber: OUR_NUMBER, twilioAuthToken: TOKEN }, sending: { provider: 'smtp', smtpHost: '127.0.0.1', smtpPort: sink.port, smtpSecure: false } }),
  })
  expect(settings.status, JSON.stringify(settings.body)).toBe(200)
  worker = await startWorkerProcess({ ...TEST_ENV, DATABASE_URL: inject('e2eDatabaseURL'), SITE_URL: baseURL, WORKER_POLL_SECONDS: '0.5' })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
})

afterAll(async () => {
  worker?.child.kill('SIGTERM')
  await browser?.close()
  await sink?.close()
})

describe('the inbox', () => {
  it('shows an inbound SMS and email as they arrive, creates the unknown sender as a contact, and replies by SMS and by email', async () => {
    await login(page, baseURL, 'sender@demo.test')
    await page.goto(`${baseURL}/admin/inbox`)
    await page.getByTestId('inbox-list').waitFor({ timeout: 30_000 })

    // Both arrive while the page is open: they appear without a reload.
    const secret = (await api('admin@demo.test', `/organizations/${org}`)).body.inbound.emailSecret as string
    await inboundSms(STRANGER, 'Hi, is the fair on Saturday?')
    await inboundEmail(secret, `Ella Email <ella-${stamp}@example.com>`, 'Parking at the fair', 'Is there parking nearby?')
    const smsItem = page.getByTestId('inbox-list').getByRole('button', { name: new RegExp(STRANGER.replace('+', '\\+')) })
    const emailItem = page.getByTestId('inbox-list').getByRole('button', { name: new RegExp(`ella-${stamp}@example.com`) })
    await smsItem.waitFor({ timeout: 30_000 })
    await emailItem.waitFor({ timeout: 30_000 })
    expect(await smsItem.innerText()).toContain('Unlinked')
    await screenshot(page, 'inbox-list')

    // The unknown texter becomes a contact in one step.
    await smsItem.click()
    await page.getByText('Hi, is the fair on Saturday?').waitFor()
    await page.getByRole('button', { name: 'Create contact from this' }).click()
    await page.getByLabel('First name').fill('Tess')
    await page.getByLabel('Last name').fill('Texter')
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(`tess-${stamp}@example.com`)
    await page.getByRole('button', { name: 'Create contact', exact: true }).click()
    await page.getByText('Contact created and linked.').waitFor({ timeout: 15_000 })
    await page.getByTestId('contact-card').getByText('Tess Texter').waitFor({ timeout: 15_000 })

    // Reply by SMS: the reply box offers SMS to the number, and email to the new address.
    const box = page.getByTestId('reply-box')
    await box.getByLabel(/SMS/).check()
    await box.getByLabel('Reply').fill('Yes, from 10 until 4. See you there!')
    await box.getByRole('button', { name: 'Send reply' }).click()
    await page.getByText('Reply sent by SMS.').waitFor({ timeout: 15_000 })
    await page.getByText('Yes, from 10 until 4. See you there!').waitFor()
    const outbox = await api('admin@demo.test', `/sms-outbox?where[to][equals]=${encodeURIComponent(STRANGER)}`)
    expect(outbox.body.docs.map((m: { body: string }) => m.body)).toContain('Yes, from 10 until 4. See you there!')
    await screenshot(page, 'inbox-thread-sms')

    // Reply by email to the other conversation: it reaches the SMTP server, threaded.
    await emailItem.click()
    await page.getByText('Is there parking nearby?').waitFor()
    await box.getByLabel(/Email/).check()
    await box.getByLabel('Reply').fill('Yes, behind the town hall.')
    await box.getByRole('button', { name: 'Send reply' }).click()
    await expect.poll(async () => (await page.locator('.toast-success, .toast-error, [data-sonner-toast]').allInnerTexts()).join(' | '), { timeout: 15_000 }).toContain('Reply sent by Email.')
    await expect.poll(() => sink.messages.find((m) => m.to.includes(`ella-${stamp}@example.com`))?.parsed.subject, { timeout: 15_000 }).toBe('Re: Parking at the fair')
    await screenshot(page, 'inbox-thread-email')
  })

  it('a viewer reads conversations but gets no reply box', async () => {
    const viewer = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage()
    await login(viewer, baseURL, 'viewer@demo.test')
    await viewer.goto(`${baseURL}/admin/inbox`)
    await viewer.getByTestId('inbox-list').getByRole('button', { name: /Tess Texter/ }).click({ timeout: 30_000 })
    await viewer.getByText('Yes, from 10 until 4. See you there!').waitFor()
    await viewer.getByTestId('no-reply-box').waitFor()
    expect(await viewer.getByTestId('reply-box').count()).toBe(0)
    expect(await viewer.getByRole('button', { name: 'Create contact from this' }).count()).toBe(0)
  })
})
