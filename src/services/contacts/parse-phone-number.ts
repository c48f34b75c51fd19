import { type CountryCode, parsePhoneNumberWithError, ParseError, validatePhoneNumberLength } from 'libphonenumber-js/max'

export type ParsedPhone =
  | { ok: true; e164: string; country: null | string; canReceiveSms: boolean; type: null | string }
  | { ok: false; reason: string }

const LENGTH_REASONS: Record<string, string> = {
  TOO_SHORT: 'it is too short',
  TOO_LONG: 'it is too long',
  INVALID_LENGTH: 'it has the wrong number of digits for its country',
  INVALID_COUNTRY: 'its country code is not one we know',
  NOT_A_NUMBER: 'it is not a phone number',
}

/**
 * The one rule for phone numbers (libphonenumber's full metadata): written with + or 00 the number
 * stands alone, otherwise it is read in `defaultCountry` (the org's). Returns its E.164 form, or why it
 * is not a valid number, as a phrase for a field error ("it is too short"). `canReceiveSms` is false for
 * numbers known to be fixed lines, premium, toll-free and the like; unknown types may receive SMS.
 */
export const parsePhoneNumber = (value: string, defaultCountry?: null | string): ParsedPhone => {
  const international = value.trim().replace(/^00(?=[1-9])/, '+')
  if (!international) return { ok: false, reason: 'it is empty' }
  if (!/^\+?[\d\s().\-/]+$/.test(international)) return { ok: false, reason: 'it may hold only digits, spaces, ( ) . - / and a leading +' }
  const country = !international.startsWith('+') && defaultCountry ? (defaultCountry as CountryCode) : undefined
  if (!international.startsWith('+') && !country) return { ok: false, reason: 'it has no country code: write it with + and the country code, or set the organisation’s default country' }
  try {
    const lengthProblem = validatePhoneNumberLength(international, country)
    if (lengthProblem) return { ok: false, reason: LENGTH_REASONS[lengthProblem] ?? 'it is not a valid number' }
    const parsed = parsePhoneNumberWithError(international, country)
    if (!parsed.isValid()) return { ok: false, reason: 'it is not a valid number in its country' }
    const type = parsed.getType() ?? null
    const canReceiveSms = type === null || type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' || type === 'PERSONAL_NUMBER'
    return { ok: true, e164: parsed.number, country: parsed.country ?? null, canReceiveSms, type }
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, reason: LENGTH_REASONS[error.message] ?? 'it is not a valid number' }
    throw error
  }
}
