/**
 * The client side of the HTTP benchmarks: a keep-alive `node:http` client (one socket per concurrent
 * request, reused), a fixed-concurrency runner, and latency percentiles.
 */
import http from 'node:http'

export type Reply = { status: number; body: Buffer; ms: number }
export type RequestOptions = { headers?: Record<string, string>; body?: Buffer | string }

export type KeepAliveClient = {
  request: (method: string, path: string, options?: RequestOptions) => Promise<Reply>
  close: () => void
}

/** A client for `baseURL` whose sockets stay open between requests (at most `sockets` at once). */
export const keepAliveClient = (baseURL: string, sockets: number): KeepAliveClient => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets })
  const base = new URL(baseURL)
  const request = (method: string, path: string, { headers = {}, body }: RequestOptions = {}): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const t0 = performance.now()
      const req = http.request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method,
          path,
          headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.once('error', reject)
          res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: performance.now() - t0 }))
        },
      )
      req.setNoDelay(true)
      req.once('error', reject)
      req.end(body)
    })
  return { request, close: () => agent.destroy() }
}

/** Runs `task(0 … count-1)` with at most `concurrency` in flight; results in index order. */
export const runConcurrently = async <T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> => {
  const results = new Array<T>(count)
  let next = 0
  const lane = async () => {
    while (next < count) {
      const index = next++
      results[index] = await task(index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane))
  return results
}

export type Latency = { p50: number; p95: number; p99: number; max: number }

/** Nearest-rank percentiles of durations in milliseconds. */
export const latencyOf = (ms: number[]): Latency => {
  const sorted = [...ms].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] ?? NaN }
}

export const formatMs = (ms: number) => (ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`)

/** `met` / `NOT met` for a target line. */
export const verdict = (isMet: boolean) => (isMet ? 'met' : 'NOT met')
