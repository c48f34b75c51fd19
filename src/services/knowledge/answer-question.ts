import type { Payload, TypedUser } from 'payload'

import { hasOrgPermission } from '@/access/orgAccess'
import { resolveAssistantProvider } from '@/integrations/assistant'
import { ProviderError } from '@/integrations/assistant/types'
import type { AssistantOutcome } from '@/services/knowledge/knowledge-settings'

import { requestStatementTimeoutMs } from '@/db/db-limits'
import { withStatementTimeout } from '@/db/request-context'

import { envNumber } from '../config/server-env'
import { AppError, nullIfNotFound } from '../errors/app-error'
import { estimateCostUSD, recordAssistantUsage, takeAssistantRequest } from './assistant-limits'
import { buildAssistantPrompt, I_DONT_KNOW, leaksInstructions } from './build-assistant-prompt'
import { isGrounded } from './is-grounded'
import { MAX_QUESTION_CHARS } from './knowledge-settings'
import { maskPersonalData, type Masks, unmaskPersonalData } from './mask-personal-data'
import { quotePassages } from './quote-passages'
import { type KnowledgeHit, searchKnowledge } from './search-knowledge'
import { stripUnknownCitations } from './strip-unknown-citations'

export type AssistantSource = { n: number; chunkID: number; articleID: number; title: string; headingPath: string; excerpt: string }

export type AssistantAnswer = {
  outcome: AssistantOutcome
  answer: string
  /** The sources the answer cites, in the order of their numbers. */
  citations: AssistantSource[]
  /** Every passage retrieved (what [n] refers to). */
  sources: AssistantSource[]
  provider: string
  model: string
  /** Why generation is off (a missing key), or other advice to show beside the answer. */
  notice?: string
  /** Why the outcome is not an answer, as a sentence. */
  reason?: string
  logID: number | string
}

export type AssistantEvent = { type: 'sources'; sources: AssistantSource[]; provider: string; notice?: string } | { type: 'text'; delta: string }


const toSource = (hit: KnowledgeHit, i: number): AssistantSource => ({
  n: i + 1,
  chunkID: hit.chunkID,
  articleID: hit.articleID,
  title: hit.title,
  headingPath: hit.headingPath,
  excerpt: hit.content.split(/\n\s*\n/).slice(1).join('\n\n').slice(0, 400),
})

/**
 * Streams unmasked text: a placeholder split across two pieces ("[ema" + "il 1]") is held back until it
 * is complete, so the person never sees a placeholder where their data belongs.
 */
const unmaskingStream = (masks: Masks, emit: (delta: string) => void) => {
  let pending = ''
  return {
    push: (delta: string) => {
      pending += delta
      const open = pending.lastIndexOf('[')
      const holdFrom = open !== -1 && !pending.slice(open).includes(']') && pending.length - open < 16 ? open : pending.length
      const ready = pending.slice(0, holdFrom)
      pending = pending.slice(holdFrom)
      if (ready) emit(unmaskPersonalData(ready, masks))
    },
    flush: () => {
      if (pending) emit(unmaskPersonalData(pending, masks))
      pending = ''
    },
  }
}

/**
 * Answers a question from the org's published knowledge base, for a member allowed `assistant.use`:
 * limits (429), retrieval in the org only, a fixed "I don't know" without calling the model when nothing
 * grounds an answer, moderation of the question where the provider offers it, personal data masked
 * before an external model, `max_tokens` always sent, citations limited to the retrieved passages, and
 * one append-only log entry whatever the outcome (the partial text too, on an error or a cancel).
 */
export const answerQuestion = async ({
  payload,
  user,
  org,
  question: rawQuestion,
  kind = 'ask',
  signal,
  onEvent,
}: {
  payload: Payload
  user: TypedUser | null
  org: number
  question: unknown
  kind?: 'ask' | 'suggest-reply'
  signal?: AbortSignal
  onEvent?: (event: AssistantEvent) => void
}): Promise<AssistantAnswer> => {
  if (!user) throw new AppError('UNAUTHORIZED', 'Sign in to ask the assistant.')
  if (typeof rawQuestion !== 'string' || !rawQuestion.trim()) throw new AppError('INVALID_INPUT', '`question` must be the text of a question.')
  const question = rawQuestion.trim()
  if (question.length > MAX_QUESTION_CHARS) throw new AppError('INVALID_INPUT', `A question may be at most ${MAX_QUESTION_CHARS} characters; this one has ${question.length}.`)
  if (question.includes('\u0000')) throw new AppError('INVALID_INPUT', 'A question may not contain NUL characters (\\u0000).')
  const organisation = await payload.findByID({ collection: 'organizations', id: org, depth: 0, user, overrideAccess: false }).catch(nullIfNotFound)
  if (!organisation) throw new AppError('NOT_FOUND', 'No such organisation, or you are not a member of it.')
  if (!hasOrgPermission(user, org, 'assistant.use')) throw new AppError('FORBIDDEN', 'Your role in this organisation does not allow asking the assistant (assistant.use).')
  await takeAssistantRequest(payload, org, organisation.assistant ?? {})

  const started = Date.now()
  const provider = resolveAssistantProvider(organisation)
  const masks: Masks = new Map()
  const maskIfExternal = (text: string) => (provider.external ? maskPersonalData(text, masks).text : text)
  const loggedQuestion = maskIfExternal(question)
  // The log is written even when the person asking went away (a cancel): outside the request's abort signal.
  const log = async (entry: { outcome: AssistantOutcome; answer?: string; reason?: string; sources?: AssistantSource[]; prompt?: unknown; promptTokens?: number; completionTokens?: number; costUSD?: number }) =>
    withStatementTimeout(requestStatementTimeoutMs(), () => payload.create({
      collection: 'assistant-logs',
      data: {
        org,
        askedBy: user.id as number,
        kind,
        question: loggedQuestion,
        outcome: entry.outcome,
        reason: entry.reason,
        provider: provider.name,
        model: provider.model,
        sources: (entry.sources ?? []).map(({ n, chunkID, articleID, title, headingPath }) => ({ n, chunkID, articleID, title, headingPath })),
        prompt: entry.prompt as never,
        answer: entry.answer,
        promptTokens: entry.promptTokens,
        completionTokens: entry.completionTokens,
        totalTokens: (entry.promptTokens ?? 0) + (entry.completionTokens ?? 0),
        costUSD: entry.costUSD,
        latencyMs: Date.now() - started,
      },
      overrideAccess: true,
      depth: 0,
    }))
  const result = (outcome: AssistantOutcome, answer: string, sources: AssistantSource[], cited: number[], logID: number | string, reason?: string): AssistantAnswer => ({
    outcome,
    answer,
    sources,
    citations: cited.map((n) => sources[n - 1]!).filter(Boolean),
    provider: provider.name,
    model: provider.model,
    notice: provider.disabledReason,
    reason,
    logID,
  })

  // Flagged input is refused before anything else reaches a model. A provider without moderation
  // (a local model server answering 404) does not stop the question.
  if (provider.moderate) {
    const verdict = await provider.moderate(loggedQuestion, signal).catch((error: unknown) => {
      if (error instanceof ProviderError && (error.status === 404 || error.status === 400)) return null
      throw error
    }).catch(async (error: unknown) => {
      const reason = error instanceof ProviderError ? error.message : 'The moderation check failed.'
      const entry = await log({ outcome: 'error', reason })
      throw new AppError('PROVIDER_REJECTED', reason, { logID: entry.id })
    })
    if (verdict?.flagged) {
      const reason = `The question was flagged by the provider's moderation (${verdict.categories.join(', ') || 'policy'}) and was not answered.`
      const entry = await log({ outcome: 'refused', reason })
      return result('refused', reason, [], [], entry.id, reason)
    }
  }

  const questionEmbedding = provider.embed ? await provider.embed([loggedQuestion], signal).then((v) => v[0] ?? null).catch(() => null) : null
  const { hits } = await searchKnowledge({ payload, org, question, limit: 5, questionEmbedding, language: organisation.assistant?.language ?? null })
  const grounded = hits.some(isGrounded)
  const sources = grounded ? hits.map(toSource) : []
  onEvent?.({ type: 'sources', sources, provider: provider.name, notice: provider.disabledReason })
  if (!grounded) {
    const entry = await log({ outcome: 'unknown', answer: I_DONT_KNOW, reason: 'No passage of the knowledge base matches the question well enough.' })
    onEvent?.({ type: 'text', delta: I_DONT_KNOW })
    return result('unknown', I_DONT_KNOW, [], [], entry.id)
  }

  if (!provider.generate) {
    const quoted = quotePassages(question, hits)
    const answer = quoted.text || I_DONT_KNOW
    onEvent?.({ type: 'text', delta: answer })
    const entry = await log({ outcome: quoted.text ? 'answered' : 'unknown', answer, sources })
    return result(quoted.text ? 'answered' : 'unknown', answer, sources, quoted.cited, entry.id)
  }

  const { messages, used } = buildAssistantPrompt({
    orgName: organisation.name,
    question: loggedQuestion,
    sources: hits.map((h) => ({ title: h.title, headingPath: h.headingPath, content: maskIfExternal(h.content), tokens: h.tokens })),
    contextTokens: envNumber('ASSISTANT_CONTEXT_TOKENS', 3000, { min: 200 }),
  })
  const usedSources = sources.slice(0, used)
  const stream = onEvent ? unmaskingStream(masks, (delta) => onEvent({ type: 'text', delta })) : null
  try {
    const generated = await provider.generate({ messages, maxTokens: envNumber('ASSISTANT_MAX_ANSWER_TOKENS', 500, { min: 16 }), signal, onText: stream ? stream.push : undefined })
    stream?.flush()
    const costUSD = estimateCostUSD(generated.promptTokens, generated.completionTokens)
    await withStatementTimeout(requestStatementTimeoutMs(), () => recordAssistantUsage(payload, org, { promptTokens: generated.promptTokens, completionTokens: generated.completionTokens, costUSD }))
    const usage = { promptTokens: generated.promptTokens, completionTokens: generated.completionTokens, costUSD, prompt: messages }
    if (leaksInstructions(generated.text)) {
      const reason = 'The answer repeated the assistant’s instructions and was withheld.'
      const entry = await log({ outcome: 'refused', reason, answer: generated.text, sources: usedSources, ...usage })
      return result('refused', reason, usedSources, [], entry.id, reason)
    }
    const { text, cited } = stripUnknownCitations(generated.text, usedSources.length)
    const knows = !text.includes(I_DONT_KNOW.slice(0, 30))
    const entry = await log({ outcome: knows ? 'answered' : 'unknown', answer: text, sources: usedSources, ...usage })
    return result(knows ? 'answered' : 'unknown', unmaskPersonalData(text, masks), usedSources, cited, entry.id)
  } catch (error) {
    stream?.flush()
    const partial = (error as { partialText?: string }).partialText ?? ''
    const cancelled = signal?.aborted === true
    const reason = cancelled ? 'Cancelled by the person asking.' : error instanceof ProviderError ? error.message : 'The assistant failed unexpectedly.'
    const entry = await log({ outcome: cancelled ? 'cancelled' : 'error', reason, answer: partial, sources: usedSources, prompt: messages })
    if (!(error instanceof ProviderError) && !cancelled) payload.logger.error({ err: error }, 'assistant generation failed')
    return result(cancelled ? 'cancelled' : 'error', unmaskPersonalData(partial, masks), usedSources, [], entry.id, reason)
  }
}
