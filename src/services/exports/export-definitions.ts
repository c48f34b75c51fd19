/** The words of a CSV export, shared by the server and the admin. */
export const EXPORT_STATUSES = ['queued', 'running', 'completed', 'failed', 'expired'] as const
export type ExportStatus = (typeof EXPORT_STATUSES)[number]
export const EXPORT_STATUS_LABELS: Record<ExportStatus, string> = {
  queued: 'Waiting to start',
  running: 'Writing the file',
  completed: 'Ready to download',
  failed: 'Failed',
  expired: 'Expired (export again)',
}

export const EXPORT_KINDS = ['contacts', 'segment', 'job'] as const
export type ExportKind = (typeof EXPORT_KINDS)[number]
export const EXPORT_KIND_LABELS: Record<ExportKind, string> = {
  contacts: 'All contacts of the organisation',
  segment: 'The contacts of a segment',
  job: "An email job's recipients, with their status",
}
