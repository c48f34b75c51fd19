/** Formatting of engagement figures (pure, shared by the panels). */

// Rates and counts read the same as on the analytics dashboard.
export { formatCount, formatRate } from '../analytics/format'

export const formatWhen = (value: null | string | undefined): string => (value ? new Date(value).toLocaleString() : '—')

/** A short date and time for table cells, e.g. "26 Nov 2026, 10:00". */
export const formatShortWhen = (value: null | string | undefined): string =>
  value ? new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—'
