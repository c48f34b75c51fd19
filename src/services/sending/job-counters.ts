/**
 * The one definition of an email job's counters and of a finished job's status, shared by every place
 * that counts (finalising a job, reconciling counters) or moves them (the event webhook), so they agree.
 */

/** Which recipient statuses each counter counts (`total` counts every row). */
export const JOB_COUNTER_STATUSES = {
  pending: ['pending', 'sending'],
  sent: ['sent', 'delivered'],
  delivered: ['delivered'],
  failed: ['failed'],
  excluded: ['excluded'],
  unknown: ['unknown'],
} as const

export type JobCounter = keyof typeof JOB_COUNTER_STATUSES

/** The statuses a job ends in; its status then follows its counts (see `finishedJobStatusSQL`). */
export const FINISHED_JOB_STATUSES = ['completed', 'completed_with_errors', 'failed'] as const

const sqlList = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ')

/** SQL select list counting `email_recipients` rows into the counters: `count(*)::int AS total, count(*) FILTER (…)::int AS pending, …`. */
export const jobCountersSelectSQL = (): string =>
  [
    'count(*)::int AS total',
    ...Object.entries(JOB_COUNTER_STATUSES).map(([counter, statuses]) => `count(*) FILTER (WHERE status IN (${sqlList(statuses)}))::int AS ${counter}`),
  ].join(',\n       ')

/** SQL list of the finished statuses, for `status IN (…)`. */
export const FINISHED_JOB_STATUSES_SQL = sqlList(FINISHED_JOB_STATUSES)

/**
 * SQL for a finished job's status from its counts (SQL expressions): `failed` when nothing went out and
 * something failed, `completed_with_errors` when anything failed or is unknown, else `completed`.
 */
export const finishedJobStatusSQL = ({ sent, failed, unknown }: { sent: string; failed: string; unknown: string }): string =>
  `(CASE WHEN ${sent} = 0 AND ${failed} > 0 THEN 'failed'
        WHEN ${failed} > 0 OR ${unknown} > 0 THEN 'completed_with_errors'
        ELSE 'completed' END)::enum_email_jobs_status`
