import { ASSISTANT_PROVIDERS, type AssistantProviderName } from '@/services/knowledge/knowledge-settings'

import { createAzureProvider, createOpenAIProvider } from './openai-provider'
import type { AssistantProvider } from './types'

type Env = Record<string, string | undefined>

/**
 * The server's default provider (ASSISTANT_PROVIDER, default `none`). An unknown name stops start-up
 * with a sentence rather than failing at the first question.
 */
export const serverAssistantProvider = (env: Env = process.env): AssistantProviderName => {
  const value = (env.ASSISTANT_PROVIDER ?? '').trim().toLowerCase() || 'none'
  if (!(ASSISTANT_PROVIDERS as readonly string[]).includes(value)) {
    throw new Error(`ASSISTANT_PROVIDER is "${env.ASSISTANT_PROVIDER}", which is not one of ${ASSISTANT_PROVIDERS.join(', ')}. Set it to one of these, or leave it unset for "none".`)
  }
  return value as AssistantProviderName
}

const DEFAULT_MODEL = 'gpt-4o-mini'

const none = (disabledReason?: string): AssistantProvider => ({ name: 'none', model: 'extractive', external: false, disabledReason })

/**
 * The provider that answers for an organisation: its own choice (set by an org admin) or the server's,
 * with its model. A model provider without its key falls back to quoting passages, saying why.
 */
export const resolveAssistantProvider = (org: { assistant?: { provider?: null | string; model?: null | string } | null }, env: Env = process.env): AssistantProvider => {
  const chosen = (org.assistant?.provider as AssistantProviderName | null | undefined) || serverAssistantProvider(env)
  const model = org.assistant?.model?.trim() || env.ASSISTANT_MODEL?.trim() || DEFAULT_MODEL
  if (chosen === 'openai') {
    if (!env.OPENAI_API_KEY) return none('OPENAI_API_KEY is not set on the server, so the assistant quotes passages instead of writing answers.')
    return createOpenAIProvider(model, env)
  }
  if (chosen === 'azure') {
    if (!env.AZURE_OPENAI_API_KEY || !env.AZURE_OPENAI_ENDPOINT) return none('AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT are not both set on the server, so the assistant quotes passages instead of writing answers.')
    return createAzureProvider(model, env)
  }
  return none()
}

export type { AssistantProvider } from './types'
export { ProviderError } from './types'
