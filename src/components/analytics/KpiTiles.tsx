'use client'
import React from 'react'

import { GMAIL_LIMIT_PERCENT, GMAIL_TARGET_PERCENT } from './ComplaintRateChart'
import { formatCount, formatRate } from './format'
import type { ChannelSummary } from './types'

type Tone = 'error' | 'muted' | 'neutral' | 'success' | 'warning'
type Tile = { key: string; label: string; value: number; rate?: { value: null | number; label: string }; tone: Tone }

/** Bounces above 5 % and complaints above Gmail's lines colour their tile; the words say it too. */
const BOUNCE_ALERT = 0.05
const complaintTone = (rate: null | number): Tone =>
  rate === null ? 'neutral' : rate * 100 >= GMAIL_LIMIT_PERCENT ? 'error' : rate * 100 >= GMAIL_TARGET_PERCENT ? 'warning' : 'success'

/** What SMS has no measure of: complaints, opens and clicks (an email's). */
const EMAIL_ONLY = new Set(['complaints', 'unique-opens', 'unique-clicks'])

export const KpiTiles = ({ summary }: { summary: ChannelSummary }) => {
  const { totals, rates } = summary
  const sms = summary.channel === 'sms'
  const all: Tile[] = [
    { key: 'sent', label: 'Sent', value: totals.sent, tone: 'neutral' },
    { key: 'delivered', label: 'Delivered', value: totals.delivered, rate: { value: rates.delivery, label: 'of sent' }, tone: 'success' },
    { key: 'failed', label: 'Failed', value: totals.failed, tone: totals.failed > 0 ? 'error' : 'neutral' },
    {
      key: 'bounces',
      // For SMS, the carrier's "undelivered" (Twilio's undelivered and failed statuses).
      label: sms ? 'Undelivered' : 'Bounces',
      value: totals.bounces,
      rate: { value: rates.bounce, label: 'of sent' },
      tone: rates.bounce !== null && rates.bounce >= BOUNCE_ALERT ? 'error' : 'neutral',
    },
    { key: 'complaints', label: 'Complaints', value: totals.complaints, rate: { value: rates.complaint, label: 'of delivered' }, tone: complaintTone(rates.complaint) },
    { key: 'unsubscribed', label: sms ? 'Opted out' : 'Unsubscribed', value: totals.unsubscribed, tone: 'neutral' },
    { key: 'unique-opens', label: 'Unique opens', value: totals.uniqueOpens, rate: { value: rates.open, label: 'of delivered' }, tone: 'neutral' },
    { key: 'unique-clicks', label: 'Unique clicks', value: totals.uniqueClicks, rate: { value: rates.click, label: 'of delivered' }, tone: 'neutral' },
  ]
  const tiles = sms ? all.filter((t) => !EMAIL_ONLY.has(t.key)) : all
  return (
    <dl aria-label="Key figures" className="analytics__kpis">
      {tiles.map((t) => (
        <div className={`analytics__kpi analytics__kpi--${t.tone}`} data-testid={`kpi-${t.key}`} key={t.key}>
          <dt>{t.label}</dt>
          <dd>
            <strong data-testid={`kpi-${t.key}-value`}>{formatCount(t.value)}</strong>
            {t.rate && (
              <span className="analytics__kpi-rate" data-testid={`kpi-${t.key}-rate`}>
                {formatRate(t.rate.value)} <span className="analytics__muted">{t.rate.label}</span>
              </span>
            )}
          </dd>
        </div>
      ))}
    </dl>
  )
}
