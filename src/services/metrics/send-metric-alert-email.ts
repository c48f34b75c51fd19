import type { Payload } from 'payload'

import type { MetricAlertKind } from './metric-alert-settings'

type Env = Record<string, string | undefined>

export type MetricAlertMessage = {
  org: number
  orgName: string
  kind: MetricAlertKind
  rate: number
  threshold: number
  numerator: number
  denominator: number
  windowStart: Date
  windowEnd: Date
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

/** 0.005 → "0.5 %", 0.0583333 → "5.83 %". */
export const formatPercent = (fraction: number): string => `${Number((fraction * 100).toFixed(2))} %`

const WORDS: Record<MetricAlertKind, { title: string; numerator: string; denominator: string; advice: string }> = {
  complaint_rate: {
    title: 'Complaint rate',
    numerator: 'Spam complaints',
    denominator: 'Messages delivered',
    advice: 'Mailbox providers block senders whose spam complaint rate stays high (Gmail: keep it under 0.1 %, never reach 0.3 %). Check who is being mailed and whether they asked for it.',
  },
  bounce_rate: {
    title: 'Bounce rate',
    numerator: 'Bounces',
    denominator: 'Messages sent',
    advice: 'A high bounce rate usually means an old or bought address list. Bounced addresses are suppressed already; check where the list came from.',
  },
}

const analyticsLink = (payload: Payload, org: number, env: Env): string => {
  const site = (env.SITE_URL || payload.config.serverURL || '').replace(/\/+$/, '')
  return `${site}/admin/analytics?org=${org}&range=24h`
}

/** Subject and text of one alert: the org, the rate, the threshold, the counts, the window and a link. */
export const composeMetricAlertEmail = (payload: Payload, alert: MetricAlertMessage, env: Env = process.env) => {
  const words = WORDS[alert.kind]
  const subject = `[Outpost] ${words.title} ${formatPercent(alert.rate)} (threshold ${formatPercent(alert.threshold)}) for ${alert.orgName}`
  const link = analyticsLink(payload, alert.org, env)
  const text = [
    `${alert.orgName} (org ${alert.org}): the ${words.title.toLowerCase()} over the last 24 hours is ${formatPercent(alert.rate)}, above the threshold of ${formatPercent(alert.threshold)}.`,
    '',
    `${words.numerator}: ${alert.numerator}`,
    `${words.denominator}: ${alert.denominator}`,
    `Window: ${alert.windowStart.toISOString()} to ${alert.windowEnd.toISOString()} (UTC)`,
    '',
    words.advice,
    '',
    `Open the analytics: ${link}`,
    '',
    'Outpost sends at most one such alert per organisation and kind in 24 hours.',
  ].join('\n')
  const html = text
    .split('\n\n')
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('\n')
    .replace(escapeHtml(link), `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`)
  return { subject, text, html }
}

/** Sends one alert through Payload's configured email adapter (SMTP_*; without SMTP_HOST Payload logs it). Throws when sending fails. */
export const sendMetricAlertEmail = async ({ payload, alert, to, env = process.env }: { payload: Payload; alert: MetricAlertMessage; to: string[]; env?: Env }): Promise<void> => {
  await payload.sendEmail({ to, ...composeMetricAlertEmail(payload, alert, env) })
}
