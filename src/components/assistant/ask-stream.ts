import { type AssistantAnswer, type AssistantSource, errorMessageOf } from './types'

export type StreamEvent =
  | { type: 'sources'; sources: AssistantSource[]; provider: string; notice?: string }
  | { type: 'text'; delta: string }
  | ({ type: 'done' } & AssistantAnswer)

/** A refusal before any text (400, 401, 403, 404, 429): the server's sentence. */
export class AskRefused extends Error {}

/**
 * POST /api/assistant/ask with `stream: true`, calling `onEvent` for each NDJSON line as it arrives.
 * Resolves when the stream ends; aborting `signal` cancels the answer on the server too.
 */
export const askStreaming = async ({ apiBase, org, question, signal, onEvent }: { apiBase: string; org: number; question: string; signal: AbortSignal; onEvent: (event: StreamEvent) => void }): Promise<void> => {
  const res = await fetch(`${apiBase}/assistant/ask`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ org, question, stream: true }),
    signal,
  })
  const type = res.headers.get('content-type') ?? ''
  if (!type.includes('ndjson') || !res.body) {
    const body: unknown = await res.json().catch(() => null)
    if (body && typeof body === 'object' && 'outcome' in body) return onEvent({ type: 'done', ...(body as AssistantAnswer) })
    // The server's sentence already says when to try again after a 429.
    throw new AskRefused(errorMessageOf(body, `The assistant could not answer (HTTP ${res.status}).`))
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffered = ''
  const emit = (line: string) => {
    if (!line.trim()) return
    try {
      onEvent(JSON.parse(line) as StreamEvent)
    } catch {
      // A torn line cannot happen within one stream; ignore anything that is not JSON.
    }
  }
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    buffered += value
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    lines.forEach(emit)
  }
  emit(buffered)
}
