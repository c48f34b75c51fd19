import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max'

import { isValidEmail, normalizeEmail } from '../contacts/normalize-email'
import type { ImportField, ImportMode } from './import-definitions'

export type ImportMapping = (ImportField | null)[]
export type ImportRow = { email: string | null; firstName: string | null; lastName: string | null; phone: string | null; tags: string[] }
export type ImportRowOptions = { mode: ImportMode; mapping: ImportMapping; defaultCountry?: CountryCode; tags: readonly string[] }
export type NormalizedImportRow = { kind: 'row'; row: ImportRow; key: string } | { kind: 'empty' } | { kind: 'error'; error: string }

const NAME_MAX = 100
const TAG_MAX = 100
const TAGS_PER_CONTACT = 50
const quote = (value: string) => `"${value.length > 60 ? `${value.slice(0, 57)}…` : value}"`

/**
 * A phone as E.164 (+ country code and digits): numbers written with + or 00 stand alone; others are
 * read in the default country. Null when it is not a possible number.
 */
export const toE164 = (value: string, defaultCountry?: CountryCode): string | null => {
  const international = value.trim().replace(/^00(?=[1-9])/, '+')
  const parsed = parsePhoneNumberFromString(international, international.startsWith('+') ? undefined : defaultCountry)
  return parsed && parsed.isPossible() ? parsed.number : null
}

/**
 * One CSV row as a contact (or a suppression): cells placed by the mapping, trimmed; the address
 * lower-cased and checked; the phone in E.164; tags from the row (split on , ; |) plus the import's;
 * every length bounded. Returns the row with the key it is de-duplicated by (the email, or the phone
 * when matching on phone), a blank row, or the reason the row cannot be imported.
 */
export const normalizeImportRow = (cells: readonly string[], { mode, mapping, defaultCountry, tags }: ImportRowOptions): NormalizedImportRow => {
  if (cells.every((cell) => cell.trim() === '')) return { kind: 'empty' }
  const extra = cells.slice(mapping.length).filter((cell) => cell.trim() !== '')
  if (extra.length) return { kind: 'error', error: `This row has ${cells.length} cells but the header has ${mapping.length}: check the delimiter and quotes.` }
  const value = (field: ImportField): string | null => {
    const index = mapping.indexOf(field)
    const cell = index === -1 ? undefined : cells[index]
    return cell === undefined || cell.trim() === '' ? null : cell.trim()
  }
  const row: ImportRow = { email: null, firstName: value('firstName'), lastName: value('lastName'), phone: null, tags: [] }
  for (const [name, label] of [['firstName', 'first name'], ['lastName', 'last name']] as const) {
    if ((row[name]?.length ?? 0) > NAME_MAX) return { kind: 'error', error: `The ${label} is longer than ${NAME_MAX} characters.` }
  }
  const email = value('email')
  if (email !== null) {
    row.email = normalizeEmail(email)
    if (!isValidEmail(row.email)) return { kind: 'error', error: `${quote(email)} is not a valid email address.` }
  }
  const phone = value('phone')
  if (phone !== null) {
    row.phone = toE164(phone, defaultCountry)
    if (row.phone === null) {
      return {
        kind: 'error',
        error: `${quote(phone)} is not a phone number we can read${defaultCountry ? ` (read in ${defaultCountry})` : ''}: write it with its country code, e.g. +44 20 7946 0958${defaultCountry ? '' : ', or choose a default country'}.`,
      }
    }
  }
  const rowTags = (value('tags') ?? '').split(/[,;|]/).map((tag) => tag.trim()).filter(Boolean)
  row.tags = [...new Set([...rowTags, ...tags])]
  const longTag = row.tags.find((tag) => tag.length > TAG_MAX)
  if (longTag) return { kind: 'error', error: `The tag ${quote(longTag)} is longer than ${TAG_MAX} characters.` }
  if (row.tags.length > TAGS_PER_CONTACT) return { kind: 'error', error: `A contact has at most ${TAGS_PER_CONTACT} tags; this row has ${row.tags.length}.` }

  if (mode === 'upsert_phone') {
    if (!row.phone) return { kind: 'error', error: 'No phone number: this import matches contacts on their phone.' }
    return { kind: 'row', row, key: row.phone }
  }
  if (mode === 'suppress') {
    if (!row.email && !row.phone) return { kind: 'error', error: 'No email address or phone number to suppress.' }
    return { kind: 'row', row, key: `${row.email ?? ''}\n${row.phone ?? ''}` }
  }
  if (!row.email) return { kind: 'error', error: 'No email address: every contact needs one.' }
  return { kind: 'row', row, key: row.email }
}
