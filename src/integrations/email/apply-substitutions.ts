import type { OutgoingEmail } from './types'

/** Splits on the first key, substitutes the remaining keys inside each piece, joins with the value: replaced values are never scanned again. */
const substitute = (input: string, entries: [string, string][], index = 0): string => {
  if (index === entries.length) return input
  const [key, value] = entries[index]
  return input
    .split(key)
    .map((piece) => substitute(piece, entries, index + 1))
    .join(value)
}

/**
 * The message as its recipient sees it: every substitution key in subject, html and text replaced by
 * its value, without `substitutions`. Plain string replacement, no patterns, so keys may contain any
 * characters; longest keys first, so `{{first_name}}` is not eaten by a shorter `{{first}}`.
 */
export const applySubstitutions = (message: OutgoingEmail): OutgoingEmail => {
  const { substitutions, ...rest } = message
  const entries = Object.entries(substitutions ?? {})
    .filter(([key]) => key !== '')
    .sort(([a], [b]) => b.length - a.length)
  if (entries.length === 0) return rest
  return {
    ...rest,
    subject: substitute(rest.subject, entries),
    html: substitute(rest.html, entries),
    text: substitute(rest.text, entries),
  }
}
