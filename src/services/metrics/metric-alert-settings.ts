type Env = Record<string, string | undefined>

export const METRIC_ALERT_KINDS = ['complaint_rate', 'bounce_rate'] as const
export type MetricAlertKind = (typeof METRIC_ALERT_KINDS)[number]

/** Gmail: keep the spam rate under 0.1 %, never reach 0.3 %. */
export const DEFAULT_COMPLAINT_RATE = 0.001
export const DEFAULT_BOUNCE_RATE = 0.05
/** Below this many messages in the window (the rate's denominator) no alert is raised: 1 complaint in 3 messages pages nobody. */
export const DEFAULT_MIN_VOLUME = 100
export const ALERT_WINDOW_HOURS = 24

export type MetricAlertSettings = {
  complaintRate: number
  bounceRate: number
  minVolume: number
  /** ALERTS_EMAIL_TO, split on commas; empty: alerts are recorded and logged, not emailed. */
  recipients: string[]
  /** Settings that were set but unusable (the default was taken), to be logged. */
  problems: string[]
}

/** A rate as a fraction (`0.001`) or a percentage (`0.1%`); strictly between 0 and 1. */
const parseRate = (raw: string): null | number => {
  const text = raw.trim()
  const percent = text.endsWith('%')
  const value = Number(percent ? text.slice(0, -1).trim() : text)
  const rate = percent ? value / 100 : value
  return text && Number.isFinite(rate) && rate > 0 && rate < 1 ? rate : null
}

/** The alert thresholds from the environment (ALERT_COMPLAINT_RATE, ALERT_BOUNCE_RATE, ALERT_MIN_VOLUME, ALERTS_EMAIL_TO). */
export const metricAlertSettings = (env: Env = process.env): MetricAlertSettings => {
  const problems: string[] = []
  const rate = (name: string, fallback: number) => {
    const raw = env[name]
    if (raw === undefined || raw.trim() === '') return fallback
    const value = parseRate(raw)
    if (value === null) problems.push(`${name}="${raw}" is not a rate between 0 and 1 (e.g. 0.001 or 0.1%); using ${fallback}.`)
    return value ?? fallback
  }
  const volume = () => {
    const raw = env.ALERT_MIN_VOLUME
    if (raw === undefined || raw.trim() === '') return DEFAULT_MIN_VOLUME
    if (/^\d{1,9}$/.test(raw.trim())) return Number(raw.trim())
    problems.push(`ALERT_MIN_VOLUME="${raw}" is not a whole number; using ${DEFAULT_MIN_VOLUME}.`)
    return DEFAULT_MIN_VOLUME
  }
  return {
    complaintRate: rate('ALERT_COMPLAINT_RATE', DEFAULT_COMPLAINT_RATE),
    bounceRate: rate('ALERT_BOUNCE_RATE', DEFAULT_BOUNCE_RATE),
    minVolume: volume(),
    recipients: (env.ALERTS_EMAIL_TO ?? '')
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean),
    problems,
  }
}
