import { isValidEmail, normalizeEmail } from './normalize-email'

/** Phone numbers are compared and stored as digits with an optional leading +: spaces and ( ) . / - are dropped. */
export const normalizePhone = (value: string): string => value.trim().replace(/[\s()./-]/g, '')

/** normalizePhone in SQL, over a column (the expression index on contacts uses `phoneSql('phone')`). */
export const phoneSql = (column: string): string => `regexp_replace(btrim(${column}), '[[:space:]()./-]', '', 'g')`

export const isValidPhone = (normalized: string): boolean => /^\+?\d{5,32}$/.test(normalized)

/** An address of a channel, normalised the way contacts and suppressions store it, or null when it is not a valid one. */
export const normalizeAddress = (channel: 'email' | 'sms', value: string): null | string => {
  const address = channel === 'email' ? normalizeEmail(value) : normalizePhone(value)
  return (channel === 'email' ? isValidEmail(address) : isValidPhone(address)) ? address : null
}
