import type { PayloadRequest } from 'payload'

import { relationID } from '@/access/orgAccess'

import type { Booking } from '@/payload-types'

export const CALENDAR_SYNC_TASK = 'syncBookingCalendars'
export const CALENDAR_QUEUE = 'calendars'

/** A relationship's id as a number (relationID reads it populated or not). */
const idOf = (value: unknown) => Number(relationID(value as never))

/**
 * After a save of a booking, in its transaction: every connected calendar it belongs in (its staff
 * member's own, and the org's shared ones) gets a pending sync row (made, or set pending again when what
 * the calendar shows changed; a calendar it no longer belongs in, to remove its event there), and the
 * worker a trigger unless one is waiting. Returns how many calendars
 * will be written.
 */
export const queueBookingCalendarSync = async ({ req, booking, changed }: { req: PayloadRequest; booking: Booking; changed: boolean }): Promise<number> => {
  const payload = req.payload
  const org = idOf(booking.org)
  const owner = idOf(booking.owner)
  const { docs: connections } = await payload.find({
    collection: 'calendar-connections',
    where: { and: [{ org: { equals: org } }, { status: { equals: 'connected' } }, { or: [{ shared: { equals: true } }, { owner: { equals: owner } }] }] },
    depth: 0,
    limit: 50,
    req,
    overrideAccess: true,
    select: { shared: true },
  })
  const { docs: rows } = await payload.find({
    collection: 'booking-syncs',
    where: { booking: { equals: booking.id } },
    depth: 0,
    limit: 100,
    req,
    overrideAccess: true,
    select: { connection: true, status: true },
  })
  let queued = 0
  for (const connection of connections) {
    const row = rows.find((r) => idOf(r.connection) === connection.id)
    if (!row) {
      await payload.create({ collection: 'booking-syncs', data: { org, booking: booking.id, connection: connection.id, status: 'pending', attempts: 0 }, req, overrideAccess: true, depth: 0 })
      queued += 1
    } else if (changed && row.status !== 'syncing') {
      await payload.update({ collection: 'booking-syncs', id: row.id, data: { status: 'pending', attempts: 0, nextAttemptAt: null }, req, overrideAccess: true, depth: 0 })
      queued += 1
    } else if (changed) queued += 1 // a worker has it now; it sees the newer version when it finishes
  }
  // A calendar the booking no longer belongs in (its staff member changed): its event is removed there.
  for (const row of rows) {
    if (connections.some((c) => c.id === idOf(row.connection)) || row.status === 'syncing' || !changed) continue
    await payload.update({ collection: 'booking-syncs', id: row.id, data: { status: 'pending', attempts: 0, nextAttemptAt: null }, req, overrideAccess: true, depth: 0 })
    queued += 1
  }
  if (!queued) return 0
  await triggerCalendarSync(req, booking.id)
  return queued
}

/** Queues the calendar worker unless a trigger is already waiting: one drains every due row (seen in this transaction too: a bulk save queues one). */
export const triggerCalendarSync = async (req: PayloadRequest, bookingID: number): Promise<void> => {
  const waiting = await req.payload.count({ collection: 'payload-jobs', where: { and: [{ taskSlug: { equals: CALENDAR_SYNC_TASK } }, { processing: { equals: false } }, { completedAt: { exists: false } }, { hasError: { not_equals: true } }] }, req, overrideAccess: true })
  if (waiting.totalDocs === 0) await req.payload.jobs.queue({ task: CALENDAR_SYNC_TASK as never, input: { bookingID } as never, queue: CALENDAR_QUEUE, req })
}
