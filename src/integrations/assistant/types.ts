import type { AssistantProviderName } from '@/services/knowledge/knowledge-settings'

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string }

export type GenerateInput = {
  messages: ChatMessage[]
  /** Always sent to the provider: the longest answer accepted. */
  maxTokens: number
  signal?: AbortSignal
  /** Called with each piece of text as it arrives (streaming). */
  onText?: (delta: string) => void
}

export type GenerateResult = { text: string; promptTokens: number; completionTokens: number; finishReason: string }

/**
 * One language-model provider behind the assistant. `generate` is absent for the extractive default
 * (no model); `moderate` and `embed` only where the provider offers them.
 */
export interface AssistantProvider {
  name: AssistantProviderName
  model: string
  /** True when text leaves this server (personal data is masked first). */
  external: boolean
  /** Why generation is off although a model provider was chosen (a missing key), as a sentence. */
  disabledReason?: string
  generate?: (input: GenerateInput) => Promise<GenerateResult>
  moderate?: (text: string, signal?: AbortSignal) => Promise<{ flagged: boolean; categories: string[] }>
  embed?: (texts: string[], signal?: AbortSignal) => Promise<number[][]>
}

/** A provider failure in words a person can act on; `status` is the provider's HTTP status when it had one. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status: null | number,
    readonly retryAfterSeconds: null | number = null,
  ) {
    super(message)
    this.name = 'ProviderError'
  }
}
