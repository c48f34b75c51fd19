/**
 * Forms match the role, walked in the browser per role (admin, approver, sender, viewer, another org's
 * admin): every page a role can open loads without one 401/403 answer and without a request to any host
 * but ours, and where the one role table says a role cannot create or change something, the page offers
 * no control for it (no "Create New", no enabled Save). The home page is photographed per role, light
 * and dark.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { type OrgAction, type OrgRole, roleAllows } from '@/access/roles'

import { launchBrowser, login, restClient, screenshot } from '../helpers/browser'

const baseURL = inject('baseURL')
const { origin } = new URL(baseURL)
const { api, login: loginAPI, created } = restClient(baseURL)
let browser: Browser

type Person = { email: string; role: OrgRole; name: string; ownOrg: boolean }
const PEOPLE: Person[] = [
  { email: 'admin@demo.test', role: 'admin', name: 'admin', ownOrg: true },
  { email: 'approver@demo.test', role: 'approver', name: 'approver', ownOrg: true },
  { email: 'sender@demo.test', role: 'sender', name: 'sender', ownOrg: true },
  { email: 'viewer@demo.test', role: 'viewer', name: 'viewer', ownOrg: true },
  { email: 'admin@other.test', role: 'admin', name: 'other-org', ownOrg: false },
]

/** Each list and who may create in it (by the role table). */
const LISTS: { slug: string; create: OrgAction }[] = [
  { slug: 'contacts', create: 'contacts.edit' },
  { slug: 'segments', create: 'segments.edit' },
  { slug: 'email-templates', create: 'templates.edit' },
  { slug: 'email-jobs', create: 'jobs.queue' },
  { slug: 'suppressions', create: 'suppressions.manage' },
  { slug: 'imports', create: 'contacts.edit' },
]

/** A document of the demo org per collection, and who may change it. */
const DOCS: { slug: string; field: string; edit: OrgAction }[] = [
  { slug: 'contacts', field: '#field-email', edit: 'contacts.edit' },
  { slug: 'organizations', field: '#field-name', edit: 'org.settings' },
]
const ids: Record<string, number> = {}

/** Records what a page asked for that it should not: a 401/403 from our API, or any other host. */
const watch = (page: Page) => {
  const problems: string[] = []
  page.on('request', (req) => {
    const url = new URL(req.url())
    if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.origin !== origin) problems.push(`foreign request: ${req.method()} ${req.url()}`)
  })
  page.on('response', (res) => {
    if ((res.status() === 401 || res.status() === 403) && res.url().startsWith(origin)) problems.push(`${res.status()} ${res.request().method()} ${res.url().slice(origin.length)}`)
  })
  return problems
}

/** Opens a page and lets it settle: its API reads (and any follow-up reads) have answered. */
const visit = async (page: Page, path: string) => {
  await page.goto(`${baseURL}${path}`)
  await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined)
}

beforeAll(async () => {
  for (const person of PEOPLE) await loginAPI(person.email)
  const first = async (path: string) => (await api('admin@demo.test', `${path}${path.includes('?') ? '&' : '?'}limit=1&depth=0`)).body.docs[0]?.id as number
  ids.organizations = await first('/organizations?where[slug][equals]=demo-org')
  ids.contacts = await first('/contacts')
  ids['email-templates'] = await first('/email-templates?where[channel][equals]=email')
  // A draft job of the sender's, to a few contacts.
  const contacts = ((await api('admin@demo.test', '/contacts?limit=3&depth=0')).body.docs as { id: number }[]).map((c) => c.id)
  const approved = await first('/email-templates?where[channel][equals]=email&where[status][equals]=approved')
  ids['email-jobs'] = await created('sender@demo.test', '/email-jobs', { org: ids.organizations, name: `Roles walk ${Date.now().toString(36)}`, template: approved, contacts })
  for (const [slug, id] of Object.entries(ids)) expect(id, `a demo ${slug} document`).toBeTypeOf('number')
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  if (ids['email-jobs']) await api('sender@demo.test', `/email-jobs/${ids['email-jobs']}`, { method: 'DELETE' })
})

describe('forms match the role', () => {
  for (const person of PEOPLE) {
    it(`${person.name}: no 403 and no foreign request on any page, and no control the role cannot use`, async () => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } })
      const page = await context.newPage()
      const problems = watch(page)
      await login(page, baseURL, person.email)

      await visit(page, '/admin')
      await page.getByTestId('home').waitFor({ timeout: 30_000 })
      for (const path of ['/admin/analytics', '/admin/inbox']) await visit(page, path)

      for (const list of LISTS) {
        await visit(page, `/admin/collections/${list.slug}`)
        await page.locator('.collection-list').first().waitFor({ timeout: 30_000 })
        const canCreate = roleAllows(person.role, list.create)
        const createLinks = await page.locator(`a[href$="/admin/collections/${list.slug}/create"]`).count()
        if (canCreate) expect(createLinks, `${person.name} may create ${list.slug}`).toBeGreaterThan(0)
        else expect(createLinks, `${person.name} may not create ${list.slug}: no Create New`).toBe(0)
      }

      if (person.ownOrg) {
        for (const doc of DOCS) {
          await visit(page, `/admin/collections/${doc.slug}/${ids[doc.slug]}`)
          const field = page.locator(doc.field)
          await field.waitFor({ timeout: 30_000 })
          const canEdit = roleAllows(person.role, doc.edit)
          expect(await field.isEditable(), `${person.name} editing ${doc.slug}`).toBe(canEdit)
          // Save stays disabled until something changed; a role that cannot change the document has none to press.
          const save = page.locator('#action-save')
          if (!canEdit) expect((await save.count()) === 0 || !(await save.isEnabled()), `${person.name} may not save ${doc.slug}`).toBe(true)
        }
        // A template: the approver and the viewer cannot change its content, so its fields are read-only.
        await visit(page, `/admin/collections/email-templates/${ids['email-templates']}`)
        await page.locator('input[name="subject"], #field-subject').first().waitFor({ timeout: 30_000 })
        const subjectEditable = await page.locator('#field-subject').isEditable()
        expect(subjectEditable, `${person.name} editing a template's subject`).toBe(roleAllows(person.role, 'templates.edit'))
        // A draft job.
        await visit(page, `/admin/collections/email-jobs/${ids['email-jobs']}`)
        await page.getByTestId('job-progress').waitFor({ timeout: 30_000 })
      } else {
        // Another org's documents are not found, never a 403 reached through a link.
        await visit(page, `/admin/collections/contacts/${ids.contacts}`)
        expect(await page.locator('#field-email').count()).toBe(0)
      }
      expect(problems, problems.join('\n')).toEqual([])

      // The home page, light and dark.
      for (const theme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: theme })
        await visit(page, '/admin')
        await page.getByTestId('home-week').getByText('Open Analytics').waitFor({ timeout: 30_000 })
        // Photograph the figures, not their loading line.
        await page.getByTestId('home-week-as-of').waitFor({ timeout: 30_000 })
        // The nav opens after hydration on a wide screen…
        await page.locator('.template-default--nav-open').waitFor({ timeout: 15_000 })
        // …and let its slide (and any other finite transition) finish before the photograph.
        await page.evaluate(() => {
          const finite = document.getAnimations().filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity)
          return Promise.race([Promise.all(finite.map((animation) => animation.finished.catch(() => undefined))), new Promise((resolve) => setTimeout(resolve, 3000))])
        })
        await page.waitForTimeout(300)
        await screenshot(page, `home-${person.name}-${theme}`)
      }
      await context.close()
    })
  }
})
