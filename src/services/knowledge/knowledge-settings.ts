/**
 * The text-search languages an organisation may choose for its knowledge base: PostgreSQL's built-in
 * configurations present in both PostgreSQL 15 and the embedded PGlite (stemming and stop words).
 */
export const KB_LANGUAGES = {
  english: 'English',
  french: 'French',
  german: 'German',
  spanish: 'Spanish',
  italian: 'Italian',
  portuguese: 'Portuguese',
  dutch: 'Dutch',
  danish: 'Danish',
  swedish: 'Swedish',
  norwegian: 'Norwegian',
  finnish: 'Finnish',
  simple: 'Any language (no stemming)',
} as const

export type KbLanguage = keyof typeof KB_LANGUAGES

export const DEFAULT_KB_LANGUAGE: KbLanguage = 'english'

/** The stored language, or the default for a missing or unknown one (never SQL text from elsewhere). */
export const kbLanguageOf = (value: unknown): KbLanguage =>
  typeof value === 'string' && Object.hasOwn(KB_LANGUAGES, value) ? (value as KbLanguage) : DEFAULT_KB_LANGUAGE

export const ASSISTANT_PROVIDERS = ['none', 'openai', 'azure'] as const
export type AssistantProviderName = (typeof ASSISTANT_PROVIDERS)[number]

/** The longest question accepted (characters); longer ones are a 400. */
export const MAX_QUESTION_CHARS = 2000

/** The longest article body accepted (characters, about 50 pages). */
export const MAX_ARTICLE_CHARS = 200_000

/** How an assistant request ended (the log's outcome). */
export const ASSISTANT_OUTCOMES = ['answered', 'unknown', 'refused', 'error', 'cancelled'] as const
export type AssistantOutcome = (typeof ASSISTANT_OUTCOMES)[number]
