import { IMPORT_FIELDS, type ImportField } from './import-definitions'
import type { ImportMapping } from './normalize-import-row'

/** A header as compared: lower case, letters and digits only ("E-Mail Address" → "emailaddress"). */
export const headerKey = (header: string): string => header.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]/g, '')

const GUESSES: [ImportField, RegExp][] = [
  ['email', /^(e?mail|emailaddress|mailaddress|courriel|correo|correoelectronico)$|email/],
  ['firstName', /^(first|firstname|givenname|forename|vorname|prenom|nombre)$/],
  ['lastName', /^(last|lastname|surname|familyname|nachname|nom|apellido|apellidos)$/],
  ['phone', /^(phone|phonenumber|mobile|mobilephone|mobilenumber|cell|cellphone|tel|telephone|telefon|sms|whatsapp)$/],
  ['tags', /^(tags?|labels?|groups?|groupes?|gruppen?|grupos?|lists?|listes?|segments?|etiquettes?|categories|category)$/],
]

/**
 * A mapping for a file's headers: what the org mapped a header to last time (`saved`, by headerKey)
 * wins, else a guess from common names in a few languages; each field is used once at most.
 */
export const suggestMapping = (headers: readonly string[], saved: ReadonlyMap<string, ImportField | null> = new Map()): ImportMapping => {
  const used = new Set<ImportField>()
  const mapping: ImportMapping = headers.map((header) => {
    const remembered = saved.get(headerKey(header))
    if (remembered === undefined || remembered === null || used.has(remembered)) return null
    used.add(remembered)
    return remembered
    return null
  })
  headers.forEach((header, index) => {
    if (mapping[index] || saved.has(headerKey(header))) return
    const key = headerKey(header)
    const guess = GUESSES.find(([field, pattern]) => !used.has(field) && pattern.test(key))
    if (guess) {
      mapping[index] = guess[0]
      used.add(guess[0])
    }
  })
  return mapping
}

/** The mapping a finished import used, as header → field, to suggest next time. */
export const rememberMapping = (headers: readonly string[], mapping: ImportMapping): Map<string, ImportField | null> =>
  new Map(headers.map((header, index) => [headerKey(header), IMPORT_FIELDS.includes(mapping[index] as ImportField) ? (mapping[index] as ImportField) : null]))
