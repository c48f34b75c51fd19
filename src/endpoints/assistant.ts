import type { Endpoint } from 'payload'

import { currentRequestContext } from '@/db/request-context'
import { readJSONObject } from '@/endpoints/request-input'
import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { parseStoredID } from '@/services/http/stored-id'
import { type AssistantAnswer, type AssistantEvent, answerQuestion } from '@/services/knowledge/answer-question'
import { readAssistantUsage } from '@/services/knowledge/read-assistant-usage'
import { suggestReply } from '@/services/knowledge/suggest-reply'

const NO_STORE = { 'Cache-Control': 'private, no-store' }

/** An answer that is not an answer because the provider failed is a 502; everything else a 200. */
const statusOf = (answer: AssistantAnswer) => (answer.outcome === 'error' ? 502 : 200)

/**
 * POST /api/assistant/ask { org, question, stream? }: answers from the org's knowledge base (see
 * answerQuestion). With `stream: true` the answer comes as NDJSON events while it is written — first
 * `sources`, then `text` pieces, then `done` with the whole answer (or `done` with outcome "error" and the
 * partial text); closing the connection cancels the model call. Refusals before any text (400, 403, 404,
 * 429 with Retry-After) are plain JSON errors in both modes.
 */
export const assistantAskEndpoint: Endpoint = {
  path: '/assistant/ask',
  method: 'post',
  handler: async (req) => {
    try {
      if (!req.user) throw new AppError('UNAUTHORIZED', 'Sign in to ask the assistant.')
      const body = await readJSONObject(req, 20_000)
      const org = parseStoredID(body.org)
      if (org === null) throw new AppError('INVALID_INPUT', '`org` must be an organisation id.')
      if (body.stream !== undefined && typeof body.stream !== 'boolean') throw new AppError('INVALID_INPUT', '`stream` must be true or false.')
      const ask = (signal?: AbortSignal, onEvent?: (event: AssistantEvent) => void) =>
        answerQuestion({ payload: req.payload, user: req.user, org, question: body.question, signal, onEvent })
      if (!body.stream) {
        const answer = await ask()
        return Response.json(answer, { status: statusOf(answer), headers: NO_STORE })
      }
      return await streamAnswer(ask)
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

/** Runs the question and answers as soon as its first event (or its refusal) is known. */
const streamAnswer = (ask: (signal: AbortSignal, onEvent: (event: AssistantEvent) => void) => Promise<AssistantAnswer>): Promise<Response> => {
  const abort = new AbortController()
  // The client going away (Next aborts the request) cancels the model call as a cancelled stream does.
  currentRequestContext()?.signal?.addEventListener('abort', () => abort.abort(), { once: true })
  const encoder = new TextEncoder()
  const queued: string[] = []
  let controller: null | ReadableStreamDefaultController<Uint8Array> = null
  let closed = false
  const send = (event: object) => {
    const line = `${JSON.stringify(event)}\n`
    if (closed) return
    if (controller) controller.enqueue(encoder.encode(line))
    else queued.push(line)
  }
  return new Promise<Response>((resolve, reject) => {
    let started = false
    const start = () => {
      if (started) return
      started = true
      const stream = new ReadableStream<Uint8Array>({
        start: (c) => {
          controller = c
          for (const line of queued.splice(0)) c.enqueue(encoder.encode(line))
        },
        cancel: () => {
          closed = true
          abort.abort()
        },
      })
      resolve(new Response(stream, { status: 200, headers: { ...NO_STORE, 'Content-Type': 'application/x-ndjson; charset=utf-8', 'X-Accel-Buffering': 'no' } }))
    }
    ask(abort.signal, (event) => {
      send(event)
      start()
    })
      .then((answer) => {
        send({ type: 'done', ...answer })
        start()
        if (!closed) {
          closed = true
          controller?.close()
        }
      })
      .catch((error: unknown) => {
        if (!started) return reject(error)
        send({ type: 'done', outcome: 'error', reason: error instanceof AppError ? error.message : 'The assistant failed unexpectedly.' })
        if (!closed) {
          closed = true
          controller?.close()
        }
      })
  })
}

/**
 * POST /api/assistant/suggest-reply { conversation }: a draft answer to the conversation's latest
 * inbound message, for the reply box. Nothing is sent. `draft` is empty when the assistant did not
 * know (the outcome says why).
 */
export const assistantSuggestReplyEndpoint: Endpoint = {
  path: '/assistant/suggest-reply',
  method: 'post',
  handler: async (req) => {
    try {
      if (!req.user) throw new AppError('UNAUTHORIZED', 'Sign in to ask the assistant.')
      const body = await readJSONObject(req, 2_000)
      const answer = await suggestReply({ payload: req.payload, user: req.user, conversation: body.conversation })
      return Response.json(answer, { status: statusOf(answer), headers: NO_STORE })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

/** GET /api/assistant/usage?org=: this month's questions, tokens and estimated cost, the limits, the provider. */
export const assistantUsageEndpoint: Endpoint = {
  path: '/assistant/usage',
  method: 'get',
  handler: async (req) => {
    try {
      if (!req.user) throw new AppError('UNAUTHORIZED', 'Sign in to see the assistant’s usage.')
      const org = parseStoredID(req.searchParams.get('org'))
      if (org === null) throw new AppError('INVALID_INPUT', '`org` must be an organisation id.')
      return Response.json(await readAssistantUsage({ payload: req.payload, user: req.user, org }), { headers: NO_STORE })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
