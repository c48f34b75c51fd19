'use client'
import React, { type ReactNode } from 'react'

import type { Engagement, EngagementCounts, EngagementRates } from '@/services/metrics/read-engagement'

import './engagement.css'
import { AsOf, DateTime } from '@/components/dates/DateTime'

import { formatCount, formatRate } from './format'

type Tone = 'success' | 'info' | 'error' | 'warning'

/** Each rate with the count it is made of and its denominator; the order operators read them in. */
const RATES: { key: keyof EngagementRates; label: string; count: keyof EngagementCounts; of: 'delivered' | 'sent'; tone: Tone }[] = [
  { key: 'delivery', label: 'Delivered', count: 'delivered', of: 'sent', tone: 'success' },
  { key: 'open', label: 'Opened', count: 'opened', of: 'delivered', tone: 'info' },
  { key: 'click', label: 'Clicked', count: 'clicked', of: 'delivered', tone: 'info' },
  { key: 'bounce', label: 'Bounced', count: 'bounced', of: 'sent', tone: 'error' },
  { key: 'complaint', label: 'Marked as spam', count: 'complained', of: 'delivered', tone: 'error' },
  { key: 'unsubscribe', label: 'Unsubscribed', count: 'unsubscribed', of: 'delivered', tone: 'warning' },
]

const TILES: { key: keyof EngagementCounts; label: string }[] = [
  // Not the progress card's "Sent" (the job's counter): messages the provider accepted, the rates' "sent".
  { key: 'sent', label: 'Accepted' },
  { key: 'opens', label: 'Opens' },
  { key: 'clicks', label: 'Clicks' },
  { key: 'dropped', label: 'Dropped' },
  { key: 'excluded', label: 'Excluded' },
]

/** Gmail's bulk-sender guidance: keep spam reports under 0.1 % of delivered mail, never reach 0.3 %. */
const complaintNote = (rate: null | number): null | string =>
  rate === null ? null : rate >= 0.003 ? 'At or above Gmail’s 0.3 % limit.' : rate > 0.001 ? 'Above Gmail’s 0.1 % guideline.' : null

const Tiles = ({ counts }: { counts: EngagementCounts }) => (
  <dl className="engagement__tiles">
    {TILES.map((tile) => (
      <div key={tile.key} className="engagement__tile" data-testid={`engagement-count-${tile.key}`} data-value={counts[tile.key]}>
        <dt>{tile.label}</dt>
        <dd>{formatCount(counts[tile.key])}</dd>
      </div>
    ))}
  </dl>
)

export type EngagementPanelProps = {
  engagement: Engagement | null
  title?: string
  /** Shown when nothing was sent: instead of the figures when there is no message at all, else above the counts. */
  emptyText?: string
  error?: null | string
  loading?: boolean
  onRefresh?: () => void
  testID?: string
  /** When the figures were read, shown as "as of 14:05" (they do not move with the live figures beside them). */
  asOf?: null | string
  /** A sentence under the figures, e.g. why a figure differs from the progress above. */
  note?: ReactNode
  children?: ReactNode
}

/**
 * Engagement of a job, a template or a contact: one labelled bar per rate (with its count and
 * denominator), totals, and first/last open and click. Colours are Payload's theme variables.
 */
export const EngagementPanel = ({ engagement, title = 'Engagement', emptyText = 'No messages sent yet.', error, loading, onRefresh, testID = 'engagement-panel', asOf, note: extra, children }: EngagementPanelProps) => {
  const counts = engagement?.counts
  // Nothing accepted: no rate has a denominator. The counts still show when there are messages (a job
  // whose recipients were all suppressed shows its excluded ones); only a scope without any message is
  // just the sentence.
  const isEmpty = Boolean(counts && counts.sent === 0)
  const noMessages = Boolean(counts && counts.total + counts.excluded === 0)
  const note = complaintNote(engagement?.rates.complaint ?? null)
  return (
    <section className="engagement engagement__panel" data-testid={testID} data-state={error ? 'error' : !engagement ? 'loading' : isEmpty ? 'empty' : 'ready'} aria-label={title}>
      <header className="engagement__head">
        <h3 className="engagement__title">{title}</h3>
        <span className="engagement__head-side">
          {asOf && !loading && <AsOf value={asOf} testID={`${testID}-as-of`} />}
          {engagement && <span className="engagement__channel">{engagement.channel === 'email' ? 'Email' : engagement.channel}</span>}
          {onRefresh && (
            <button type="button" className="engagement__refresh" onClick={onRefresh} disabled={loading}>
              {loading ? 'Loading…' : 'Refresh'}
            </button>
          )}
        </span>
      </header>

      {error ? (
        <p className="engagement__error" role="alert">
          {error}
        </p>
      ) : !engagement || !counts ? (
        <p className="engagement__muted">Loading engagement…</p>
      ) : isEmpty ? (
        <>
          <div className="engagement__empty" data-testid="engagement-empty">
            <strong>{emptyText}</strong>
            <span className="engagement__muted">Delivery, opens, clicks, bounces, spam reports and unsubscribes show here once messages go out.</span>
          </div>
          {!noMessages && <Tiles counts={counts} />}
        </>
      ) : (
        <>
          <Tiles counts={counts} />

          <ul className="engagement__rates">
            {RATES.map((rate) => {
              const value = engagement.rates[rate.key]
              const width = value === null ? 0 : Math.min(100, value * 100)
              return (
                <li key={rate.key} className="engagement__rate" data-testid={`engagement-rate-${rate.key}`} data-value={value ?? ''} data-count={counts[rate.count]}>
                  <span className="engagement__rate-label">{rate.label}</span>
                  {/* A meter only when there is a rate; without one the bar is empty and the text says "—". */}
                  <span
                    className="engagement__bar"
                    {...(value === null
                      ? { 'aria-hidden': true }
                      : {
                          role: 'meter',
                          'aria-label': `${rate.label}: ${formatRate(value)} of ${rate.of}`,
                          'aria-valuemin': 0,
                          'aria-valuemax': 100,
                          'aria-valuenow': Math.round(value * 1000) / 10,
                        })}
                  >
                    <span className={`engagement__bar-fill engagement__tone--${rate.tone}`} style={{ width: `${width}%`, minWidth: value ? 3 : 0 }} />
                  </span>
                  <strong className="engagement__rate-value">{formatRate(value)}</strong>
                  <span className="engagement__muted engagement__rate-count">
                    {formatCount(counts[rate.count])} of {formatCount(counts[rate.of])} {rate.of}
                  </span>
                </li>
              )
            })}
          </ul>
          {note && (
            <p className="engagement__warning" data-testid="engagement-complaint-note">
              {note}
            </p>
          )}

          {extra && (
            <p className="engagement__muted" data-testid={`${testID}-note`}>
              {extra}
            </p>
          )}

          <p className="engagement__times engagement__muted">
            <span>Accepted counts every message the provider accepted, also those that bounced or were marked as spam later (the rates’ “sent”).</span>
            <span>
              Opens: first <DateTime value={engagement.times.firstOpenAt} />, last <DateTime value={engagement.times.lastOpenAt} />
            </span>
            <span>
              Clicks: first <DateTime value={engagement.times.firstClickAt} />, last <DateTime value={engagement.times.lastClickAt} />
            </span>
          </p>
        </>
      )}
      {children}
    </section>
  )
}
