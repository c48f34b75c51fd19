import { EXPORT_STATUS_LABELS } from '../exports/export-definitions'
import { IMPORT_STATUS_LABELS } from '../imports/import-definitions'

/** The tone of a status: the colour of its pill, dot and bar segment, the same everywhere. */
export type Tone = 'success' | 'delivered' | 'error' | 'warning' | 'muted' | 'active'
type Entry = { label: string; tone: Tone }

/**
 * Every status the product shows, with the one label and tone it has in lists, filters, pages, the
 * home page and the API's option labels. Shared by the server (collection options) and the admin.
 * `tests/status-vocabulary.test.ts` keeps it in step with each collection's values.
 */
export const STATUS_VOCABULARY = {
  job: {
    draft: { label: 'Draft', tone: 'muted' },
    queued: { label: 'Queued', tone: 'active' },
    sending: { label: 'Sending', tone: 'active' },
    paused: { label: 'Paused', tone: 'warning' },
    completed: { label: 'Completed', tone: 'success' },
    completed_with_errors: { label: 'Completed with errors', tone: 'warning' },
    failed: { label: 'Failed', tone: 'error' },
    cancelled: { label: 'Cancelled', tone: 'muted' },
  },
  recipient: {
    pending: { label: 'Pending', tone: 'active' },
    sending: { label: 'Sending', tone: 'active' },
    sent: { label: 'Sent', tone: 'success' },
    delivered: { label: 'Delivered', tone: 'delivered' },
    failed: { label: 'Failed', tone: 'error' },
    excluded: { label: 'Excluded', tone: 'muted' },
    unknown: { label: 'Outcome unknown', tone: 'warning' },
  },
  template: {
    draft: { label: 'Draft', tone: 'muted' },
    pending: { label: 'Waiting for approval', tone: 'warning' },
    approved: { label: 'Approved', tone: 'success' },
    rejected: { label: 'Rejected', tone: 'error' },
  },
  suppression: {
    active: { label: 'Suppressed', tone: 'error' },
    pending_review: { label: 'Waiting for review', tone: 'warning' },
    lifted: { label: 'Lifted', tone: 'muted' },
  },
  conversation: {
    open: { label: 'Open', tone: 'active' },
    closed: { label: 'Closed', tone: 'muted' },
  },
  message: {
    received: { label: 'Received', tone: 'muted' },
    queued: { label: 'Queued', tone: 'active' },
    sending: { label: 'Sending', tone: 'active' },
    sent: { label: 'Sent', tone: 'success' },
    delivered: { label: 'Delivered', tone: 'delivered' },
    failed: { label: 'Failed', tone: 'error' },
    unknown: { label: 'Outcome unknown', tone: 'warning' },
  },
  inboundEmail: {
    queued: { label: 'Queued', tone: 'active' },
    threaded: { label: 'In the inbox', tone: 'success' },
    ignored: { label: 'Logged only', tone: 'muted' },
    failed: { label: 'Failed', tone: 'error' },
  },
  invitation: {
    pending: { label: 'Invitation pending', tone: 'warning' },
    accepted: { label: 'Joined', tone: 'success' },
    revoked: { label: 'Invitation withdrawn', tone: 'muted' },
  },
  import: {
    uploaded: { label: IMPORT_STATUS_LABELS.uploaded, tone: 'muted' },
    queued: { label: IMPORT_STATUS_LABELS.queued, tone: 'active' },
    running: { label: IMPORT_STATUS_LABELS.running, tone: 'active' },
    stopping: { label: IMPORT_STATUS_LABELS.stopping, tone: 'warning' },
    stopped: { label: IMPORT_STATUS_LABELS.stopped, tone: 'muted' },
    completed: { label: IMPORT_STATUS_LABELS.completed, tone: 'success' },
    completed_with_errors: { label: IMPORT_STATUS_LABELS.completed_with_errors, tone: 'warning' },
    failed: { label: IMPORT_STATUS_LABELS.failed, tone: 'error' },
  },
  booking: {
    scheduled: { label: 'Scheduled', tone: 'active' },
    rescheduled: { label: 'Rescheduled', tone: 'warning' },
    cancelled: { label: 'Cancelled', tone: 'muted' },
  },
  attendeeResponse: {
    'needs-action': { label: 'No answer yet', tone: 'muted' },
    accepted: { label: 'Accepted', tone: 'success' },
    tentative: { label: 'Maybe', tone: 'warning' },
    declined: { label: 'Declined', tone: 'error' },
  },
  invitationSend: {
    queued: { label: 'Queued', tone: 'active' },
    sending: { label: 'Sending', tone: 'active' },
    sent: { label: 'Sent', tone: 'success' },
    failed: { label: 'Failed', tone: 'error' },
    unknown: { label: 'Outcome unknown', tone: 'warning' },
    superseded: { label: 'Replaced by a later version', tone: 'muted' },
  },
  calendarConnection: {
    connected: { label: 'Connected', tone: 'success' },
    reconnect: { label: 'Reconnect required', tone: 'error' },
  },
  calendarSync: {
    pending: { label: 'Pending', tone: 'active' },
    syncing: { label: 'Syncing', tone: 'active' },
    synced: { label: 'Synced', tone: 'success' },
    failed: { label: 'Failed', tone: 'error' },
  },
  kbArticle: {
    draft: { label: 'Draft', tone: 'muted' },
    published: { label: 'Published', tone: 'success' },
  },
  assistantOutcome: {
    answered: { label: 'Answered', tone: 'success' },
    unknown: { label: "Didn't know", tone: 'warning' },
    refused: { label: 'Refused', tone: 'error' },
    error: { label: 'Error', tone: 'error' },
    cancelled: { label: 'Cancelled', tone: 'muted' },
  },
  export: {
    queued: { label: EXPORT_STATUS_LABELS.queued, tone: 'active' },
    running: { label: EXPORT_STATUS_LABELS.running, tone: 'active' },
    completed: { label: EXPORT_STATUS_LABELS.completed, tone: 'success' },
    failed: { label: EXPORT_STATUS_LABELS.failed, tone: 'error' },
    expired: { label: EXPORT_STATUS_LABELS.expired, tone: 'muted' },
  },
} as const satisfies Record<string, Record<string, Entry>>

export type StatusKind = keyof typeof STATUS_VOCABULARY

const entryOf = (kind: StatusKind, value: unknown): Entry | undefined =>
  typeof value === 'string' ? (STATUS_VOCABULARY[kind] as Record<string, Entry>)[value] : undefined

/** The label of a status; an unknown value is shown as it is, never hidden. */
export const statusLabel = (kind: StatusKind, value: unknown): string => entryOf(kind, value)?.label ?? (typeof value === 'string' ? value : '')

export const statusTone = (kind: StatusKind, value: unknown): Tone => entryOf(kind, value)?.tone ?? 'muted'

/** A select field's options for a kind of status: the API's values with the labels the admin shows. */
export const statusOptions = (kind: StatusKind) => Object.entries(STATUS_VOCABULARY[kind]).map(([value, entry]) => ({ value, label: entry.label }))
