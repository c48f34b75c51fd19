import { describe, expect, it } from 'vitest'

import { formatDateTime, formatFullTimestamp, formatTimeOfDay, isTimeZone, resolveDateSettings, validateTimeZone } from '@/services/vocabulary/dates'

describe('dates in the organisation’s locale and time zone', () => {
  const moment = '2026-12-05T14:05:09Z'
  it('shows one style per locale, in the zone', () => {
    expect(formatDateTime(moment, { locale: 'en-GB', timeZone: 'Europe/London' })).toBe('5 Dec 2026, 14:05')
    expect(formatDateTime(moment, { locale: 'en-US', timeZone: 'America/New_York' })).toMatch(/^Dec 5, 2026, 9:05\sAM$/)
    expect(formatFullTimestamp(moment, { locale: 'en-GB', timeZone: 'Europe/London' })).toBe('Saturday, 5 December 2026 at 14:05:09 GMT (Europe/London)')
    expect(formatFullTimestamp(moment, { locale: 'en-US', timeZone: 'America/New_York' })).toMatch(/^Saturday, December 5, 2026 at 9:05:09\sAM EST \(America\/New_York\)$/)
  })
  it('the time of day for "as of", in the zone', () => {
    expect(formatTimeOfDay(moment, { locale: 'en-GB', timeZone: 'Europe/London' })).toBe('14:05')
    expect(formatTimeOfDay(moment, { locale: 'en-US', timeZone: 'America/New_York' })).toMatch(/^9:05\sAM$/)
    expect(formatTimeOfDay(undefined, { locale: 'en-GB', timeZone: 'Europe/London' })).toBe('')
  })
  it('empty or bad values show nothing', () => {
    expect(formatDateTime(null, { locale: 'en-GB', timeZone: 'Europe/London' })).toBe('')
    expect(formatDateTime('not a date', { locale: 'en-GB', timeZone: 'Europe/London' })).toBe('')
  })
  it('the person’s choice wins over the organisation’s; unknown values fall back', () => {
    expect(resolveDateSettings({ locale: null, timeZone: null }, { locale: 'en-US', timeZone: 'America/New_York' })).toEqual({ locale: 'en-US', timeZone: 'America/New_York' })
    expect(resolveDateSettings({ locale: 'de-DE', timeZone: 'Europe/Berlin' }, { locale: 'en-US', timeZone: 'America/New_York' })).toEqual({ locale: 'de-DE', timeZone: 'Europe/Berlin' })
    expect(resolveDateSettings({ locale: 'xx', timeZone: 'Mars/Base' })).toEqual({ locale: 'en-GB', timeZone: 'Europe/London' })
    expect(isTimeZone('America/New_York')).toBe(true)
    expect(isTimeZone('Mars/Base')).toBe(false)
    expect(isTimeZone('UTC')).toBe(true)
    expect(isTimeZone('Etc/GMT+5')).toBe(true)
    // Abbreviations mean different zones to JavaScript and PostgreSQL (IST: India or Israel).
    for (const abbreviation of ['IST', 'BST', 'CST', 'EST5EDT', 'GMT']) expect(isTimeZone(abbreviation), abbreviation).toBe(false)
    // A field refuses a new abbreviation, but a value stored before still saves unchanged.
    expect(validateTimeZone('GMT', {})).toMatch(/"GMT" is not a time zone/)
    expect(validateTimeZone('GMT', { previousValue: 'GMT' })).toBe(true)
    expect(validateTimeZone('Europe/Paris', { previousValue: 'GMT' })).toBe(true)
    expect(validateTimeZone('', {})).toBe(true)
  })
})
