import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { pullCalendarChanges } from './pull-calendar-changes'
import { syncCalendarRows } from './sync-booking-calendar'

/** How often each connected calendar is asked for changes made there. */
export const PULL_EVERY_SECONDS = 60
/** One drain stops after this long and leaves the rest to the next trigger (a worker's jobs stay short). */
const DRAIN_BUDGET_MS = 50_000

export type CalendarSweep = { released: number; synced: number; pulled: number; more: boolean }

const countSynced = (outcomes: Map<number, string>) => [...outcomes.values()].filter((o) => o === 'synced').length

/**
 * Writes due calendar syncs in batches (each row under its own claim) until none is due or the time
 * budget is spent; `bookingID` limits it to one booking's rows. Returns how many were synced and whether
 * due rows remain.
 */
export const drainCalendarSync = async ({ payload, bookingID, budgetMs = DRAIN_BUDGET_MS }: { payload: Payload; bookingID?: number; budgetMs?: number }): Promise<{ synced: number; more: boolean }> => {
  const deadline = Date.now() + budgetMs
  let synced = 0
  for (;;) {
    const outcomes = await syncCalendarRows({ payload, bookingID })
    synced += countSynced(outcomes)
    if (outcomes.size === 0) return { synced, more: false }
    if (Date.now() > deadline) return { synced, more: true }
  }
}

/**
 * Keeps calendar sync moving: claims a dead worker left are released (calendar writes are idempotent, so
 * the next attempt is safe), due syncs are written, and every connected calendar not pulled for
 * PULL_EVERY_SECONDS has its changes brought back.
 */
export const sweepCalendarSync = async ({ payload }: { payload: Payload }): Promise<CalendarSweep> => {
  const pool = dbPool(payload)
  const { rowCount: released } = await pool.query(
    `UPDATE booking_syncs SET status = 'pending', claim_token = NULL, lease_expires_at = NULL, next_attempt_at = NULL, updated_at = now() WHERE status = 'syncing' AND lease_expires_at < now()`,
  )
  // A booking deleted without a transaction (the embedded database) after its row was written: the event goes.
  await pool.query(`UPDATE booking_syncs SET status = 'pending', next_attempt_at = NULL, updated_at = now() WHERE booking_id IS NULL AND status = 'synced'`)
  const { synced, more } = await drainCalendarSync({ payload, budgetMs: 20_000 })
  const { rows: stale } = await pool.query<{ id: number }>(
    `SELECT id FROM calendar_connections WHERE status = 'connected' AND (last_synced_at IS NULL OR last_synced_at < now() - make_interval(secs => $1)) ORDER BY last_synced_at NULLS FIRST LIMIT 20`,
    [PULL_EVERY_SECONDS],
  )
  let pulled = 0
  for (const row of stale) {
    // One calendar's failure (logged) never stops the others' pulls.
    const outcome = await pullCalendarChanges({ payload, connectionID: row.id }).catch((error: unknown) => {
      payload.logger.error({ err: error, connection: row.id }, 'Could not pull the changes of a connected calendar')
      return null
    })
    if (outcome?.status === 'pulled') pulled += 1
  }
  return { released: released ?? 0, synced, pulled, more }
}

/** The due syncs of one booking (what its save queued), written now. */
export const syncBookingCalendars = async ({ payload, bookingID }: { payload: Payload; bookingID: number }): Promise<number> => (await drainCalendarSync({ payload, bookingID })).synced
