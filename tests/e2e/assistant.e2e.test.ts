/**
 * The assistant in the browser: asking the demo org's knowledge base at /admin/assistant (quoting passages
 * with no model, then a loopback fake of OpenAI streaming its answer), and "Suggest a reply" in the inbox
 * filling the reply box without sending anything. A viewer, who may not ask, gets neither the link nor a
 * refused request. Screenshots go to /tmp/shots/assistant-*.png (light and dark).
 */
import fs from 'node:fs'
import path from 'node:path'

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { seriousAxeFindings } from '../helpers/axe'
import { launchBrowser, login, restClient } from '../helpers/browser'
import { TEST_ENV } from '../helpers/test-env'
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process'

const baseURL = inject('baseURL')
const { origin } = new URL(baseURL)
const { api, login: loginAPI, created } = restClient(baseURL)
const stamp = Date.now().toString(36)
const SHOTS = '/tmp/shots'
const TITLE = `Community garden ${stamp}`
const PASSAGE = 'On Saturdays the community garden opens from nine until one, and the greenhouse tours start at ten.'
const QUESTION = 'When does the community garden open on Saturdays?'
let browser: Browser
let org: number
let article: number
let originalProvider: null | string = null
let worker: WorkerProcess | undefined

const newPage = async (email: string): Promise<Page> => {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 }, bypassCSP: true })).newPage()
  await login(page, baseURL, email)
  return page
}

/** The viewport, light then dark (Payload's dark theme is `data-theme="dark"` on <html>). */
const shots = async (page: Page, name: string) => {
  fs.mkdirSync(SHOTS, { recursive: true })
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme)
    await page.waitForTimeout(250)
    await page.screenshot({ path: path.join(SHOTS, `assistant-${name}${theme === 'dark' ? '-dark' : ''}.png`), fullPage: true })
  }
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'))
}

const setProvider = async (provider: null | string) => {
  const res = await api('admin@demo.test', `/organizations/${org}`, { method: 'PATCH', body: JSON.stringify({ assistant: { provider } }) })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
}

const ask = async (page: Page, question: string) => {
  const box = page.getByLabel('Your question')
  await box.fill(question)
  await box.press('Enter')
}

beforeAll(async () => {
  for (const email of ['admin@demo.test', 'sender@demo.test']) await loginAPI(email)
  org = (await api('admin@demo.test', '/organizations?where[slug][equals]=demo-org')).body.docs[0].id
  originalProvider = (await api('admin@demo.test', `/organizations/${org}?depth=0`)).body.assistant?.provider ?? null
  article = await created('admin@demo.test', '/kb-articles', {
    org,
    title: TITLE,
    status: 'published',
    body: `Our garden is run by volunteers.\n\n## Opening hours\n\n${PASSAGE}\n\n## Parking\n\nThere is no car park; the bus stops at the gate.`,
  })
  browser = await launchBrowser()
})

afterAll(async () => {
  // Other browser tests share the server and the database: the org answers as it did before.
  if (org) await setProvider(originalProvider)
  worker?.child.kill('SIGTERM')
  await browser?.close()
  if (article) await api('admin@demo.test', `/kb-articles/${article}`, { method: 'DELETE' })
})

describe('the assistant page', () => {
  it('quotes the passage that answers (no model), with a citation and a source linking to the article', async () => {
    const page = await newPage('admin@demo.test')
    await page.locator('#nav-assistant').click()
    await page.waitForURL(/\/admin\/assistant$/)
    await expect.poll(() => page.getByTestId('assistant-provider').textContent(), { timeout: 30_000 }).toBe('Quoting passages (no model)')

    await ask(page, QUESTION)
    const turn = page.locator('[data-testid="assistant-turn"][data-outcome="answered"]')
    await turn.waitFor({ timeout: 30_000 })
    const text = page.getByTestId('assistant-text')
    // The quote is a blockquote, and [n] a link to the article with its title as the accessible name.
    await text.locator('blockquote', { hasText: PASSAGE }).waitFor()
    const cite = text.locator(`a[href$="/admin/collections/kb-articles/${article}"]`).first()
    expect(await cite.getAttribute('aria-label')).toMatch(new RegExp(`^Source \\d+: ${TITLE}$`))
    expect(await cite.textContent()).toMatch(/^\[\d+\]$/)
    expect(await text.innerHTML()).not.toContain('**')
    const source = page.getByTestId('assistant-sources').locator(`a[href$="/admin/collections/kb-articles/${article}"]`).first()
    expect(await source.innerText()).toContain(TITLE)
    expect(await page.getByTestId('assistant-usage').innerText()).toMatch(/This month: \d+ model requests?, [\d,]+ tokens of 1,000,000, (≈ \$\d+\.\d\d|under \$0\.01)/)
    expect(await seriousAxeFindings(page, ['.assistant'])).toEqual([])
    await shots(page, 'answer')

    // A question the knowledge base has nothing on is said so, with a way to add an article.
    await ask(page, 'Do you repair bicycles with carbon frames?')
    await page.locator('[data-testid="assistant-turn"][data-outcome="unknown"]').waitFor({ timeout: 30_000 })
    await page.getByTestId('assistant-unknown').getByRole('link', { name: 'Add an article' }).waitFor()
    // The earlier question stays one click away.
    await page.getByRole('region', { name: 'Earlier questions' }).getByRole('button', { name: QUESTION }).waitFor()
    await shots(page, 'unknown')
  })

  it('streams a model’s answer (fake OpenAI) with its citation linked', async () => {
    await setProvider('openai')
    try {
      const page = await newPage('sender@demo.test')
      await page.goto(`${baseURL}/admin/assistant`)
      await expect.poll(() => page.getByTestId('assistant-provider').textContent(), { timeout: 30_000 }).toBe('OpenAI gpt-4o-mini')
      const streamed = page.waitForResponse((res) => res.url().endsWith('/api/assistant/ask'))
      await ask(page, QUESTION)
      expect((await streamed).headers()['content-type']).toContain('application/x-ndjson')
      await page.locator('[data-testid="assistant-turn"][data-outcome="answered"]').waitFor({ timeout: 30_000 })
      const text = page.getByTestId('assistant-text')
      expect(await text.innerText()).toContain('Fake answer')
      const cite = text.getByTestId('citation-1')
      expect(await cite.getAttribute('href')).toBe(`/admin/collections/kb-articles/${article}`)
      expect(await cite.getAttribute('aria-label')).toBe(`Source 1: ${TITLE}`)
      // The model's tokens count towards the month once the answer is done.
      await expect.poll(() => page.getByTestId('assistant-usage').innerText()).toMatch(/This month: [1-9]\d* model requests?, [1-9][\d,]* tokens/)
      await shots(page, 'openai')
    } finally {
      await setProvider(originalProvider)
    }
  })

  it('a viewer, who may not ask, gets no link and no refused request', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
    const refused: string[] = []
    page.on('response', (res) => {
      if ((res.status() === 401 || res.status() === 403) && res.url().startsWith(origin)) refused.push(`${res.status()} ${res.url()}`)
    })
    await login(page, baseURL, 'viewer@demo.test')
    await page.goto(`${baseURL}/admin/assistant`)
    await page.getByTestId('assistant-forbidden').waitFor({ timeout: 30_000 })
    expect(await page.locator('#nav-assistant').count()).toBe(0)
    expect(refused).toEqual([])
  })
})

describe('"Suggest a reply" in the inbox', () => {
  it('fills the reply box with the knowledge base’s answer, without citation marks, and sends nothing', async () => {
    // The worker threads inbound email into conversations.
    worker = await startWorkerProcess({ ...TEST_ENV, DATABASE_URL: inject('e2eDatabaseURL'), SITE_URL: baseURL, WORKER_POLL_SECONDS: '0.5' })
    const secret = (await api('admin@demo.test', `/organizations/${org}`)).body.inbound.emailSecret as string
    const from = `gardener-${stamp}@example.com`
    const form = new FormData()
    form.set('headers', `Message-ID: <assistant-${stamp}@mail.example.com>\nSubject: Saturday\n`)
    form.set('from', `Gil Gardener <${from}>`)
    form.set('to', 'news@demo.example')
    form.set('subject', 'Saturday')
    form.set('text', QUESTION)
    form.set('charsets', '{"text":"UTF-8"}')
    expect((await fetch(`${baseURL}/api/callbacks/inbound-email/${secret}`, { method: 'POST', body: form })).status).toBe(200)

    const page = await newPage('sender@demo.test')
    await page.goto(`${baseURL}/admin/inbox`)
    await page.getByTestId('inbox-list').getByRole('button', { name: new RegExp(from) }).click({ timeout: 30_000 })
    await page.getByTestId('inbox-messages').getByText(QUESTION).waitFor()
    const box = page.getByTestId('reply-box')
    await box.getByRole('button', { name: 'Suggest a reply' }).click()
    const reply = box.getByLabel('Reply')
    await expect.poll(() => reply.inputValue(), { timeout: 30_000 }).toContain(PASSAGE)
    const draft = await reply.inputValue()
    expect(draft).not.toMatch(/\[\d+\]/)
    expect(draft).not.toContain('**')
    expect(draft).not.toContain(TITLE)
    expect(draft).not.toContain('knowledge base:')
    expect(await reply.evaluate((el) => el === document.activeElement)).toBe(true)
    await shots(page, 'suggest-reply')

    // Nothing went out: the thread still has only the inbound message.
    const conversation = (await api('sender@demo.test', `/conversations?where[address][equals]=${encodeURIComponent(from)}&depth=0`)).body.docs[0].id
    const messages = (await api('sender@demo.test', `/messages?where[conversation][equals]=${conversation}&depth=0`)).body.docs as { direction: string }[]
    expect(messages.map((m) => m.direction)).toEqual(['inbound'])
  })
})

describe('importing articles from files', () => {
  it('turns a chosen Markdown file into a draft article, listed with a link, and says why another file is refused', async () => {
    const page = await newPage('approver@demo.test')
    await page.goto(`${baseURL}/admin/collections/kb-articles`)
    const panel = page.getByTestId('kb-import')
    await panel.getByText('Import files').waitFor({ timeout: 30_000 })
    const title = `Imported guide ${stamp}`
    await page.getByTestId('kb-import-input').setInputFiles([
      { name: 'guide.md', mimeType: 'text/markdown', buffer: Buffer.from(`# ${title}\n\n## Lockers\n\nLockers take a pound coin.`) },
      { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([137, 80, 78, 71]) },
    ])
    const link = panel.getByRole('link', { name: title })
    await link.waitFor({ timeout: 30_000 })
    expect(await panel.innerText()).toContain('guide.md: ' + title + ' (draft)')
    expect(await panel.innerText()).toContain('photo.png: "photo.png" is not a Markdown, text, HTML or PDF file')
    await shots(page, 'import')
    const id = Number((await link.getAttribute('href'))!.split('/').pop())
    const doc = (await api('admin@demo.test', `/kb-articles/${id}?depth=0`)).body
    expect(doc).toEqual(expect.objectContaining({ title, status: 'draft', org }))
    await api('admin@demo.test', `/kb-articles/${id}`, { method: 'DELETE' })
  })
})
