/** The REST reads behind the job detail (pure, so tests call the same URLs). Payload checks access on each. */
import { COUNTER_NAMES } from './counters'

export const RECIPIENTS_PAGE_SIZE = 25

const RECIPIENT_FIELDS = ['email', 'status', 'contact', 'suppression', 'excludedReason', 'attempts', 'lastError', 'providerCode', 'providerMessageID', 'sentAt', 'deliveredAt', 'failedAt', 'updatedAt']

/** One page of a job's recipients, optionally of some statuses, with contact names and suppressions populated (nothing else). */
export const recipientsQuery = (jobID: number | string, statuses: null | string[], page: number): string => {
  const params = [`where[job][equals]=${encodeURIComponent(String(jobID))}`]
  statuses?.forEach((s, i) => params.push(`where[status][in][${i}]=${encodeURIComponent(s)}`))
  params.push(`page=${page}`, `limit=${RECIPIENTS_PAGE_SIZE}`, 'depth=1', 'sort=id')
  for (const f of RECIPIENT_FIELDS) params.push(`select[${f}]=true`)
  for (const f of ['firstName', 'lastName', 'email']) params.push(`populate[contacts][${f}]=true`)
  return `/email-recipients?${params.join('&')}`
}

/** A job's status and counters only. */
export const progressQuery = (jobID: number | string): string =>
  `/email-jobs/${encodeURIComponent(String(jobID))}?depth=0&${['status', 'completedAt', ...COUNTER_NAMES].map((f) => `select[${f}]=true`).join('&')}`

/** The job's attachments, by id. */
export const attachmentsQuery = (ids: number[]): string => `/media?${ids.map((id, i) => `where[id][in][${i}]=${id}`).join('&')}&depth=0&limit=10`
