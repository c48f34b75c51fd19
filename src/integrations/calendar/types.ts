import type { BookingReminder } from '@/services/bookings/map-reminders'

export type CalendarProvider = 'google' | 'microsoft'

/** A booking as a calendar event, provider-neutral. */
export type CalendarEventInput = {
  /** Our idempotency key for creating it: Google's client event id, Graph's transactionId. */
  clientEventID: string
  title: string
  description?: null | string
  location?: null | string
  start: Date
  end: Date
  timeZone: string
  attendees: { email: string; name?: null | string; optional?: boolean }[]
  reminders: BookingReminder[]
  /** Google: who gets the calendar's own invitation emails (an org setting). */
  sendUpdates: 'all' | 'externalOnly' | 'none'
}

export type AttendeeResponse = 'accepted' | 'declined' | 'needs-action' | 'tentative'

/** What the calendar says about one event now (from its change feed). */
export type CalendarEventChange = {
  providerEventID: string
  cancelled: boolean
  start?: Date
  end?: Date
  attendees: { email: string; response: AttendeeResponse }[]
}

export type CalendarTokens = { accessToken: null | string; refreshToken: string; expiresAt: Date | null }

/**
 * A failed calendar call, with what classifyCalendarError needs: the HTTP status (null: no answer), the
 * provider's reason or code, an OAuth error (`invalid_grant`), Retry-After, and a sentence for people.
 */
export class CalendarCallError extends Error {
  constructor(
    message: string,
    readonly status: null | number,
    readonly reason: null | string,
    readonly oauthError: null | string,
    readonly retryAfter: null | string,
  ) {
    super(message)
    this.name = 'CalendarCallError'
  }

  /** The provider's code as the booking shows it beside the sentence ("HTTP 429 rateLimitExceeded"). */
  get providerCode(): string {
    return [this.status !== null ? `HTTP ${this.status}` : 'no answer', this.oauthError ?? this.reason].filter(Boolean).join(' ')
  }
}

/**
 * One connected calendar (cal.com's `Calendar`): create, update and delete a booking's event, and read
 * what changed since a cursor (Google's syncToken, Graph's deltaLink). Every method throws a
 * CalendarCallError on failure. Adapters refresh an expired access token by themselves and report new
 * tokens (a rotated refresh token included) through the `onTokens` they were made with.
 */
export interface CalendarAdapter {
  readonly provider: CalendarProvider
  createEvent(input: CalendarEventInput): Promise<{ providerEventID: string; notes: string[] }>
  updateEvent(providerEventID: string, input: CalendarEventInput): Promise<{ notes: string[] }>
  /** Removes the event; one that is already gone (404, 410) counts as removed. */
  deleteEvent(providerEventID: string, sendUpdates: CalendarEventInput['sendUpdates']): Promise<void>
  /**
   * Changes since `cursor` (null or an expired cursor: everything, `full` true) and the next cursor. A full
   * read with `window` lists every event in it, so one of ours in that window but not listed was deleted.
   */
  listChanges(cursor: null | string): Promise<{ changes: CalendarEventChange[]; cursor: string; full: boolean; window?: { from: Date; to: Date } }>
}

export type CalendarAdapterOptions = {
  tokens: CalendarTokens
  onTokens: (tokens: Partial<CalendarTokens>) => Promise<void>
  calendarID: string
  env?: NodeJS.ProcessEnv
}
