/** What was masked: each placeholder and the text it stands for. */
export type Masks = Map<string, string>

// An email address, and a phone number: an optional +, then 7–15 digits that may be grouped by spaces,
// dots, dashes or brackets (E.164 allows at most 15 digits). Dates are recognised and left alone; times
// and prices (14:05, £12.50) have too few digits.
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g
const PHONE = /(?<![\w+])\+?\(?\d(?:[\s.\-()]{0,2}\d){6,14}(?!\w)/g

const digitsOf = (text: string) => text.replace(/\D/g, '')

/** A date written with digits (2026-12-06, 06/12/2026, 6.12.26): not a phone number. */
const DATE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/
const looksLikePhone = (value: string) => digitsOf(value).length >= 7 && !DATE.test(value.trim())

/**
 * Replaces the email addresses and phone numbers in texts with placeholders ([email 1], [phone 1]) before
 * they go to an external model, the same value getting the same placeholder in every text. `masks` (pass
 * the same map for a question and its context) remembers them so `unmaskPersonalData` can put them back
 * in the answer shown to the person.
 */
export const maskPersonalData = (text: string, masks: Masks = new Map()): { text: string; masks: Masks } => {
  const placeholderFor = (kind: 'email' | 'phone', value: string) => {
    const key = kind === 'phone' ? `phone:${digitsOf(value)}` : `email:${value.toLowerCase()}`
    for (const [placeholder, original] of masks) {
      const known = placeholder.startsWith(`[${kind} `) && (kind === 'phone' ? `phone:${digitsOf(original)}` : `email:${original.toLowerCase()}`) === key
      if (known) return placeholder
    }
    const count = [...masks.keys()].filter((p) => p.startsWith(`[${kind} `)).length
    const placeholder = `[${kind} ${count + 1}]`
    masks.set(placeholder, value)
    return placeholder
  }
  const masked = text
    .replace(EMAIL, (value) => placeholderFor('email', value))
    .replace(PHONE, (value) => {
      // "(07700 900123)": an opening bracket without its closing one belongs to the sentence, not the number.
      const lead = value.startsWith('(') && !value.includes(')') ? '(' : ''
      const number = value.slice(lead.length)
      return looksLikePhone(number) ? lead + placeholderFor('phone', number) : value
    })
  return { text: masked, masks }
}

/** Puts back what `maskPersonalData` took out; a placeholder the model invented is left as it is. */
export const unmaskPersonalData = (text: string, masks: Masks): string =>
  text.replace(/\[(?:email|phone) \d+\]/g, (placeholder) => masks.get(placeholder) ?? placeholder)
