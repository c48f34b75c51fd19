import http from 'node:http'

/** A request as the fake received it; `deployment` is set for Azure's `/openai/deployments/{deployment}/…` paths. */
export type OpenAIFakeRequest = {
  method: string
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  /** Parsed JSON body (undefined when there was none). */
  body: any
  deployment: string | null
}

export type OpenAIFake = {
  /** `http://127.0.0.1:PORT`, without `/v1` (pass `url + '/v1'` to `OpenAI`, `url` as `AzureOpenAI`'s endpoint). */
  url: string
  /** Every request, in order. */
  requests: OpenAIFakeRequest[]
  /** Only the chat completion requests (`/v1/…` and Azure deployment paths). */
  chatRequests: () => OpenAIFakeRequest[]
  /** What the next chat completions answer; default: reply(() => 'Fake answer [1].') */
  reply: (make: (body: any) => string) => void
  /** Answer the next `times` chat/embedding/moderation requests with this HTTP error (OpenAI error JSON, optional Retry-After seconds). Calls queue up. */
  failNext: (status: number, options?: { times?: number; retryAfter?: number; message?: string; code?: string }) => void
  /** Streaming: delay in ms between SSE chunks (default 5); abortAfterChunks: destroy the socket after N content chunks. Stays set until the next call. */
  streaming: (options: { chunkDelayMs?: number; abortAfterChunks?: number }) => void
  /** Moderation: texts containing any of these substrings (case-insensitive) are flagged. Default: ['kill them all']. */
  flagWords: (words: string[]) => void
  close: () => Promise<void>
}

type Failure = { status: number; remaining: number; retryAfter?: number; message?: string; code?: string }

type Answer = { status: number; headers?: Record<string, string>; body: unknown }

/** The dimension of the fake embeddings. */
export const FAKE_EMBEDDING_DIMENSIONS = 64

const MODERATION_CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const

/** The estimate the fake uses for token counts: a token per four characters. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4)

/** `/v1/x`, `/openai/x` and `/openai/deployments/{d}/x` all name route `/x`; Azure's deployment is kept. */
const routeOf = (path: string): { route: string; deployment: string | null } => {
  const azure = /^\/openai\/deployments\/([^/]+)(\/.*)$/.exec(path)
  if (azure) return { route: azure[2], deployment: decodeURIComponent(azure[1]) }
  const plain = /^\/(?:v1|openai)(\/.*)$/.exec(path)
  return { route: plain ? plain[1] : path, deployment: null }
}

const errorBody = (message: string, type: string, code: string | null) => ({ error: { message, type, param: null, code } })

const errorType = (status: number) => (status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error')

/** The text of a message's content: a string, or the `text` of its content parts. */
const contentText = (content: unknown): string => {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('')
  return ''
}

/** `input` of embeddings/moderations as texts: a string, strings, token arrays, or moderation content parts. */
const inputTexts = (input: unknown): string[] => {
  if (typeof input === 'string') return [input]
  if (!Array.isArray(input)) return []
  if (input.every((item) => typeof item === 'number')) return [input.join(' ')]
  return input.map((item) => (typeof item === 'string' ? item : Array.isArray(item) ? item.join(' ') : contentText([item])))
}

/** FNV-1a (32 bit) of a string. */
const fnv1a = (text: string) => {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/** A deterministic embedding: hashed bag of lowercased words, L2-normalised, so similar texts score a high cosine. */
export const fakeEmbedding = (text: string): number[] => {
  const vector = new Array<number>(FAKE_EMBEDDING_DIMENSIONS).fill(0)
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) vector[fnv1a(word) % FAKE_EMBEDDING_DIMENSIONS] += 1
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0))
  return norm === 0 ? vector : vector.map((value) => value / norm)
}

/** Base64 of little-endian float32s, as the API answers `encoding_format: 'base64'`. */
const toBase64Floats = (vector: number[]) => {
  const buffer = Buffer.alloc(vector.length * 4)
  vector.forEach((value, index) => buffer.writeFloatLE(value, index * 4))
  return buffer.toString('base64')
}

/** Words with their trailing whitespace: the pieces a streamed reply arrives in. */
const splitReply = (text: string) => text.match(/\S+\s*|\s+/g) ?? []

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A loopback fake of the OpenAI REST API for the real `openai` client (and `AzureOpenAI`): chat completions
 * (JSON or SSE streaming), embeddings (float or base64), moderations and models, with Bearer/`api-key` auth
 * and OpenAI's error JSON. Built on `node:http` rather than the http-fake base because streaming writes
 * chunk by chunk. Every request is logged.
 */
export const startOpenAIFake = async (): Promise<OpenAIFake> => {
  const requests: OpenAIFakeRequest[] = []
  const failures: Failure[] = []
  let makeReply: (body: any) => string = () => 'Fake answer [1].'
  let stream: { chunkDelayMs: number; abortAfterChunks?: number } = { chunkDelayMs: 5 }
  let flagged = ['kill them all']
  let counter = 0
  const nextId = (prefix: string) => `${prefix}-fake${(counter += 1)}`
  const created = () => Math.floor(Date.now() / 1000)

  /** The queued failure for this request, if any (consumes one of its `times`). */
  const takeFailure = (): Answer | null => {
    const failure = failures[0]
    if (!failure) return null
    failure.remaining -= 1
    if (failure.remaining <= 0) failures.shift()
    const code = failure.code ?? (failure.status === 429 ? 'rate_limit_exceeded' : null)
    return {
      status: failure.status,
      headers: failure.retryAfter === undefined ? undefined : { 'retry-after': String(failure.retryAfter) },
      body: errorBody(failure.message ?? `Fake error ${failure.status}`, errorType(failure.status), code),
    }
  }

  /** The reply text, truncated to `max_tokens`/`max_completion_tokens` (finish_reason 'length'), and its usage. */
  const completion = (body: any) => {
    let content = makeReply(body)
    let finishReason: 'stop' | 'length' = 'stop'
    const limit = body.max_completion_tokens ?? body.max_tokens
    if (typeof limit === 'number' && estimateTokens(content) > limit) {
      content = content.slice(0, limit * 4)
      finishReason = 'length'
    }
    const messages: unknown[] = Array.isArray(body.messages) ? body.messages : []
    const promptTokens = estimateTokens(messages.map((message: any) => contentText(message?.content)).join(''))
    const completionTokens = estimateTokens(content)
    return { content, finishReason, usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } }
  }

  const chat = (body: any): Answer => {
    const { content, finishReason, usage } = completion(body)
    return {
      status: 200,
      body: {
        id: nextId('chatcmpl'),
        object: 'chat.completion',
        created: created(),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null, annotations: [] }, logprobs: null, finish_reason: finishReason }],
        usage,
        system_fingerprint: null,
      },
    }
  }

  /** Writes the SSE stream of a chat completion, chunk by chunk, stopping if the client goes away. */
  const streamChat = async (body: any, res: http.ServerResponse) => {
    const { content, finishReason, usage } = completion(body)
    const { chunkDelayMs, abortAfterChunks } = stream
    const includeUsage = body.stream_options?.include_usage === true
    const id = nextId('chatcmpl')
    const base = { id, object: 'chat.completion.chunk', created: created(), model: body.model, system_fingerprint: null }
    const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    })
    const send = async (data: unknown) => {
      if (res.destroyed) return false
      res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`)
      if (chunkDelayMs > 0) await sleep(chunkDelayMs)
      return !res.destroyed
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': id })
    if (!(await send(chunk({ role: 'assistant', content: '', refusal: null }, null)))) return
    let sent = 0
    for (const piece of splitReply(content)) {
      if (!(await send(chunk({ content: piece }, null)))) return
      sent += 1
      if (abortAfterChunks !== undefined && sent >= abortAfterChunks) {
        res.destroy()
        return
      }
    }
    if (!(await send(chunk({}, finishReason)))) return
    if (includeUsage && !(await send({ ...base, choices: [], usage }))) return
    if (await send('[DONE]')) res.end()
  }

  const embeddings = (body: any): Answer => {
    const texts = inputTexts(body.input)
    if (texts.length === 0) return { status: 400, body: errorBody("'input' is a required property", 'invalid_request_error', null) }
    const base64 = body.encoding_format === 'base64'
    const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0)
    return {
      status: 200,
      body: {
        object: 'list',
        data: texts.map((text, index) => {
          const vector = fakeEmbedding(text)
          return { object: 'embedding', index, embedding: base64 ? toBase64Floats(vector) : vector }
        }),
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      },
    }
  }

  const moderations = (body: any): Answer => {
    const texts = inputTexts(body.input)
    if (texts.length === 0) return { status: 400, body: errorBody("'input' is a required property", 'invalid_request_error', null) }
    return {
      status: 200,
      body: {
        id: nextId('modr'),
        model: body.model ?? 'omni-moderation-latest',
        results: texts.map((text) => {
          const lower = text.toLowerCase()
          const hit = flagged.some((word) => word && lower.includes(word.toLowerCase()))
          const categories = Object.fromEntries(MODERATION_CATEGORIES.map((name) => [name, hit && name === 'violence']))
          const scores = Object.fromEntries(MODERATION_CATEGORIES.map((name) => [name, hit && name === 'violence' ? 0.97 : 0.0001]))
          const applied = Object.fromEntries(MODERATION_CATEGORIES.map((name) => [name, ['text']]))
          return { flagged: hit, categories, category_scores: scores, category_applied_input_types: applied }
        }),
      },
    }
  }

  const models = (): Answer => ({
    status: 200,
    body: { object: 'list', data: [{ id: 'gpt-test', object: 'model', created: 1700000000, owned_by: 'openai' }] },
  })

  const handle = async (request: OpenAIFakeRequest, route: string, res: http.ServerResponse): Promise<Answer | null> => {
    const bearer = /^Bearer \S+/.test(request.headers.authorization ?? '')
    if (!bearer && !request.headers['api-key']) return { status: 401, body: errorBody('Incorrect API key provided', 'invalid_request_error', 'invalid_api_key') }
    const key = `${request.method} ${route}`
    const failing = key === 'POST /chat/completions' || key === 'POST /embeddings' || key === 'POST /moderations'
    if (failing) {
      const failure = takeFailure()
      if (failure) return failure
      if (typeof request.body !== 'object' || request.body === null) return { status: 400, body: errorBody('We could not parse the JSON body of your request.', 'invalid_request_error', null) }
    }
    switch (key) {
      case 'POST /chat/completions':
        if (request.body.stream === true) {
          await streamChat(request.body, res)
          return null
        }
        return chat(request.body)
      case 'POST /embeddings':
        return embeddings(request.body)
      case 'POST /moderations':
        return moderations(request.body)
      case 'GET /models':
        return models()
      default:
        return { status: 404, body: errorBody(`Invalid URL (${request.method} ${request.path})`, 'invalid_request_error', null) }
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const raw = Buffer.concat(chunks).toString('utf8')
      let body: unknown
      try {
        body = raw ? JSON.parse(raw) : undefined
      } catch {
        body = null
      }
      const { route, deployment } = routeOf(url.pathname)
      const request: OpenAIFakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, deployment }
      requests.push(request)
      try {
        const answer = await handle(request, route, res)
        if (!answer || res.destroyed) return
        res.writeHead(answer.status, { 'content-type': 'application/json', 'x-request-id': nextId('req'), ...answer.headers })
        res.end(JSON.stringify(answer.body))
      } catch (error) {
        if (res.headersSent) return void res.destroy()
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify(errorBody(String(error), 'server_error', null)))
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
    chatRequests: () => requests.filter((request) => request.method === 'POST' && routeOf(request.path).route === '/chat/completions'),
    reply: (make) => {
      makeReply = make
    },
    failNext: (status, { times = 1, retryAfter, message, code } = {}) => {
      failures.push({ status, remaining: times, retryAfter, message, code })
    },
    streaming: ({ chunkDelayMs = 5, abortAfterChunks }) => {
      stream = { chunkDelayMs, abortAfterChunks }
    },
    flagWords: (words) => {
      flagged = [...words]
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
