'use client'
import React from 'react'

import type { DateSettings } from '@/services/vocabulary/dates'

import { formatCount, formatMoment, formatRate } from './format'
import type { MetricAlert } from './types'

const KIND: Record<MetricAlert['kind'], { label: string; one: string; many: string; denominator: string }> = {
  complaint_rate: { label: 'Complaint rate', one: 'complaint', many: 'complaints', denominator: 'delivered' },
  bounce_rate: { label: 'Bounce rate', one: 'bounce', many: 'bounces', denominator: 'sent' },
}

/** Alerts raised in the last 24 hours (the alert job also emails them), above everything else. */
export const AlertBanner = ({ alerts, dates }: { alerts: MetricAlert[]; dates: DateSettings }) => {
  if (alerts.length === 0) return null
  return (
    <div className="analytics__alerts" data-testid="analytics-alerts" role="alert">
      <strong className="analytics__alerts-title">{alerts.length === 1 ? 'A sending alert is open' : `${alerts.length} sending alerts are open`}</strong>
      <ul>
        {alerts.map((a) => {
          const kind = KIND[a.kind] ?? { label: a.kind, one: 'event', many: 'events', denominator: 'messages' }
          return (
            <li key={`${a.org}-${a.kind}-${a.raisedAt}`}>
              <strong>{a.orgName}</strong>: {kind.label.toLowerCase()} {formatRate(a.rate)} over the 24 hours to {formatMoment(a.windowEnd, dates)} (threshold{' '}
              {formatRate(a.threshold)}; {formatCount(a.numerator)} {a.numerator === 1 ? kind.one : kind.many} of {formatCount(a.denominator)} {kind.denominator}), raised{' '}
              {formatMoment(a.raisedAt, dates)}.
            </li>
          )
        })}
      </ul>
    </div>
  )
}
