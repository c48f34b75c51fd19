import type { PayloadRequest } from 'payload'

import { relationID } from '@/access/orgAccess'

import type { Booking } from '@/payload-types'

import { planBookingInvitations } from './plan-booking-invitations'
import { resolveBookingAttendees } from './resolve-booking-attendees'

export const BOOKING_INVITATIONS_TASK = 'sendBookingInvitations'
export const BOOKINGS_QUEUE = 'bookings'

/** A relationship's id as a number (relationID reads it populated or not). */
const idOf = (value: unknown) => Number(relationID(value as never))

/**
 * After a save of a booking, in its transaction: one invitation row per attendee address for the new
 * version (REQUEST), or a CANCEL (cancelled, or the attendee was removed), and a trigger for the worker.
 * Nothing when what attendees see did not change, or when the booking does not send invitations.
 * Returns how many were queued.
 */
export const queueBookingInvitations = async ({ req, booking, previous }: { req: PayloadRequest; booking: Booking; previous: Booking | null }): Promise<number> => {
  if (booking.sendInvitations === false) return 0
  const payload = req.payload
  const changed = !previous || (booking.sequence ?? 0) !== (previous.sequence ?? 0)
  const planned = planBookingInvitations({
    before: previous ? await resolveBookingAttendees({ payload, booking: previous, req }) : null,
    after: await resolveBookingAttendees({ payload, booking, req }),
    changed,
    cancelled: booking.status === 'cancelled',
    wasCancelled: previous?.status === 'cancelled',
  })
  if (!planned.length) return 0
  const org = idOf(booking.org)
  for (const invitation of planned) {
    await payload.create({
      collection: 'booking-invitations',
      data: { org, booking: booking.id, email: invitation.email, name: invitation.name ?? null, method: invitation.method, sequence: booking.sequence ?? 0, status: 'queued', attempts: 0 },
      req,
      overrideAccess: true,
      depth: 0,
    })
  }
  await payload.jobs.queue({ task: BOOKING_INVITATIONS_TASK as never, input: { bookingID: booking.id } as never, queue: BOOKINGS_QUEUE, req })
  return planned.length
}
