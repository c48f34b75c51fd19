import type { TaskConfig } from 'payload'

import { BOOKING_INVITATIONS_TASK } from '@/services/bookings/queue-booking-invitations'
import { sendBookingInvitations } from '@/services/bookings/send-booking-invitations'
import { sweepBookingInvitations } from '@/services/bookings/sweep-booking-invitations'

/** Sends a booking's due invitations (queued by its save; see sendBookingInvitations). */
export const sendBookingInvitationsTask: TaskConfig<{ input: { bookingID: number }; output: { sent: number } }> = {
  slug: BOOKING_INVITATIONS_TASK,
  retries: 0,
  inputSchema: [{ name: 'bookingID', type: 'number', required: true }],
  outputSchema: [{ name: 'sent', type: 'number', required: true }],
  handler: async ({ input, req }) => {
    const counts = await sendBookingInvitations({ payload: req.payload, bookingID: input.bookingID })
    return { output: { sent: counts.sent } }
  },
}

/**
 * Every 15 seconds on the `maintenance` queue: invitations whose retry came due are sent, and claims a
 * dead worker left are freed (or marked unknown if the provider may have them).
 */
export const sweepBookingInvitationsTask: TaskConfig<{ input: Record<string, never>; output: { delivered: number } }> = {
  slug: 'sweepBookingInvitations',
  retries: 0,
  schedule: [{ cron: '*/15 * * * * *', queue: 'maintenance' }],
  outputSchema: [{ name: 'delivered', type: 'number', required: true }],
  handler: async ({ req }) => {
    const swept = await sweepBookingInvitations({ payload: req.payload })
    return { output: { delivered: swept.delivered } }
  },
}
