/** Addresses are compared and stored trimmed and lower-case. */
export const normalizeEmail = (value: string): string => value.trim().toLowerCase()

// Deliberately practical, not RFC 5322 complete: one @, a dotted domain, no spaces or angle brackets.
const EMAIL_PATTERN = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]{2,}$/

export const isValidEmail = (value: string): boolean => value.length <= 254 && EMAIL_PATTERN.test(value)
