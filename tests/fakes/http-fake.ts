import http from 'node:http'

export type FakeRequest = {
  method: string
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  body: Buffer
  json: () => any
}

export type FakeResponse = { status?: number; headers?: Record<string, string>; body?: unknown }

export type FakeRoute = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>

export type HttpFake = {
  url: string
  requests: FakeRequest[]
  /** Replace or add a route, keyed `"METHOD /path"`. */
  route: (key: string, handler: FakeRoute) => void
  close: () => Promise<void>
}

/**
 * The base of the provider fakes (SendGrid, Google, OpenAI): a loopback HTTP server with a route
 * table that records every request. Unknown routes answer 404 in the provider-neutral JSON shape.
 */
export const startHttpFake = async (routes: Record<string, FakeRoute> = {}, { keepRequests = true }: { keepRequests?: boolean } = {}): Promise<HttpFake> => {
  const table = new Map(Object.entries(routes))
  const requests: FakeRequest[] = []

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const body = Buffer.concat(chunks)
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        json: () => JSON.parse(body.toString('utf8')),
      }
      if (keepRequests) requests.push(request)
      const handler = table.get(`${request.method} ${request.path}`)
      try {
        const reply: FakeResponse = handler ? await handler(request) : { status: 404, body: { errors: [{ message: 'no such route' }] } }
        const isText = typeof reply.body === 'string' || Buffer.isBuffer(reply.body)
        res.writeHead(reply.status ?? 200, {
          'content-type': isText ? 'text/plain' : 'application/json',
          ...reply.headers,
        })
        res.end(reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body))
      } catch (error) {
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ errors: [{ message: String(error) }] }))
      }
    })
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route: (key, handler) => table.set(key, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
