import { google, type calendar_v3 } from 'googleapis'

import { toGoogleReminders } from '@/services/bookings/map-reminders'

import { oauthConfig } from './oauth-config'
import { type AttendeeResponse, type CalendarAdapter, type CalendarAdapterOptions, CalendarCallError, type CalendarEventChange, type CalendarEventInput } from './types'

type GaxiosLike = { message?: string; code?: number | string; status?: number; response?: { status?: number; data?: unknown; headers?: unknown } }

const header = (headers: unknown, name: string): null | string => {
  if (!headers) return null
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name)
  const value = (headers as Record<string, unknown>)[name] ?? (headers as Record<string, unknown>)[name.toLowerCase()]
  return typeof value === 'string' ? value : null
}

const SENTENCES: Record<number, string> = {
  400: 'Google Calendar refused the event as written.',
  401: 'Google Calendar no longer accepts this connection’s sign-in.',
  403: 'Google Calendar refused the request.',
  404: 'The event or calendar no longer exists in Google Calendar.',
  409: 'Google Calendar already has this event.',
  410: 'The event was deleted in Google Calendar.',
  429: 'Google Calendar asked us to slow down.',
}

/** A googleapis failure as a CalendarCallError: status, reason, OAuth error, Retry-After and a sentence (never the raw body). */
export const googleCallError = (error: unknown): CalendarCallError => {
  const e = error as GaxiosLike
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : null)
  const data = e.response?.data as { error?: string | { errors?: { reason?: string }[]; status?: string }; error_description?: string } | undefined
  const oauthError = typeof data?.error === 'string' ? data.error : null
  const reason = typeof data?.error === 'object' ? (data.error.errors?.[0]?.reason ?? data.error.status ?? null) : null
  const sentence =
    oauthError === 'invalid_grant'
      ? 'Google revoked or expired this connection’s access: its owner must reconnect it.'
      : status === null
        ? 'Google Calendar could not be reached.'
        : reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded'
          ? 'Google Calendar asked us to slow down (rate limit).'
          : (SENTENCES[status] ?? (status >= 500 ? 'Google Calendar had a temporary problem.' : 'Google Calendar refused the request.'))
  return new CalendarCallError(sentence, status, reason, oauthError, header(e.response?.headers, 'retry-after'))
}

const RESPONSES: Record<string, AttendeeResponse> = { accepted: 'accepted', declined: 'declined', tentative: 'tentative', needsAction: 'needs-action' }

const eventBody = (input: CalendarEventInput) => {
  const { reminders, notes } = toGoogleReminders(input.reminders)
  const body: calendar_v3.Schema$Event = {
    summary: input.title,
    description: input.description ?? undefined,
    location: input.location ?? undefined,
    start: { dateTime: input.start.toISOString(), timeZone: input.timeZone },
    end: { dateTime: input.end.toISOString(), timeZone: input.timeZone },
    attendees: input.attendees.map((a) => ({ email: a.email, displayName: a.name ?? undefined, optional: Boolean(a.optional) })),
    reminders,
  }
  return { body, notes }
}

/** Google Calendar through `googleapis` (OAuth2Client refreshes an expired token and reports rotations). */
export const createGoogleCalendar = ({ tokens, onTokens, calendarID, env = process.env }: CalendarAdapterOptions): CalendarAdapter => {
  const config = oauthConfig('google', env)
  if (!config) throw new CalendarCallError('Google Calendar is not set up on this server.', null, 'not_configured', null, null)
  // forceRefreshOnFailure: a token the server stops accepting before its expiry is refreshed on the 401, once.
  const auth = new google.auth.OAuth2({ clientId: config.clientID, clientSecret: config.clientSecret, forceRefreshOnFailure: true, endpoints: { oauth2TokenUrl: config.tokenURL } })
  auth.setCredentials({ access_token: tokens.accessToken ?? undefined, refresh_token: tokens.refreshToken, expiry_date: tokens.expiresAt?.getTime() })
  // Tokens Google hands back are saved in the order they came, and every call below waits for them before
  // it returns: the next reader of the connection (another worker, the next run) never gets a refresh
  // token Google has already rotated away (which would answer invalid_grant).
  let saving: Promise<void> = Promise.resolve()
  auth.on('tokens', (fresh) => {
    const save = () =>
      onTokens({
        accessToken: fresh.access_token ?? null,
        ...(fresh.refresh_token ? { refreshToken: fresh.refresh_token } : {}),
        expiresAt: fresh.expiry_date ? new Date(fresh.expiry_date) : null,
      })
    saving = saving.then(save, save)
  })
  const settled = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work
    } finally {
      await saving.catch(() => undefined)
    }
  }
  const calendar = google.calendar({ version: 'v3', auth, ...(env.GOOGLE_CALENDAR_ROOT_URL ? { rootUrl: env.GOOGLE_CALENDAR_ROOT_URL } : {}), retry: false } as never) as calendar_v3.Calendar
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work()
    } catch (error) {
      throw googleCallError(error)
    }
  }

  const adapter: CalendarAdapter = {
    provider: 'google',
    async createEvent(input) {
      const { body, notes } = eventBody(input)
      try {
        const res = await calendar.events.insert({ calendarId: calendarID, sendUpdates: input.sendUpdates, requestBody: { ...body, id: input.clientEventID } })
        return { providerEventID: res.data.id ?? input.clientEventID, notes }
      } catch (error) {
        const failure = googleCallError(error)
        // A retried create whose first answer was lost: the event exists under our id; make it current.
        if (failure.status !== 409) throw failure
        await call(() => calendar.events.patch({ calendarId: calendarID, eventId: input.clientEventID, sendUpdates: input.sendUpdates, requestBody: { ...body, status: 'confirmed' } }))
        return { providerEventID: input.clientEventID, notes }
      }
    },
    async updateEvent(providerEventID, input) {
      const { body, notes } = eventBody(input)
      await call(() => calendar.events.patch({ calendarId: calendarID, eventId: providerEventID, sendUpdates: input.sendUpdates, requestBody: body }))
      return { notes }
    },
    async deleteEvent(providerEventID, sendUpdates) {
      try {
        await calendar.events.delete({ calendarId: calendarID, eventId: providerEventID, sendUpdates })
      } catch (error) {
        const failure = googleCallError(error)
        if (failure.status !== 404 && failure.status !== 410) throw failure
      }
    },
    async listChanges(cursor) {
      const changes: CalendarEventChange[] = []
      let full = cursor === null
      let pageToken: string | undefined
      let next: null | string = null
      for (let page = 0; page < 100; page++) {
        let res: { data: calendar_v3.Schema$Events }
        try {
          res = await calendar.events.list({ calendarId: calendarID, showDeleted: true, maxResults: 250, pageToken, ...(full ? {} : { syncToken: cursor as string }) })
        } catch (error) {
          const failure = googleCallError(error)
          // 410: the sync token expired; start again from everything.
          if (failure.status === 410 && !full) {
            full = true
            pageToken = undefined
            changes.length = 0
            continue
          }
          throw failure
        }
        for (const event of res.data.items ?? []) {
          if (!event.id) continue
          changes.push({
            providerEventID: event.id,
            cancelled: event.status === 'cancelled',
            start: event.start?.dateTime ? new Date(event.start.dateTime) : undefined,
            end: event.end?.dateTime ? new Date(event.end.dateTime) : undefined,
            attendees: (event.attendees ?? []).filter((a) => a.email).map((a) => ({ email: a.email as string, response: RESPONSES[a.responseStatus ?? 'needsAction'] ?? 'needs-action' })),
          })
        }
        if (res.data.nextPageToken) {
          pageToken = res.data.nextPageToken
          continue
        }
        next = res.data.nextSyncToken ?? null
        break
      }
      if (!next) throw new CalendarCallError('Google Calendar did not return a sync token.', null, 'no_sync_token', null, null)
      return { changes, cursor: next, full }
    },
  }
  return {
    provider: 'google',
    createEvent: (input) => settled(adapter.createEvent(input)),
    updateEvent: (providerEventID, input) => settled(adapter.updateEvent(providerEventID, input)),
    deleteEvent: (providerEventID, sendUpdates) => settled(adapter.deleteEvent(providerEventID, sendUpdates)),
    listChanges: (cursor) => settled(adapter.listChanges(cursor)),
  }
}
