import type { TaskConfig } from 'payload'

import { CALENDAR_QUEUE, CALENDAR_SYNC_TASK } from '@/services/calendar/queue-booking-calendar-sync'
import { drainCalendarSync, sweepCalendarSync } from '@/services/calendar/sweep-calendar-sync'

/**
 * Writes due bookings into their connected calendars, in batches, for up to 50 s (queued by bookings'
 * saves; one waiting trigger serves them all); if due rows remain, it queues the next trigger.
 */
export const syncBookingCalendarsTask: TaskConfig<{ input: { bookingID: number }; output: { synced: number } }> = {
  slug: CALENDAR_SYNC_TASK,
  retries: 0,
  inputSchema: [{ name: 'bookingID', type: 'number', required: true }],
  outputSchema: [{ name: 'synced', type: 'number', required: true }],
  handler: async ({ input, req }) => {
    const { synced, more } = await drainCalendarSync({ payload: req.payload })
    if (more) await req.payload.jobs.queue({ task: CALENDAR_SYNC_TASK as never, input: { bookingID: input.bookingID } as never, queue: CALENDAR_QUEUE })
    return { output: { synced } }
  },
}

/** Every 30 seconds on the `maintenance` queue: retries come due, dead workers' claims, and changes made in the calendars. */
export const sweepCalendarSyncTask: TaskConfig<{ input: Record<string, never>; output: { synced: number; pulled: number } }> = {
  slug: 'sweepCalendarSync',
  retries: 0,
  schedule: [{ cron: '*/30 * * * * *', queue: 'maintenance' }],
  outputSchema: [
    { name: 'synced', type: 'number', required: true },
    { name: 'pulled', type: 'number', required: true },
  ],
  handler: async ({ req }) => {
    const swept = await sweepCalendarSync({ payload: req.payload })
    return { output: { synced: swept.synced, pulled: swept.pulled } }
  },
}
