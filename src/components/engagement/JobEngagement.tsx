'use client'
import React from 'react'

import { useLiveJob } from '@/components/job-detail/use-live-job'
import type { JobEngagement as JobEngagementData } from '@/services/metrics/read-job-engagement'

import { EngagementPanel } from './EngagementPanel'
import { useEngagement } from './use-engagement'

/**
 * On an email job's page, under its progress: delivered, opened, clicked, bounced, spam and unsubscribe
 * rates. Read again when the job's counters move (the progress poller's figures), or on Refresh for
 * opens and clicks, which move no counter.
 */
export const JobEngagement = () => {
  const { id, progress } = useLiveJob()
  const key = progress ? [progress.status, progress.sent, progress.delivered, progress.failed].join(',') : ''
  const { data, error, loading, reload } = useEngagement<JobEngagementData>('email-jobs', id, key)
  if (!id || progress?.status === 'draft') return null
  return (
    <EngagementPanel
      engagement={data?.engagement ?? null}
      error={error}
      loading={loading}
      onRefresh={reload}
      emptyText="No messages sent yet."
      testID="job-engagement"
    />
  )
}
