import type { Endpoint, Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { anonymous, type ApiClient, type ApiResponse, getTestPayload, loginAs } from './helpers/app'
import { makeContact, makeUser, unique } from './helpers/fixtures'

/**
 * Bad input never makes a 5xx. Every REST route of the running config (Payload's default endpoints of
 * every collection and global, auth and upload endpoints, and our custom ones, found by walking the
 * config) gets malformed ids, query parameters, bodies and content types, as an org admin and as
 * nobody. Each answer must be a 4xx (or a 2xx) that says what is wrong in a sentence.
 *
 * The requests run as the admin of an org made for this test, so whatever a route accepts changes
 * nothing that other tests rely on.
 */

type Route = { scope: string; method: Endpoint['method']; path: string }

const payload: Payload = await getTestPayload()
let admin: ApiClient
let contactID: number

const BAD_IDS = ['abc', '1e309', '9999999999999', '1.5', 'null', '-1', '0', '69abc', '1;DROP TABLE contacts', 'undefined', "1' OR '1'='1", '..%2F..%2Fetc%2Fpasswd', '9'.repeat(400), '%E2%80%AE1', ' 1']

const BAD_QUERIES = [
  'limit=-1',
  'limit=0',
  'limit=1e309',
  'limit=abc',
  'limit=99999999',
  'page=-5',
  'page=0',
  'page=1e309',
  'depth=-1',
  'depth=1000',
  'depth=x',
  'where[id][near]=1,2',
  'where[tags][all]=x',
  'where[id][equals]=9999999999999',
  'where[id][in]=1,abc',
  'where[createdAt][greater_than]=not-a-date',
  'where[email][unknown_op]=x',
  'where[and][0][id][equals]=abc',
  'where[or]=x',
  'where=not-json',
  'where[org.name][like]=%25',
  'where[nonexistent][equals]=1',
  'where[status][equals]=no-such-status',
  'where[email][like]=%5C',
  'sort=-;DROP',
  'sort=nonexistent',
  'select[nonexistent]=true',
  'populate[x]=y',
  'draft=maybe',
  'pagination=false',
  'pagination=perhaps',
  'locale=zz',
  'trash=true',
  'joins=x',
]

const BAD_BODIES: { name: string; type: string; body: string }[] = [
  { name: 'null', type: 'application/json', body: 'null' },
  { name: 'array', type: 'application/json', body: '[1,2,3]' },
  { name: 'string', type: 'application/json', body: '"text"' },
  { name: 'number', type: 'application/json', body: '1e309' },
  { name: 'truncated', type: 'application/json', body: '{"name":' },
  { name: 'NUL in text', type: 'application/json', body: '{"name":"a\\u0000b","firstName":"a\\u0000b","email":"n\\u0000l@example.com","note":"\\u0000"}' },
  { name: 'wrong types', type: 'application/json', body: '{"email":5,"org":"abc","contacts":"x","status":{},"template":[],"attachments":{"a":1},"name":[],"tags":7,"isDefault":"yes","batchSize":"many"}' },
  { name: 'huge ids', type: 'application/json', body: '{"org":9999999999999,"contactID":9999999999999,"template":1e309,"contacts":[9999999999999,-1,"x"]}' },
  { name: 'deep nesting', type: 'application/json', body: `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}` },
  { name: 'empty JSON', type: 'application/json', body: '' },
  { name: 'plain text', type: 'text/plain', body: 'hello' },
  { name: 'form', type: 'application/x-www-form-urlencoded', body: 'a=1&b=%ZZ' },
  { name: 'broken multipart', type: 'multipart/form-data; boundary=xyz', body: '--xyz\r\nContent-Disposition: form-data; name="_payload"\r\n\r\n{not json\r\n--xyz--' },
  { name: 'multipart without boundary', type: 'multipart/form-data', body: 'garbage' },
  { name: 'XML', type: 'application/xml', body: '<a>1</a>' },
]

const routesOf = (scope: string, endpoints: Endpoint[] | false | undefined): Route[] =>
  (Array.isArray(endpoints) ? endpoints : []).map((endpoint) => ({ scope, method: endpoint.method, path: endpoint.path }))

// GET /api/og renders the admin's Open Graph image with the admin's import map, which exists only in the
// built app (tests/e2e/security-headers.e2e.test.ts requests it there); called in-process it cannot render.
const IN_PROCESS_ONLY_SKIPS = new Set(['GET /og'])

const allRoutes = (): Route[] =>
  [
    ...payload.config.collections.flatMap((collection) => routesOf(`/${collection.slug}`, collection.endpoints)),
    ...payload.config.globals.flatMap((global) => routesOf(`/globals/${global.slug}`, global.endpoints)),
    ...routesOf('', payload.config.endpoints),
  ].filter((route) => !IN_PROCESS_ONLY_SKIPS.has(`${route.method.toUpperCase()} ${route.scope}${route.path}`))

/** A concrete path for a route pattern: each `:param` gets `value` (an optional one may be dropped). */
const fill = (route: Route, value: string) =>
  `${route.scope}${route.path}`
    .replace(/:(\w+)\?/g, () => value)
    .replace(/:(\w+)/g, () => value)
    .replace(/\/$/, '') || '/'

const call = (client: ApiClient, route: Route, path: string, body?: { type: string; body: string }): Promise<ApiResponse> => {
  const method = route.method.toUpperCase() as 'GET' | 'POST' | 'PATCH' | 'DELETE'
  const verb = method === ('PUT' as string) ? 'PATCH' : method
  return client.rest(verb as 'GET', path, body ? { raw: body } : {})
}

const problems: string[] = []
/** A 5xx is a defect; a 4xx must say what is wrong. */
const check = (label: string, res: ApiResponse) => {
  if (res.status >= 500) {
    problems.push(`${label} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`)
    return
  }
  if (res.status >= 400) {
    const body = res.body as { errors?: { message?: unknown }[]; message?: unknown } | string
    const message = typeof body === 'string' ? body : (body?.errors?.[0]?.message ?? body?.message)
    if (typeof message !== 'string' || message.trim().length < 3) problems.push(`${label} → ${res.status} without a sentence: ${JSON.stringify(res.body).slice(0, 200)}`)
  }
}

beforeAll(async () => {
  const org = await payload.create({ collection: 'organizations', data: { name: unique('Fuzz Org'), slug: unique('fuzz') } })
  const user = await makeUser(payload, [{ org: org.id, roles: ['admin'] }])
  admin = await loginAs(user.email, 'fixture-password')
  contactID = (await makeContact(payload, org.id)).id
})

describe('no 5xx on bad input, on every REST route of the config', () => {
  const routes = allRoutes()

  it('the walk finds every kind of route (default, auth, upload, global, custom)', () => {
    const paths = routes.map((r) => `${r.method.toUpperCase()} ${r.scope}${r.path}`.replace(/\/$/, ''))
    expect(paths).toEqual(
      expect.arrayContaining([
        'GET /contacts/:id',
        'PATCH /contacts',
        'DELETE /contacts/:id',
        'GET /email-templates/versions/:id',
        'POST /email-templates/:id/preview',
        'POST /email-jobs/:id/queue',
        'POST /users/unlock',
        'GET /media/file/:filename',
        'POST /globals/payload-jobs-stats',
        'POST /organizations/:id/test-email',
        'GET /metrics/summary',
      ]),
    )
    expect(routes.length).toBeGreaterThan(200)
  })

  it('malformed ids in every route parameter', async () => {
    const withParams = routes.filter((route) => route.path.includes(':'))
    for (const [index, route] of withParams.entries()) {
      // Every route gets '69abc' and a rotating share of the other bad ids, so all are used across routes.
      const ids = ['69abc', ...BAD_IDS.filter((_, i) => (i + index) % 4 === 0)]
      for (const id of ids) {
        const path = fill(route, encodeURIComponent(decodeURIComponent(id)))
        check(`${route.method.toUpperCase()} ${path}`, await call(admin, route, path))
      }
    }
    expect(problems).toEqual([])
  })

  it('malformed query parameters on every route without parameters, and on reads by id', async () => {
    const targets = routes.filter((route) => route.method === 'get' && (!route.path.includes(':') || route.path === '/:id'))
    for (const route of targets) {
      const base = fill(route, String(contactID))
      for (const query of BAD_QUERIES) check(`GET ${base}?${query}`, await call(admin, route, `${base}?${query}`))
    }
    // Bulk changes with bad filters (on collections where a match deletes nothing other tests need).
    for (const scope of ['/contacts', '/suppressions']) {
      for (const query of BAD_QUERIES.filter((q) => q.startsWith('where') || q.startsWith('limit'))) {
        check(`PATCH ${scope}?${query}`, await admin.rest('PATCH', `${scope}?${query}`, { body: { note: 'x' } }))
        check(`DELETE ${scope}?${query}`, await admin.rest('DELETE', `${scope}?${query}`))
      }
    }
    expect(problems).toEqual([])
  })

  it('malformed bodies and content types on every write route', async () => {
    const writes = routes.filter((route) => route.method === 'post' || route.method === 'patch' || route.method === 'put')
    for (const [index, route] of writes.entries()) {
      const path = fill(route, String(contactID))
      // Every route gets the JSON shapes; the other content types rotate across routes.
      const bodies = BAD_BODIES.filter((body, i) => body.type === 'application/json' || (i + index) % 3 === 0)
      for (const body of bodies) check(`${route.method.toUpperCase()} ${path} [${body.name}]`, await call(admin, route, path, body))
    }
    expect(problems).toEqual([])
  })

  it('the same without logging in', async () => {
    for (const [index, route] of routes.entries()) {
      const path = fill(route, index % 2 ? '69abc' : String(contactID))
      const body = route.method === 'get' || route.method === 'delete' ? undefined : BAD_BODIES[index % BAD_BODIES.length]
      check(`anonymous ${route.method.toUpperCase()} ${path}`, await call(anonymous(), route, path, body))
    }
    expect(problems).toEqual([])
  })

  it('bodies over the limit are a 413; a 10 MB GraphQL query is refused', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(3_000_000) })
    const res = await admin.rest('POST', '/contacts', { raw: { type: 'application/json', body: big } })
    expect(res.status).toBe(413)
    expect(res.body.errors[0].message).toMatch(/larger than 2 MB/)
    const gql = await admin.gqlRaw('x'.repeat(10_000_000))
    expect(gql.status).toBe(413)
    expect(JSON.stringify(gql.body)).toMatch(/larger than/)
  })
})
