import type { Field } from 'payload'

import { ASSISTANT_PROVIDERS, DEFAULT_KB_LANGUAGE, KB_LANGUAGES } from '@/services/knowledge/knowledge-settings'

const PROVIDER_LABELS: Record<(typeof ASSISTANT_PROVIDERS)[number], string> = {
  none: 'Quote passages only (no model)',
  openai: 'OpenAI-compatible (OPENAI_API_KEY, OPENAI_BASE_URL)',
  azure: 'Azure OpenAI (AZURE_OPENAI_*)',
}

/** The assistant's per-org settings: which provider answers, the knowledge base's language and the limits. */
export const assistantSettings: Field = {
  name: 'assistant',
  type: 'group',
  label: 'Assistant',
  admin: { description: 'The assistant answers from this organisation’s published knowledge-base articles only. Keys live in the server’s environment.' },
  fields: [
    {
      name: 'provider',
      type: 'select',
      label: 'Provider',
      options: ASSISTANT_PROVIDERS.map((value) => ({ value, label: PROVIDER_LABELS[value] })),
      admin: { description: 'Empty: the server’s ASSISTANT_PROVIDER. A provider without its key quotes passages only.' },
    },
    { name: 'model', type: 'text', maxLength: 100, label: 'Model', admin: { description: 'Empty: the server’s ASSISTANT_MODEL (for Azure, the deployment).' } },
    {
      name: 'language',
      type: 'select',
      label: 'Knowledge-base language',
      defaultValue: DEFAULT_KB_LANGUAGE,
      options: Object.entries(KB_LANGUAGES).map(([value, label]) => ({ value, label })),
      admin: { description: 'Used to match word forms ("booking" finds "bookings"). Changing it re-indexes every article.' },
    },
    { name: 'perMinuteLimit', type: 'number', min: 1, max: 600, label: 'Questions per minute', admin: { description: 'Empty: 20. Over it, asking waits (HTTP 429 with Retry-After).' } },
    { name: 'monthlyTokenLimit', type: 'number', min: 1000, max: 1_000_000_000, label: 'Tokens per month', admin: { description: 'Empty: 1,000,000. Counts the model’s prompt and answer tokens of this calendar month (UTC).' } },
  ],
}
