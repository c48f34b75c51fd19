import config from '@payload-config'
import { GRAPHQL_POST, REST_DELETE, REST_GET, REST_PATCH, REST_POST } from '@payloadcms/next/routes'
import { getPayload, type Payload } from 'payload'

import { boundedRoute } from '@/endpoints/bounded-route'
import { limitGraphQLBody } from '@/endpoints/graphql-body-limit'
import { demoPassword } from '@/seed/seed-demo'

/**
 * Boots Payload once per test process and calls its real Next.js route handlers (REST and GraphQL)
 * with real Request objects: the same code path a browser or curl takes, minus the socket.
 */
export const getTestPayload = (): Promise<Payload> => getPayload({ config })

// The same wrapping as src/app/(payload)/api/[...slug]/route.ts and graphql/route.ts.
const handlers = {
  GET: boundedRoute(REST_GET(config)),
  POST: boundedRoute(REST_POST(config)),
  PATCH: boundedRoute(REST_PATCH(config)),
  DELETE: boundedRoute(REST_DELETE(config)),
}
const graphql = boundedRoute(limitGraphQLBody(GRAPHQL_POST(config)))

const BASE = 'http://localhost:3000'

export type ApiResponse<T = any> = { status: number; body: T; headers: Headers }

const parse = async (response: Response): Promise<ApiResponse> => {
  const text = await response.text()
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    // non-JSON bodies (files, HTML) stay text
  }
  return { status: response.status, body, headers: response.headers }
}

export type RequestOptions = { body?: unknown; headers?: Record<string, string>; formData?: FormData; raw?: { type: string; body: string | Uint8Array }; signal?: AbortSignal }

export class ApiClient {
  constructor(private readonly auth: Record<string, string> = {}) {}

  async rest(method: keyof typeof handlers, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return parse(await this.restRaw(method, path, options))
  }

  /** The route's Response as it is (to read a streamed body piece by piece). */
  async restRaw(method: keyof typeof handlers, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(`/api${path.startsWith('/') ? path : `/${path}`}`, BASE)
    const headers: Record<string, string> = { ...this.auth, ...options.headers }
    let body: BodyInit | undefined
    if (options.formData) body = options.formData
    else if (options.raw) {
      headers['content-type'] = options.raw.type
      body = options.raw.body as BodyInit
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.body)
    }
    const request = new Request(url, { method, headers, body, signal: options.signal })
    const slug = url.pathname.replace(/^\/api\//, '').split('/').filter(Boolean).map(decodeURIComponent)
    return handlers[method](request, { params: Promise.resolve({ slug }) })
  }

  get = (path: string, options?: RequestOptions) => this.rest('GET', path, options)
  post = (path: string, body?: unknown, options?: RequestOptions) => this.rest('POST', path, { ...options, body })
  patch = (path: string, body?: unknown, options?: RequestOptions) => this.rest('PATCH', path, { ...options, body })
  delete = (path: string, options?: RequestOptions) => this.rest('DELETE', path, options)

  async gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<ApiResponse<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }>> {
    const request = new Request(new URL('/api/graphql', BASE), {
      method: 'POST',
      headers: { ...this.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    })
    return parse(await graphql(request))
  }

  /** A GraphQL post of any body, as a client could send it. */
  async gqlRaw(body: string): Promise<ApiResponse> {
    const request = new Request(new URL('/api/graphql', BASE), { method: 'POST', headers: { ...this.auth, 'content-type': 'application/json' }, body })
    return parse(await graphql(request))
  }
}

export const anonymous = () => new ApiClient()

const tokens = new Map<string, string>()

/** A client logged in (JWT) as one of the demo users, e.g. `await loginAs('sender@demo.test')`. */
export const loginAs = async (email: string, password = demoPassword()): Promise<ApiClient> => {
  let token = tokens.get(email)
  if (!token) {
    const response = await anonymous().post('/users/login', { email, password })
    if (response.status !== 200) throw new Error(`login as ${email} failed: ${response.status} ${JSON.stringify(response.body)}`)
    token = response.body.token as string
    tokens.set(email, token)
  }
  return new ApiClient({ Authorization: `JWT ${token}` })
}

/** A client authenticated by a user's API key (Payload's `useAPIKey`). */
export const withApiKey = (apiKey: string) => new ApiClient({ Authorization: `users API-Key ${apiKey}` })

export const findOrgID = async (payload: Payload, slug: string): Promise<number> => {
  const { docs } = await payload.find({ collection: 'organizations', where: { slug: { equals: slug } }, limit: 1 })
  if (!docs[0]) throw new Error(`org ${slug} not seeded`)
  return docs[0].id
}
