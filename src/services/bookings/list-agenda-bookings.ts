import type { Payload, PayloadRequest } from 'payload'

import { hasOrgPermission } from '@/access/orgAccess'
import { dbPool } from '@/db/pool'

import { AppError } from '../errors/app-error'

/** The longest stretch one agenda read covers (a month view with its leading and trailing days). */
export const AGENDA_MAX_DAYS = 62
/** The most bookings one read returns; more are reported as `truncated` (narrow the range or the staff member). */
export const AGENDA_MAX_BOOKINGS = 10_000

/** One booking as the week and agenda views draw it. */
export type AgendaBooking = {
  id: number
  title: string
  start: string
  end: string
  timeZone: null | string
  status: 'cancelled' | 'rescheduled' | 'scheduled'
  owner: { id: number; name: null | string; email: string } | null
  location: null | string
  videoLink: null | string
  contacts: number
  attendees: number
}

export type Agenda = { org: number; from: string; to: string; bookings: AgendaBooking[]; truncated: boolean }

type User = NonNullable<PayloadRequest['user']>

/**
 * The bookings of one organisation that overlap [from, to) (by their start and end), in start order:
 * what the week and agenda views draw. The user must see the organisation through Payload's access
 * control and may read its bookings (any member may); cancelled ones only when asked. One indexed query
 * on (org, start) and (org, end) that PostgreSQL writes as JSON itself.
 */
export const listAgendaBookings = async ({
  payload,
  user,
  org,
  from,
  to,
  owner,
  includeCancelled = false,
}: {
  payload: Payload
  user: null | undefined | User
  org: number
  from: Date
  to: Date
  owner?: null | number
  includeCancelled?: boolean
}): Promise<string> => {
  if (!user) throw new AppError('UNAUTHORIZED', 'Log in to see bookings.')
  if (!(to.getTime() > from.getTime())) throw new AppError('INVALID_INPUT', '`to` must be after `from`.')
  if (to.getTime() - from.getTime() > AGENDA_MAX_DAYS * 86_400_000) throw new AppError('INVALID_INPUT', `Ask for at most ${AGENDA_MAX_DAYS} days at a time.`)
  const visible = await payload.count({ collection: 'organizations', where: { id: { equals: org } }, user, overrideAccess: false })
  if (visible.totalDocs === 0) throw new AppError('NOT_FOUND', 'No such organisation, or you are not a member of it.')
  if (!hasOrgPermission(user, org, 'org.read')) throw new AppError('FORBIDDEN', 'Your role cannot see the bookings of this organisation.')
  const { rows } = await dbPool(payload).query<{ json: string }>(
    `WITH picked AS (
       SELECT b.id, b.title, b.start, b."end", b.time_zone, b.status, b.owner_id, b.location, b.video_link
         FROM bookings b
        WHERE b.org_id = $1 AND b.start < $3 AND b."end" > $2
          AND ($4::int IS NULL OR b.owner_id = $4) AND ($5 OR b.status <> 'cancelled')
        ORDER BY b.start, b.id
        LIMIT ${AGENDA_MAX_BOOKINGS + 1}
     )
     SELECT json_build_object(
       'org', $1::int, 'from', to_json($2::timestamptz), 'to', to_json($3::timestamptz),
       'truncated', (SELECT count(*) FROM picked) > ${AGENDA_MAX_BOOKINGS},
       'bookings', coalesce((
         SELECT json_agg(json_build_object(
                  'id', p.id, 'title', p.title, 'start', p.start, 'end', p."end", 'timeZone', p.time_zone, 'status', p.status,
                  'owner', CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'name', u.name, 'email', u.email) END,
                  'location', p.location, 'videoLink', p.video_link,
                  'contacts', (SELECT count(*) FROM bookings_rels r WHERE r.parent_id = p.id AND r.path = 'contacts')::int,
                  'attendees', (SELECT count(*) FROM bookings_attendees a WHERE a._parent_id = p.id)::int
                ) ORDER BY p.start, p.id)
           FROM (SELECT * FROM picked ORDER BY start, id LIMIT ${AGENDA_MAX_BOOKINGS}) p
           LEFT JOIN users u ON u.id = p.owner_id
       ), '[]'::json)
     )::text AS json`,
    [org, from.toISOString(), to.toISOString(), owner ?? null, includeCancelled],
  )
  return rows[0]!.json
}
