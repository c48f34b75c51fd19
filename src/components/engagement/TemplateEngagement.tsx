'use client'
import { useConfig, useDocumentInfo } from '@payloadcms/ui'
import React from 'react'

import { DateTime } from '@/components/dates/DateTime'
import type { TemplateEngagement as TemplateEngagementData } from '@/services/metrics/read-template-engagement'

import { EngagementPanel } from './EngagementPanel'
import { formatCount, formatRate } from './format'
import { useEngagement } from './use-engagement'
import { statusLabel } from '@/services/vocabulary/statuses'

/** On a template's page: engagement over every job sent with it, and one row per job. */
export const TemplateEngagement = () => {
  const { id } = useDocumentInfo()
  const { config } = useConfig()
  const admin = config.routes?.admin ?? '/admin'
  const { data, error, loading, reload } = useEngagement<TemplateEngagementData>('email-templates', id)
  if (!id) return null
  const jobs = data?.jobs ?? []
  return (
    <EngagementPanel
      engagement={data?.engagement ?? null}
      error={error}
      loading={loading}
      onRefresh={reload}
      title="Engagement across jobs"
      emptyText="No messages sent yet with this template."
      testID="template-engagement"
    >
      {data && jobs.length > 0 && (
        <>
          <h4 className="engagement__subtitle">
            By job{data.jobCount > jobs.length ? ` (latest ${jobs.length} of ${formatCount(data.jobCount)})` : ` (${jobs.length})`}
          </h4>
          <div className="engagement__table-wrap">
            <table className="engagement__table" data-testid="template-engagement-jobs">
              <thead>
                <tr>
                  <th>Job</th>
                  <th>Queued</th>
                  <th className="engagement__num">Sent</th>
                  <th className="engagement__num">Delivered</th>
                  <th className="engagement__num">Open rate</th>
                  <th className="engagement__num">Click rate</th>
                  <th className="engagement__num">Bounce rate</th>
                  <th className="engagement__num">Spam rate</th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((job) => (
                  <tr key={job.id} data-job={job.id}>
                    <td>
                      <a className="engagement__link" href={`${admin}/collections/email-jobs/${job.id}`}>
                        {job.name}
                      </a>
                      <span className="engagement__muted"> · {statusLabel('job', job.status)}</span>
                    </td>
                    <td className="engagement__muted engagement__nowrap"><DateTime value={job.queuedAt} /></td>
                    <td className="engagement__num">{formatCount(job.sent)}</td>
                    <td className="engagement__num">{formatCount(job.delivered)}</td>
                    <td className="engagement__num">{formatRate(job.openRate)}</td>
                    <td className="engagement__num">{formatRate(job.clickRate)}</td>
                    <td className="engagement__num">{formatRate(job.bounceRate)}</td>
                    <td className="engagement__num">{formatRate(job.complaintRate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </EngagementPanel>
  )
}
