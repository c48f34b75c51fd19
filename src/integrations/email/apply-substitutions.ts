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
 * `input` with every key of `substitutions` replaced by its value. Plain string replacement, no
 * patterns, so keys may contain any characters; longest keys first, so `{{first_name}}` is not eaten
 * by a shorter `{{first}}`; replaced values are never scanned again.
 */
export const substituteKeys = (input: string, substitutions: Record<string, string> | undefined): string => {
  const entries = Object.entries(substitutions ?? {})
    .filter(([key]) => key !== '')
    .sort(([a], [b]) => b.length - a.length)
  return entries.length ? substitute(input, entries) : input
}

/** The message as its recipient sees it: subject, html and text with the substitutions applied, without `substitutions`. */
export const applySubstitutions = (message: OutgoingEmail): OutgoingEmail => {
  const { substitutions, ...rest } = message
  if (!substitutions || Object.keys(substitutions).length === 0) return rest
  return {
    ...rest,
    subject: substituteKeys(rest.subject, substitutions),
    html: substituteKeys(rest.html, substitutions),
    text: substituteKeys(rest.text, substitutions),
  }
}
