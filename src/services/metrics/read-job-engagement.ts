import type { Payload } from 'payload'

import { inTransaction } from '@/db/transaction'

import { AppError, nullIfNotFound } from '../errors/app-error'
import { type Engagement, readEngagement } from './read-engagement'

type User = NonNullable<Parameters<Payload['find']>[0]['user']>

export type JobEngagement = {
  job: { id: number; name: string; status: string; queuedAt: null | string }
  engagement: Engagement
  /** When the figures were read: they are a snapshot, while the job's progress above them is live. */
  asOf: string
}

/** A job's engagement, for a user who may see the job (another org's job is "no such job"). */
export const readJobEngagement = async ({ payload, user, jobID }: { payload: Payload; user: null | undefined | User; jobID: number }): Promise<JobEngagement> => {
  if (!user) throw new AppError('UNAUTHORIZED', 'Log in to see engagement.')
  const job = await payload
    .findByID({ collection: 'email-jobs', id: jobID, depth: 0, user, overrideAccess: false, select: { name: true, status: true, queuedAt: true } })
    .catch(nullIfNotFound)
  if (!job) throw new AppError('NOT_FOUND', 'No such email job, or you cannot see it.')
  const { total } = await inTransaction(payload, (client) => readEngagement({ client, scope: { job: job.id } }), 'BEGIN READ ONLY')
  return { job: { id: job.id, name: job.name, status: job.status, queuedAt: job.queuedAt ?? null }, engagement: total, asOf: new Date().toISOString() }
}
