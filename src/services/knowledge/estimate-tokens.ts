/**
 * About how many model tokens a text takes: a quarter of its characters, and never fewer than its words
 * (OpenAI's rule of thumb for English; close enough for sizing chunks and budgets, never for billing).
 */
export const estimateTokens = (text: string): number => {
  const trimmed = text.trim()
  if (!trimmed) return 0
  const words = trimmed.split(/\s+/).length
  return Math.max(words, Math.ceil(trimmed.length / 4))
}
