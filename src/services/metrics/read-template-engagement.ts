import type { Payload } from 'payload'

import { relationID } from '@/access/orgAccess'
import { inTransaction } from '@/db/transaction'

import { AppError, nullIfNotFound } from '../errors/app-error'
import { type Engagement, readEngagement } from './read-engagement'

type User = NonNullable<Parameters<Payload['find']>[0]['user']>

/** One job of the template, newest first; rates are fractions, `null` when their denominator is 0. */
export type TemplateJobEngagement = {
  id: number
  name: string
  status: string
  queuedAt: null | string
  sent: number
  delivered: number
  openRate: null | number
  clickRate: null | number
  bounceRate: null | number
  complaintRate: null | number
}

export type TemplateEngagement = {
  template: { id: number; name: string }
  /** Over every job sent with the template. */
  engagement: Engagement
  /** Jobs that were queued (drafts never sent anything), newest first, at most `JOB_LIMIT`. */
  jobs: TemplateJobEngagement[]
  jobCount: number
}

export const TEMPLATE_JOB_LIMIT = 100

type JobRow = { id: number; name: string; status: string; queued_at: Date | null | string }

/** A template's engagement over all its jobs, with a per-job breakdown, for a user who may see the template. */
export const readTemplateEngagement = async ({
  payload,
  user,
  templateID,
}: {
  payload: Payload
  user: null | undefined | User
  templateID: number
}): Promise<TemplateEngagement> => {
  if (!user) throw new AppError('UNAUTHORIZED', 'Log in to see engagement.')
  const template = await payload
    .findByID({ collection: 'email-templates', id: templateID, depth: 0, user, overrideAccess: false, select: { name: true, org: true } })
    .catch(nullIfNotFound)
  const org = template ? Number(relationID(template.org)) : NaN
  if (!template || !Number.isInteger(org)) throw new AppError('NOT_FOUND', 'No such template, or you cannot see it.')

  return inTransaction(
    payload,
    async (client) => {
      const { total, byJob } = await readEngagement({ client, scope: { template: template.id, org } })
      const { rows } = await client.query<JobRow & { count: number }>(
        `SELECT id, name, status::text AS status, queued_at, count(*) OVER ()::int AS count
           FROM email_jobs WHERE template_id = $1 AND org_id = $2 AND status <> 'draft'
          ORDER BY queued_at DESC NULLS LAST, id DESC LIMIT $3`,
        [template.id, org, TEMPLATE_JOB_LIMIT],
      )
      const jobs = rows.map((row): TemplateJobEngagement => {
        const e = byJob.get(Number(row.id))
        return {
          id: Number(row.id),
          name: row.name,
          status: row.status,
          queuedAt: row.queued_at === null ? null : new Date(row.queued_at).toISOString(),
          sent: e?.counts.sent ?? 0,
          delivered: e?.counts.delivered ?? 0,
          openRate: e?.rates.open ?? null,
          clickRate: e?.rates.click ?? null,
          bounceRate: e?.rates.bounce ?? null,
          complaintRate: e?.rates.complaint ?? null,
        }
      })
      return { template: { id: template.id, name: template.name }, engagement: total, jobs, jobCount: rows[0]?.count ?? 0 }
    },
    // One snapshot for both reads: the breakdown adds up to the total.
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  )
}
