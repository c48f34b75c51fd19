import { createGoogleCalendar } from './google-calendar'
import { createGraphCalendar } from './graph-calendar'
import type { CalendarAdapter, CalendarAdapterOptions, CalendarProvider } from './types'

const ADAPTERS: Record<CalendarProvider, (options: CalendarAdapterOptions) => CalendarAdapter> = { google: createGoogleCalendar, microsoft: createGraphCalendar }

/** The adapter for a connection's provider (one file per provider; the domain never asks which). */
export const createCalendarAdapter = (provider: CalendarProvider, options: CalendarAdapterOptions): CalendarAdapter => ADAPTERS[provider](options)

export * from './types'
