import type { Payload, PayloadRequest } from 'payload'

import { hasOrgPermission, isSuperAdmin, relationID } from '@/access/orgAccess'
import { dbPool } from '@/db/pool'

import { AppError } from '../errors/app-error'
import { syncBookingCalendar, type SyncOutcome } from './sync-booking-calendar'

/**
 * A person's Retry on a booking's calendar sync: the sync must be visible to them through Payload's access
 * control and they must be allowed to change bookings; a failed or waiting sync is tried again at once
 * (under the worker's own claim) and its outcome answered. A connection that needs reconnecting says so.
 */
export const retryBookingSync = async ({ payload, user, syncID }: { payload: Payload; user: PayloadRequest['user']; syncID: number }): Promise<{ status: SyncOutcome; error: null | string }> => {
  if (!user) throw new AppError('UNAUTHORIZED', 'Log in to retry a calendar sync.')
  const sync = await payload.findByID({ collection: 'booking-syncs', id: syncID, depth: 0, user, overrideAccess: false, disableErrors: true })
  if (!sync) throw new AppError('NOT_FOUND', 'No such calendar sync, or you cannot see it.')
  if (!isSuperAdmin(user) && !hasOrgPermission(user, relationID(sync.org as never), 'bookings.edit')) throw new AppError('FORBIDDEN', 'Your role cannot change bookings, so it cannot retry their sync.')
  const connection = await payload.findByID({ collection: 'calendar-connections', id: relationID(sync.connection as never) as number, depth: 0, overrideAccess: true, disableErrors: true })
  if (connection?.status !== 'connected') throw new AppError('CONFLICT', 'The calendar connection needs its owner to reconnect it first.')
  if (sync.status === 'syncing') throw new AppError('CONFLICT', 'This booking is being written to the calendar right now.')
  await dbPool(payload).query(`UPDATE booking_syncs SET status = 'pending', next_attempt_at = NULL, attempts = 0, updated_at = now() WHERE id = $1 AND status IN ('failed', 'pending', 'synced')`, [syncID])
  const status = await syncBookingCalendar({ payload, syncID })
  const { rows } = await dbPool(payload).query<{ last_error: null | string }>('SELECT last_error FROM booking_syncs WHERE id = $1', [syncID])
  return { status, error: rows[0]?.last_error ?? null }
}
