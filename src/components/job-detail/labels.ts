/** Words the job pages show for statuses and times; one place, so the progress, table and actions agree. */
export const JOB_STATUS_LABEL: Record<string, string> = {
  draft: 'Draft',
  queued: 'Queued',
  sending: 'Sending',
  paused: 'Paused',
  completed: 'Completed',
  completed_with_errors: 'Completed with errors',
  failed: 'Failed',
  cancelled: 'Cancelled',
}

export const RECIPIENT_STATUS_LABEL: Record<string, string> = {
  pending: 'Pending',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Failed',
  excluded: 'Excluded',
  unknown: 'Unknown',
}

export const SUPPRESSION_REASON_LABEL: Record<string, string> = {
  bounce: 'Bounced',
  dropped: 'Dropped by the provider',
  spamreport: 'Marked as spam',
  unsubscribe: 'Unsubscribed',
  keyword: 'Opt-out reply',
  manual: 'Blocked by hand',
}

/** The tone of a status: the colour of its pill and its segment of the bar. */
export type Tone = 'success' | 'delivered' | 'error' | 'warning' | 'muted' | 'active'
export const RECIPIENT_TONE: Record<string, Tone> = {
  pending: 'active',
  sending: 'active',
  sent: 'success',
  delivered: 'delivered',
  failed: 'error',
  excluded: 'muted',
  unknown: 'warning',
}
export const JOB_TONE: Record<string, Tone> = {
  draft: 'muted',
  queued: 'active',
  sending: 'active',
  paused: 'warning',
  completed: 'success',
  completed_with_errors: 'warning',
  failed: 'error',
  cancelled: 'muted',
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' })

export const formatTime = (value: null | string | undefined): string => {
  if (!value) return ''
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? '' : dateTime.format(date)
}

export const formatBytes = (bytes: null | number | undefined): string => {
  if (!bytes) return ''
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
