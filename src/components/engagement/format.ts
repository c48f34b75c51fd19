/** Formatting of engagement figures (pure, shared by the panels). */

/** A fraction as a percentage: one decimal, two below 1 % (complaint rates live there), '—' when there is no rate. */
export const formatRate = (rate: null | number | undefined): string => {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—'
  const percent = rate * 100
  // 75% and 66.7%, not 75.0%; 0.12% below 1 %.
  return `${Number(percent.toFixed(percent < 1 ? 2 : 1))}%`
}

export const formatCount = (value: number): string => value.toLocaleString('en')

export const formatWhen = (value: null | string | undefined): string => (value ? new Date(value).toLocaleString() : '—')

/** A short date and time for table cells, e.g. "26 Nov 2026, 10:00". */
export const formatShortWhen = (value: null | string | undefined): string =>
  value ? new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—'
