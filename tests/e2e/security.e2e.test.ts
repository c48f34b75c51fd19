import fs from 'node:fs'
import path from 'node:path'

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { launchBrowser, login, restClient } from '../helpers/browser'

/**
 * Security as a browser and an HTTP client see the production build: the admin works under its
 * Content-Security-Policy (no violation, no console error, no request to another host) on the pages
 * with the most moving parts, every response carries the security headers, uploads are downloads, and a
 * malformed path is a 400 with a sentence.
 */
const baseURL = inject('baseURL')
const SHOTS = process.env.SCREENSHOT_DIR || '/tmp/outpost-shots'
const { api, login: loginAPI, created } = restClient(baseURL)
let browser: Browser
let templateID: number
let jobID: number
let demo: number

const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

type Watch = { problems: string[]; foreign: string[] }

/** Records CSP violations, console errors, failed page errors and requests to any host but ours. */
const watch = (page: Page): Watch => {
  const watched: Watch = { problems: [], foreign: [] }
  const origin = new URL(baseURL).origin
  page.on('console', (message) => {
    if (message.type() === 'error') watched.problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => watched.problems.push(`page error: ${error.message}`))
  page.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:') && !url.startsWith('about:')) watched.foreign.push(url)
  })
  return watched
}

const cspViolations = (page: Page) =>
  page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? [])

const open = async (page: Page, url: string, ready: string) => {
  await page.goto(`${baseURL}${url}`)
  await page.waitForSelector(ready, { timeout: 30_000 })
  await page.waitForLoadState('networkidle')
}

beforeAll(async () => {
  browser = await launchBrowser()
  await loginAPI('admin@demo.test')
  const orgs = await api('admin@demo.test', '/organizations')
  demo = orgs.body.docs[0].id
  templateID = await created('admin@demo.test', '/email-templates', {
    org: demo,
    name: `CSP check ${Date.now()}`,
    subject: 'Hello {{first_name}}',
    html: '<p>Dear {{full_name}}</p><img src="https://tracker.example.net/pixel.gif"><p><a href="{{unsubscribe_link}}">Unsubscribe</a></p>',
  })
  const contacts = await api('admin@demo.test', `/contacts?limit=2&where[org][equals]=${demo}`)
  jobID = await created('admin@demo.test', '/email-jobs', { org: demo, name: `CSP job ${Date.now()}`, template: (await api('admin@demo.test', `/email-templates?where[and][0][org][equals]=${demo}&where[and][1][status][equals]=approved&limit=1`)).body.docs[0].id, contacts: contacts.body.docs.map((c: { id: number }) => c.id) })
  const queued = await api('admin@demo.test', `/email-jobs/${jobID}/queue`, { method: 'POST' })
  expect(queued.status, JSON.stringify(queued.body)).toBe(200)
})

afterAll(async () => {
  await browser?.close()
})

describe('the admin under its Content-Security-Policy', () => {
  it('the template page (live preview in a sandboxed frame), the job page (settings snapshot) and analytics (charts) load with no violation, console error or foreign request', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    // Collect violations from the first script on, on every page of the context.
    await context.addInitScript(() => {
      const list: string[] = []
      ;(window as unknown as { __violations: string[] }).__violations = list
      document.addEventListener('securitypolicyviolation', (event) => list.push(`${event.violatedDirective} ${event.blockedURI}`))
    })
    const page = await context.newPage()
    const watched = watch(page)
    await login(page, baseURL, 'admin@demo.test')

    const pages: [string, string, string][] = [
      ['dashboard', '/admin', 'nav'],
      ['template', `/admin/collections/email-templates/${templateID}`, 'iframe'],
      ['job', `/admin/collections/email-jobs/${jobID}`, '.json-view__code'],
      ['analytics', '/admin/analytics', '.recharts-surface'],
    ]
    for (const [name, url, ready] of pages) {
      await open(page, url, ready)
      expect(await cspViolations(page), name).toEqual([])
      fs.mkdirSync(SHOTS, { recursive: true })
      await page.screenshot({ path: path.join(SHOTS, `security-${name}.png`) })
    }
    // The settings snapshot renders with the bundled viewer (Payload's JSON editor would fetch Monaco from a CDN).
    await open(page, `/admin/collections/email-jobs/${jobID}`, '.json-view__code')
    expect(await page.locator('.json-view__code').first().innerText()).toMatch(/"batchSize"/)
    // The template's preview really rendered, and its remote image was not fetched.
    const frame = page.frameLocator('iframe').first()
    await open(page, `/admin/collections/email-templates/${templateID}`, 'iframe')
    await expect.poll(() => frame.locator('body').innerText(), { timeout: 15_000 }).toMatch(/Dear/)
    expect(await page.getByTestId('preview-remote-note').innerText()).toMatch(/1 remote image or style is not loaded in the preview/)

    expect(watched.foreign, 'requests to other hosts').toEqual([])
    expect(watched.problems.filter((p) => !/Failed to load resource: the server responded with a status of 404/.test(p)), 'console errors').toEqual([])
    await context.close()
  })

  it('pages carry a CSP with a fresh nonce per request and no inline script allowance; inline scripts Next renders carry the nonce', async () => {
    const first = await fetch(`${baseURL}/admin/login`)
    const second = await fetch(`${baseURL}/admin/login`)
    const policy = first.headers.get('content-security-policy') ?? ''
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/)
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/)
    expect(policy).not.toMatch(/unsafe-eval/)
    expect(policy).toMatch(/frame-ancestors 'self'/)
    expect(policy).toMatch(/object-src 'none'/)
    const nonce = /'nonce-([^']+)'/.exec(policy)![1]!
    expect(second.headers.get('content-security-policy')).not.toContain(nonce)
    const html = await first.text()
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
    expect(scripts.length).toBeGreaterThan(0)
    for (const tag of scripts) expect(tag, tag).toContain(`nonce="${nonce}"`)
  })
})

describe('headers on every response', () => {
  it('pages, API answers and the unsubscribe page send the security headers (HSTS in production)', async () => {
    for (const url of ['/admin/login', '/api/users/me', '/api/unsubscribe/not-a-token', '/']) {
      const res = await fetch(`${baseURL}${url}`)
      const headers = res.headers
      expect(headers.get('x-content-type-options'), url).toBe('nosniff')
      expect(headers.get('referrer-policy'), url).toBe('strict-origin-when-cross-origin')
      expect(headers.get('x-frame-options'), url).toBe('SAMEORIGIN')
      expect(headers.get('strict-transport-security'), url).toBe('max-age=63072000; includeSubDomains')
      expect(headers.get('content-security-policy'), url).toBeTruthy()
      expect(headers.get('x-powered-by'), url).toBeNull()
    }
    const api = await fetch(`${baseURL}/api/users/me`)
    expect(api.headers.get('content-security-policy')).toMatch(/default-src 'none'/)
    expect(api.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/)
  })

  it('uploaded files are downloads unless they are images; HTML never renders on our origin', async () => {
    const form = (name: string, type: string, data: Buffer | string) => {
      const body = new FormData()
      body.append('file', new Blob([typeof data === 'string' ? data : new Uint8Array(data)], { type }), name)
      body.append('_payload', JSON.stringify({ org: demo, alt: name }))
      return body
    }
    const token = (await api('', '/users/login', { method: 'POST', body: JSON.stringify({ email: 'admin@demo.test', password: 'demo-password' }) })).body.token
    const upload = async (name: string, type: string, data: Buffer | string) => {
      const res = await fetch(`${baseURL}/api/media`, { method: 'POST', headers: { Authorization: `JWT ${token}` }, body: form(name, type, data) })
      expect(res.status, name).toBe(201)
      return (await res.json()).doc as { filename: string; url: string }
    }
    const csv = await upload('list.csv', 'text/csv', 'a,b\n<script>alert(1)</script>,2\n')
    const txt = await upload('notes.txt', 'text/plain', '<html><script>alert(1)</script></html>')
    const png = await upload('pixel.png', 'image/png', PNG_1x1)
    expect(csv.filename).toMatch(/^[0-9a-f]{16}-list\.csv$/)
    for (const [doc, disposition] of [[csv, 'attachment'], [txt, 'attachment'], [png, null]] as const) {
      const res = await fetch(`${baseURL}/api/media/file/${doc.filename}`, { headers: { Authorization: `JWT ${token}` } })
      expect(res.status, doc.filename).toBe(200)
      expect(res.headers.get('content-disposition'), doc.filename).toBe(disposition)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('content-security-policy')).toMatch(/sandbox|default-src 'none'/)
    }
  })
})

describe('malformed addresses', () => {
  it('a malformed % escape anywhere is a 400 with a sentence, never a plain-text 500', async () => {
    for (const url of ['/api/contacts/%E0%A4%A', '/api/%', '/admin/collections/%ZZ', '/api/users/%C0%AF', '/%']) {
      const res = await fetch(`${baseURL}${url}`)
      expect(res.status, url).toBe(400)
      expect(await res.text(), url).toMatch(/malformed % escape/)
    }
  })

  it('GET /api/og (the admin’s Open Graph image) answers on bad parameters without a 5xx', async () => {
    for (const query of ['', '?title=%3Cscript%3E', `?title=${'x'.repeat(5000)}`, '?description=%00']) {
      const res = await fetch(`${baseURL}/api/og${query}`)
      expect(res.status, query).toBeLessThan(500)
    }
  })
})
