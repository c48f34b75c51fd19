import OpenAI, { AzureOpenAI } from 'openai'

import type { AssistantProvider, GenerateInput, GenerateResult } from './types'
import { ProviderError } from './types'

type Env = Record<string, string | undefined>

/** The provider's failure as a sentence with its status, never the remote body. */
export const describeProviderError = (error: unknown, provider: string): ProviderError | Error => {
  if (error instanceof OpenAI.APIUserAbortError) return error
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new ProviderError(`${provider} did not answer in time. Try again in a moment.`, null)
  if (error instanceof OpenAI.APIConnectionError) return new ProviderError(`${provider} could not be reached (network error). Try again in a moment.`, null)
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? null
    const header = error.headers?.get?.('retry-after')
    const retryAfter = header && /^\d+$/.test(header) ? Number(header) : null
    const sentence =
      status === 401 || status === 403
        ? `${provider} refused the server's key (${status}): an operator must check the API key.`
        : status === 404
          ? `${provider} does not know the model or deployment (404): an admin must check the model name.`
          : status === 429
            ? `${provider} is rate limiting us (429)${retryAfter ? `; try again in ${retryAfter} s` : ''}.`
            : status !== null && status >= 500
              ? `${provider} had an internal error (${status}). Try again in a moment.`
              : `${provider} rejected the request (${status ?? 'no status'}).`
    return new ProviderError(sentence, status, retryAfter)
  }
  return error instanceof Error ? error : new Error(String(error))
}

const generateWith =
  (client: OpenAI, model: string, label: string) =>
  async ({ messages, maxTokens, signal, onText }: GenerateInput): Promise<GenerateResult> => {
    let text = ''
    try {
      if (!onText) {
        const completion = await client.chat.completions.create({ model, messages, max_tokens: maxTokens }, { signal })
        text = completion.choices[0]?.message?.content ?? ''
        return {
          text,
          promptTokens: completion.usage?.prompt_tokens ?? 0,
          completionTokens: completion.usage?.completion_tokens ?? 0,
          finishReason: completion.choices[0]?.finish_reason ?? 'stop',
        }
      }
      const stream = await client.chat.completions.create({ model, messages, max_tokens: maxTokens, stream: true, stream_options: { include_usage: true } }, { signal })
      let usage: { prompt_tokens: number; completion_tokens: number } | null = null
      let finishReason = 'stop'
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta?.content ?? ''
        if (delta) {
          text += delta
          onText(delta)
        }
        if (chunk.choices[0]?.finish_reason) finishReason = chunk.choices[0].finish_reason
        if (chunk.usage) usage = chunk.usage
      }
      // The client ends its stream quietly when aborted: a cancel must not pass for a whole answer.
      if (signal?.aborted) throw new OpenAI.APIUserAbortError()
      return { text, promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0, finishReason }
    } catch (error) {
      const described = describeProviderError(error, label)
      // What arrived before a failure is kept by the caller (partial answer).
      Object.assign(described, { partialText: text })
      throw described
    }
  }

const moderateWith = (client: OpenAI, label: string) => async (text: string, signal?: AbortSignal) => {
  try {
    const result = await client.moderations.create({ model: 'omni-moderation-latest', input: text }, { signal })
    const first = result.results[0]
    const categories = first ? Object.entries(first.categories).filter(([, on]) => on).map(([name]) => name) : []
    return { flagged: Boolean(first?.flagged), categories }
  } catch (error) {
    throw describeProviderError(error, label)
  }
}

const embedWith = (client: OpenAI, model: string, label: string) => async (texts: string[], signal?: AbortSignal) => {
  try {
    const result = await client.embeddings.create({ model, input: texts, encoding_format: 'float' }, { signal })
    return result.data.sort((a, b) => a.index - b.index).map((d) => d.embedding)
  } catch (error) {
    throw describeProviderError(error, label)
  }
}

const maxRetries = (env: Env) => {
  const value = Number(env.ASSISTANT_MAX_RETRIES ?? 2)
  return Number.isInteger(value) && value >= 0 && value <= 5 ? value : 2
}

/**
 * OpenAI or any endpoint speaking its API (Ollama, vLLM, LiteLLM…) through the official client:
 * OPENAI_API_KEY, OPENAI_BASE_URL, the model; moderation unless ASSISTANT_MODERATION=off; embeddings
 * when ASSISTANT_EMBEDDING_MODEL is set.
 */
export const createOpenAIProvider = (model: string, env: Env = process.env): AssistantProvider => {
  const client = new OpenAI({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL || undefined, maxRetries: maxRetries(env), timeout: 60_000 })
  const label = 'The OpenAI provider'
  return {
    name: 'openai',
    model,
    external: true,
    generate: generateWith(client, model, label),
    moderate: env.ASSISTANT_MODERATION === 'off' ? undefined : moderateWith(client, label),
    embed: env.ASSISTANT_EMBEDDING_MODEL ? embedWith(client, env.ASSISTANT_EMBEDDING_MODEL, label) : undefined,
  }
}

/** Azure OpenAI: AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_VERSION; the model names the deployment. */
export const createAzureProvider = (deployment: string, env: Env = process.env): AssistantProvider => {
  const client = new AzureOpenAI({
    apiKey: env.AZURE_OPENAI_API_KEY,
    // The base URL from the Azure endpoint, given explicitly: otherwise the client takes OPENAI_BASE_URL
    // (set for an OpenAI-compatible server) and refuses it beside an endpoint.
    baseURL: `${(env.AZURE_OPENAI_ENDPOINT ?? '').replace(/\/+$/, '')}/openai`,
    apiVersion: env.AZURE_OPENAI_API_VERSION || '2024-10-21',
    deployment,
    maxRetries: maxRetries(env),
    timeout: 60_000,
  })
  const label = 'Azure OpenAI'
  return {
    name: 'azure',
    model: deployment,
    external: true,
    generate: generateWith(client, deployment, label),
    embed: env.ASSISTANT_EMBEDDING_MODEL ? embedWith(client, env.ASSISTANT_EMBEDDING_MODEL, label) : undefined,
  }
}
