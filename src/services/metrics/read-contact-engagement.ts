import type { Payload } from 'payload'

import { relationID } from '@/access/orgAccess'
import { inTransaction } from '@/db/transaction'

import { AppError, nullIfNotFound } from '../errors/app-error'
import { type Engagement, readEngagement } from './read-engagement'

type User = NonNullable<Parameters<Payload['find']>[0]['user']>

export type ContactEvent = {
  id: number
  channel: string
  type: string
  occurredAt: string
  detail: null | string
  job: { id: number; name: string } | null
}

export type ContactEngagement = {
  contact: { id: number; email: string }
  /** One entry per channel the contact was messaged on (email for now), with the same figures as a job's. */
  channels: Engagement[]
  /** The contact's latest provider events, newest first. */
  events: ContactEvent[]
}

export const CONTACT_EVENT_LIMIT = 20

type EventRow = { id: number; channel: string; type: string; occurred_at: Date | string; detail: null | string; job_id: null | number; job_name: null | string }

/** What a contact did with the messages sent to it, for a user who may see the contact. */
export const readContactEngagement = async ({
  payload,
  user,
  contactID,
}: {
  payload: Payload
  user: null | undefined | User
  contactID: number
}): Promise<ContactEngagement> => {
  if (!user) throw new AppError('UNAUTHORIZED', 'Log in to see engagement.')
  const contact = await payload
    .findByID({ collection: 'contacts', id: contactID, depth: 0, user, overrideAccess: false, select: { email: true, org: true } })
    .catch(nullIfNotFound)
  const org = contact ? Number(relationID(contact.org)) : NaN
  if (!contact || !Number.isInteger(org)) throw new AppError('NOT_FOUND', 'No such contact, or you cannot see it.')

  return inTransaction(
    payload,
    async (client) => {
      const { total } = await readEngagement({ client, scope: { contact: contact.id, org } })
      const { rows } = await client.query<EventRow>(
        `SELECT e.id, e.channel::text AS channel, e.type::text AS type, e.occurred_at, e.detail, r.job_id, j.name AS job_name
           FROM email_recipients r
           JOIN webhook_events e ON e.recipient_id = r.id
           LEFT JOIN email_jobs j ON j.id = r.job_id
          WHERE r.contact_id = $1 AND r.org_id = $2
          ORDER BY e.occurred_at DESC, e.id DESC
          LIMIT $3`,
        [contact.id, org, CONTACT_EVENT_LIMIT],
      )
      const events = rows.map(
        (row): ContactEvent => ({
          id: Number(row.id),
          channel: row.channel,
          type: row.type,
          occurredAt: new Date(row.occurred_at).toISOString(),
          detail: row.detail,
          job: row.job_id === null ? null : { id: Number(row.job_id), name: row.job_name ?? `Job ${row.job_id}` },
        }),
      )
      return { contact: { id: contact.id, email: contact.email }, channels: [total], events }
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  )
}
