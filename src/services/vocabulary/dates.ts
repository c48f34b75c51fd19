/** The locales the admin offers for dates and numbers (an organisation's, or a person's own). */
export const DATE_LOCALES = [
  { value: 'en-GB', label: 'English (United Kingdom): 6 Dec 2026, 14:05' },
  { value: 'en-US', label: 'English (United States): Dec 6, 2026, 2:05 PM' },
  { value: 'en-IE', label: 'English (Ireland)' },
  { value: 'en-AU', label: 'English (Australia)' },
  { value: 'de-DE', label: 'Deutsch (Deutschland)' },
  { value: 'fr-FR', label: 'Français (France)' },
  { value: 'es-ES', label: 'Español (España)' },
  { value: 'it-IT', label: 'Italiano (Italia)' },
  { value: 'nl-NL', label: 'Nederlands (Nederland)' },
  { value: 'pt-PT', label: 'Português (Portugal)' },
] as const

export const DEFAULT_DATE_SETTINGS = { locale: 'en-GB', timeZone: 'Europe/London' } as const

export type DateSettings = { locale: string; timeZone: string }

/**
 * Whether `zone` is an IANA time zone this runtime knows (e.g. Europe/London, America/New_York), or UTC.
 * Abbreviations (IST, BST, CST…) are refused: JavaScript and PostgreSQL read several of them as different
 * zones (IST is India's to one, Israel's to the other), so the days they compute would disagree.
 */
export const isTimeZone = (zone: unknown): zone is string => {
  if (typeof zone !== 'string' || !zone.trim() || zone.length > 64) return false
  if (zone !== 'UTC' && !/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/.test(zone)) return false
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/**
 * A time-zone field's validation: empty, an IANA zone, or the value it already had (one stored before
 * abbreviations were refused still saves; it is ignored for display, which falls back as for none).
 */
export const validateTimeZone = (value: null | string | undefined, { previousValue }: { previousValue?: unknown }): string | true =>
  !value || value === previousValue || isTimeZone(value) ? true : `"${value}" is not a time zone: write one like Europe/London or America/New_York.`

/** The settings that apply: the person's own, else their organisation's, else the product's default. */
export const resolveDateSettings = (...candidates: (Partial<{ locale: null | string; timeZone: null | string }> | null | undefined)[]): DateSettings => {
  const locale = candidates.map((c) => c?.locale).find((l): l is string => DATE_LOCALES.some((d) => d.value === l)) ?? DEFAULT_DATE_SETTINGS.locale
  const timeZone = candidates.map((c) => c?.timeZone).find(isTimeZone) ?? DEFAULT_DATE_SETTINGS.timeZone
  return { locale, timeZone }
}

const valid = (value: Date | null | number | string | undefined): Date | null => {
  if (value === null || value === undefined || value === '') return null
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

/** A date and time as lists and pages show it: "6 Dec 2026, 14:05" (en-GB) or "Dec 6, 2026, 2:05 PM" (en-US), in the zone. */
export const formatDateTime = (value: Date | null | number | string | undefined, settings: DateSettings): string => {
  const date = valid(value)
  return date ? new Intl.DateTimeFormat(settings.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: settings.timeZone }).format(date) : ''
}

/** The full timestamp for a tooltip: date, time with seconds, the zone's name and its IANA id. */
export const formatFullTimestamp = (value: Date | null | number | string | undefined, settings: DateSettings): string => {
  const date = valid(value)
  if (!date) return ''
  const text = new Intl.DateTimeFormat(settings.locale, { dateStyle: 'full', timeStyle: 'long', timeZone: settings.timeZone }).format(date)
  return `${text} (${settings.timeZone})`
}

/** The time of day alone, for "as of 14:05" beside figures read a moment ago: "14:05" (en-GB), "2:05 PM" (en-US), in the zone. */
export const formatTimeOfDay = (value: Date | null | number | string | undefined, settings: DateSettings): string => {
  const date = valid(value)
  return date ? new Intl.DateTimeFormat(settings.locale, { timeStyle: 'short', timeZone: settings.timeZone }).format(date) : ''
}
