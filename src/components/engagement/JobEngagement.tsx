'use client'
import React, { useEffect, useRef, useState } from 'react'

import { LIVE_STATUSES } from '@/components/job-detail/progress-store'
import { useLiveJob } from '@/components/job-detail/use-live-job'
import type { JobEngagement as JobEngagementData } from '@/services/metrics/read-job-engagement'

import { EngagementPanel } from './EngagementPanel'
import { useEngagement } from './use-engagement'

/** While a job runs, its engagement (a whole-job aggregate) is read again at most this often. */
export const LIVE_REFRESH_MS = 30_000

/**
 * On an email job's page, under its progress: delivered, opened, clicked, bounced, spam and unsubscribe
 * rates. While the job runs (its progress is polled every second), read again at most every 30 s and only
 * when its counters moved; once more when it reaches a final status; and on Refresh, for opens and
 * clicks, which move no counter. After it finished, again whenever a late event moves its counters. The
 * panel says when it was read ("as of 14:05") and why its Delivered may exceed the progress's.
 */
export const JobEngagement = () => {
  const { id, progress } = useLiveJob()
  const status = progress?.status ?? ''
  const live = LIVE_STATUSES.includes(status)
  const counters = progress ? [progress.sent, progress.delivered, progress.failed, progress.excluded].join(',') : ''
  const latest = useRef(counters)
  useEffect(() => {
    latest.current = counters
  }, [counters])
  // The counters as of the last 30-second tick; setting the same value again changes nothing, so an idle
  // (paused) job is not read again.
  const [sampled, setSampled] = useState(counters)
  useEffect(() => {
    if (!live) return
    const timer = setInterval(() => setSampled(latest.current), LIVE_REFRESH_MS)
    return () => clearInterval(timer)
  }, [live])
  // Read again when the status changes (a pause, a resume) and, after the job has finished, when late
  // provider events move its counters.
  const key = live ? `live:${status}:${sampled}` : `${status}:${counters}`
  // A draft has no recipients yet: nothing to read until it is queued.
  const { data, error, loading, reload } = useEngagement<JobEngagementData>('email-jobs', status === 'draft' ? undefined : id, key)
  if (!id || status === 'draft') return null
  const laterFailed = data?.engagement.counts.deliveredThenFailed ?? 0
  return (
    <EngagementPanel
      engagement={data?.engagement ?? null}
      error={error}
      loading={loading}
      onRefresh={reload}
      emptyText={live || !status ? 'No messages sent yet.' : 'No message was sent.'}
      testID="job-engagement"
      asOf={data?.asOf ?? null}
      note={
        laterFailed > 0
          ? `Delivered here counts every delivery the provider confirmed, also ${laterFailed === 1 ? 'the 1 message' : `the ${laterFailed} messages`} that bounced or ${laterFailed === 1 ? 'was' : 'were'} marked as spam afterwards; the progress above counts ${laterFailed === 1 ? 'it' : 'them'} as failed.`
          : null
      }
    />
  )
}
