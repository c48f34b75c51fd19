/** Formatting of engagement figures (pure, shared by the panels). */

// Rates and counts read the same as on the analytics dashboard.
export { formatCount, formatRate } from '../analytics/format'
