/**
 * Payload's REST API over a real socket, without Next's server: a `node:http` server on loopback that
 * turns each request into a web `Request` (body streamed) and hands it to the very route handlers
 * Next's `/api/[...slug]` route exports (`REST_GET(config)`, `REST_POST(config)`, …), then streams the
 * `Response` back. What a benchmark measures through it is Payload's request handling plus our
 * endpoint plus HTTP, minus Next's router.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

import type { SanitizedConfig } from 'payload'

import { boundedRoute } from '../../src/endpoints/bounded-route'

export type PayloadHttpServer = { url: string; close: () => Promise<void> }

type RouteHandler = (request: Request, args: { params: Promise<{ slug: string[] }> }) => Promise<Response>

const API_PREFIX = '/api/'

/** The request's headers as sent (repeated ones appended, not joined). */
const headersOf = (req: http.IncomingMessage): Headers => {
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
  return headers
}

/** The web Request, whose signal aborts when the client goes away before the answer is sent (as Next's does). */
const toWebRequest = (req: http.IncomingMessage, res: http.ServerResponse, origin: string): Request => {
  const method = req.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD'
  const gone = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) gone.abort()
  })
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers: headersOf(req),
    signal: gone.signal,
    body: hasBody ? (Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>) : undefined,
    // Node's fetch requires this for a streamed request body.
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit)
}

const sendWebResponse = async (response: Response, res: http.ServerResponse): Promise<void> => {
  res.statusCode = response.status
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length) res.setHeader('set-cookie', cookies)
  if (!response.body) {
    res.end()
    return
  }
  await pipeline(Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>), res)
}

/**
 * Starts the server on 127.0.0.1 (a free port). `config` is the app's config (or its promise), as
 * `payload.config.ts` exports it; import it only after the environment is set.
 */
export const startPayloadHttpServer = async (config: Promise<SanitizedConfig> | SanitizedConfig): Promise<PayloadHttpServer> => {
  const routes = await import('@payloadcms/next/routes')
  const handlers: Record<string, RouteHandler> = {
    GET: boundedRoute(routes.REST_GET(config)),
    POST: boundedRoute(routes.REST_POST(config)),
    PATCH: boundedRoute(routes.REST_PATCH(config)),
    PUT: boundedRoute(routes.REST_PUT(config)),
    DELETE: boundedRoute(routes.REST_DELETE(config)),
    OPTIONS: routes.REST_OPTIONS(config),
  }
  let origin = 'http://127.0.0.1'
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', origin).pathname
    const handler = handlers[req.method ?? '']
    if (!handler || !pathname.startsWith(API_PREFIX)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    // As Next hands a catch-all route its params: the segments after /api/, each decoded.
    const slug = pathname.slice(API_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent)
    handler(toWebRequest(req, res, origin), { params: Promise.resolve({ slug }) })
      .then((response) => sendWebResponse(response, res))
      .catch((error: unknown) => {
        console.error(error)
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
        res.end(String((error as Error)?.message ?? error))
      })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
