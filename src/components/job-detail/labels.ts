export const SUPPRESSION_REASON_LABEL: Record<string, string> = {
  bounce: 'Bounced',
  dropped: 'Dropped by the provider',
  spamreport: 'Marked as spam',
  unsubscribe: 'Unsubscribed',
  keyword: 'Opt-out reply',
  manual: 'Blocked by hand',
}

export const formatBytes = (bytes: null | number | undefined): string => {
  if (!bytes) return ''
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
