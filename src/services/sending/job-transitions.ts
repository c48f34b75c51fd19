/**
 * Which decision a person may take about an email job in which status: one table, read by the server
 * (changeEmailJobState, which checks it again under the job's lock) and by the admin's action buttons.
 * Pure data, safe to import in client components.
 */
export const JOB_ACTIONS = ['cancel', 'pause', 'resume', 'resend-unknown', 'retry-failed'] as const
export type JobAction = (typeof JOB_ACTIONS)[number]

export const RUNNING_JOB_STATUSES = ['queued', 'sending', 'paused'] as const

export type JobTransition = { from: readonly string[]; verb: string }

export const JOB_TRANSITIONS: Record<JobAction, JobTransition> = {
  cancel: { from: ['queued', 'sending', 'paused'], verb: 'cancelled' },
  pause: { from: ['queued', 'sending'], verb: 'paused' },
  resume: { from: ['paused'], verb: 'resumed' },
  'resend-unknown': { from: ['sending', 'paused', 'completed', 'completed_with_errors', 'failed'], verb: 'queued again' },
  // Only an ended job: while it runs, its own retries are still under way.
  'retry-failed': { from: ['completed_with_errors', 'failed'], verb: 'retried' },
}

/** Queueing is its own service (queueEmailJob), but the buttons read it from the same place. */
export const QUEUE_FROM: readonly string[] = ['draft']

export const isJobActionAllowed = (action: JobAction | 'queue', status: string): boolean =>
  (action === 'queue' ? QUEUE_FROM : JOB_TRANSITIONS[action].from).includes(status)
