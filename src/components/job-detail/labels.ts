import { statusLabels, statusTones, type Tone } from '@/services/vocabulary/statuses'

/** Words the job pages show for statuses (from the one STATUS_VOCABULARY) and times. */
export const JOB_STATUS_LABEL = statusLabels('job')
export const RECIPIENT_STATUS_LABEL = statusLabels('recipient')

export const SUPPRESSION_REASON_LABEL: Record<string, string> = {
  bounce: 'Bounced',
  dropped: 'Dropped by the provider',
  spamreport: 'Marked as spam',
  unsubscribe: 'Unsubscribed',
  keyword: 'Opt-out reply',
  manual: 'Blocked by hand',
}

export type { Tone }
export const RECIPIENT_TONE = statusTones('recipient')
export const JOB_TONE = statusTones('job')

export const formatBytes = (bytes: null | number | undefined): string => {
  if (!bytes) return ''
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
