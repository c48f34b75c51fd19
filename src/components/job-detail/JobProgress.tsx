'use client'
import React from 'react'

import './job-detail.css'
import { StatusPill } from '@/components/status/StatusPill'

import { LIVE_STATUSES } from './progress-store'
import { settlingLabel, useInFlight } from './use-in-flight'
import { useLiveJob } from './use-live-job'
import { statusLabel } from '@/services/vocabulary/statuses'

type Segment = { key: string; label: string; value: number; tone: string }

/**
 * Live progress of an email job at the top of its page: a bar in segments (delivered, sent, failed,
 * unknown, excluded; the rest is still pending) and the counters, updated while the job runs.
 */
export const JobProgress = () => {
  const { id, progress } = useLiveJob()
  const inFlight = useInFlight(id, progress?.status ?? 'draft')
  if (!id || !progress) return null
  const { status, total, pending, sent, delivered, failed, excluded, unknown } = progress
  if (status === 'draft') {
    return (
      <section className="job-detail job-detail__panel" data-testid="job-progress">
        <p className="job-detail__muted">Not queued yet. Queue the job from the sidebar; its progress shows here.</p>
      </section>
    )
  }
  const done = sent + failed + excluded + unknown
  const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0
  const segments: Segment[] = [
    { key: 'delivered', label: 'Delivered', value: delivered, tone: 'delivered' },
    { key: 'sent', label: 'Sent, not yet confirmed', value: Math.max(0, sent - delivered), tone: 'success' },
    { key: 'failed', label: 'Failed', value: failed, tone: 'error' },
    { key: 'unknown', label: 'Unknown', value: unknown, tone: 'warning' },
    { key: 'excluded', label: 'Excluded', value: excluded, tone: 'muted' },
  ]
  const counters: Segment[] = [
    { key: 'sent', label: 'Sent', value: sent, tone: 'success' },
    { key: 'delivered', label: 'Delivered', value: delivered, tone: 'delivered' },
    { key: 'failed', label: 'Failed', value: failed, tone: 'error' },
    { key: 'excluded', label: 'Excluded', value: excluded, tone: 'muted' },
    // A cancelled job's pending recipients stay for the record; they will not be sent.
    { key: 'pending', label: status === 'cancelled' ? 'Not sent' : 'Pending', value: pending, tone: 'active' },
    { key: 'unknown', label: 'Unknown', value: unknown, tone: 'warning' },
  ]
  const live = LIVE_STATUSES.includes(status)

  return (
    <section className="job-detail job-detail__panel" data-testid="job-progress" data-status={status} data-percent={percent}>
      <header className="job-detail__progress-head">
        <StatusPill kind="job" testID="job-progress-status" value={status}>
          {(live && status !== 'paused') || Boolean(inFlight) ? <span className="job-detail__pulse" aria-hidden /> : null}
          {settlingLabel(status, inFlight, statusLabel('job', status))}
        </StatusPill>
        {inFlight ? (
          <span className="job-detail__muted" data-testid="job-in-flight">
            {inFlight} {inFlight === 1 ? 'message' : 'messages'} in flight: {inFlight === 1 ? 'it finishes' : 'they finish'}, nothing new starts
          </span>
        ) : null}
        <span className="job-detail__progress-figure">
          <strong data-testid="job-progress-percent">{percent}%</strong>
          <span className="job-detail__muted">
            {done} of {total} done
          </span>
        </span>
      </header>
      <div
        aria-label={`${percent}% done`}
        aria-valuemax={100}
        aria-valuemin={0}
        aria-valuenow={percent}
        className="job-detail__bar"
        role="progressbar"
      >
        {segments.map((s) =>
          s.value > 0 && total > 0 ? (
            <span
              className={`job-detail__bar-segment job-detail__tone--${s.tone}`}
              key={s.key}
              style={{ width: `${(s.value / total) * 100}%` }}
              title={`${s.label}: ${s.value}`}
            />
          ) : null,
        )}
      </div>
      <dl className="job-detail__counters">
        {counters.map((c) => (
          <div className="job-detail__counter" data-testid={`job-counter-${c.key}`} key={c.key}>
            <dt>
              <span className={`job-detail__dot job-detail__tone--${c.tone}`} aria-hidden />
              {c.label}
            </dt>
            <dd>{c.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}
