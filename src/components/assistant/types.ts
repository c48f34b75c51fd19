import type { AssistantAnswer as ServerAnswer } from '@/services/knowledge/answer-question'

/** What the assistant endpoints answer (src/endpoints/assistant.ts): the server's own types, not copies. */
export type { AssistantSource } from '@/services/knowledge/answer-question'
export type { AssistantOutcome } from '@/services/knowledge/knowledge-settings'
export type { AssistantUsage } from '@/services/knowledge/read-assistant-usage'
export { MAX_QUESTION_CHARS } from '@/services/knowledge/knowledge-settings'

/** A streamed answer the page stopped itself has no log entry to name yet. */
export type AssistantAnswer = Omit<ServerAnswer, 'logID'> & { logID?: number | string }

export type ErrorBody = { errors?: { message?: string }[] }

const PROVIDER_LABEL: Record<string, string> = { openai: 'OpenAI', azure: 'Azure OpenAI' }

/** "Quoting passages (no model)", or the provider and its model: "OpenAI gpt-4o-mini". */
export const providerLabel = (provider: string, model: string): string =>
  provider === 'none' ? 'Quoting passages (no model)' : `${PROVIDER_LABEL[provider] ?? provider} ${model}`.trim()

export const errorMessageOf = (body: unknown, fallback: string): string => (body as ErrorBody | null)?.errors?.[0]?.message || fallback
