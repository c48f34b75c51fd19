import { toGraphReminder } from '@/services/bookings/map-reminders'
import { OAuthTokenError, requestTokens } from './oauth-tokens'

import { oauthConfig } from './oauth-config'
import { type AttendeeResponse, type CalendarAdapter, type CalendarAdapterOptions, CalendarCallError, type CalendarEventChange, type CalendarEventInput } from './types'

/** The change feed covers bookings from a month back to a year ahead. */
const DELTA_PAST_DAYS = 31
const DELTA_FUTURE_DAYS = 366

const RESPONSES: Record<string, AttendeeResponse> = { accepted: 'accepted', organizer: 'accepted', declined: 'declined', tentativelyAccepted: 'tentative', none: 'needs-action', notResponded: 'needs-action' }

const SENTENCES: Record<number, string> = {
  400: 'Microsoft Outlook refused the event as written.',
  401: 'Microsoft Outlook no longer accepts this connection’s sign-in.',
  403: 'Microsoft Outlook refused the request.',
  404: 'The event or calendar no longer exists in Microsoft Outlook.',
  410: 'Microsoft Outlook asked for a full resync.',
  429: 'Microsoft Outlook asked us to slow down.',
}

/** Graph's UTC wall time ("2027-03-01T09:00:00") read as an instant. */
const utc = (value?: { dateTime?: string } | null) => (value?.dateTime ? new Date(`${value.dateTime.replace(/\.\d+$/, '').replace(/Z$/, '')}Z`) : undefined)
const wall = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, '')

type GraphItem = {
  id: string
  '@removed'?: unknown
  isCancelled?: boolean
  start?: { dateTime?: string }
  end?: { dateTime?: string }
  attendees?: { emailAddress?: { address?: string }; status?: { response?: string } }[]
}

/**
 * Microsoft Graph v1.0 over `fetch` (no SDK): events under /me (or /me/calendars/{id}), `transactionId`
 * for an idempotent create, the calendar view's delta query (`deltaLink`) for changes. Tokens are
 * refreshed against the identity platform before they expire and once on a 401; Microsoft rotates the
 * refresh token on every refresh, and each new one is reported. Graph sends invitations by itself.
 */
export const createGraphCalendar = ({ tokens, onTokens, calendarID, env = process.env }: CalendarAdapterOptions): CalendarAdapter => {
  const config = oauthConfig('microsoft', env)
  if (!config) throw new CalendarCallError('Microsoft calendars are not set up on this server.', null, 'not_configured', null, null)
  const base = (env.MS_GRAPH_BASE_URL || 'https://graph.microsoft.com/v1.0').replace(/\/$/, '')
  const events = calendarID && calendarID !== 'primary' ? `${base}/me/calendars/${encodeURIComponent(calendarID)}/events` : `${base}/me/events`
  let current = { ...tokens }
  let refreshing: null | Promise<void> = null

  /** One refresh at a time: calls in flight that all met an expired token share it (the old refresh token may be retired). */
  const refresh = () => {
    refreshing ??= refreshNow().finally(() => {
      refreshing = null
    })
    return refreshing
  }

  const refreshNow = async () => {
    try {
      const fresh = await requestTokens(config, { grant_type: 'refresh_token', refresh_token: current.refreshToken, scope: config.scopes.join(' ') })
      current = { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken ?? current.refreshToken, expiresAt: fresh.expiresAt }
      await onTokens({ accessToken: fresh.accessToken, ...(fresh.refreshToken ? { refreshToken: fresh.refreshToken } : {}), expiresAt: fresh.expiresAt })
    } catch (error) {
      if (error instanceof OAuthTokenError) {
        throw new CalendarCallError(
          error.oauthError === 'invalid_grant' ? 'Microsoft revoked or expired this connection’s access: its owner must reconnect it.' : error.message,
          error.status,
          null,
          error.oauthError,
          null,
        )
      }
      throw error
    }
  }

  /** One Graph call with the current token (refreshed first if about to expire, and once more on a 401). */
  const call = async (url: string, init: RequestInit & { allowGone?: boolean } = {}): Promise<Response> => {
    if (!current.accessToken || (current.expiresAt && current.expiresAt.getTime() < Date.now() + 60_000)) await refresh()
    for (let attempt = 0; ; attempt++) {
      let res: Response
      try {
        res = await fetch(url, {
          ...init,
          headers: { authorization: `Bearer ${current.accessToken}`, accept: 'application/json', 'content-type': 'application/json', prefer: 'outlook.timezone="UTC", odata.maxpagesize=50', ...init.headers },
          signal: AbortSignal.timeout(30_000),
        })
      } catch {
        throw new CalendarCallError('Microsoft Outlook could not be reached.', null, null, null, null)
      }
      if (res.status === 401 && attempt === 0) {
        await refresh()
        continue
      }
      if (res.ok || (init.allowGone && (res.status === 404 || res.status === 410))) return res
      const body = (await res.json().catch(() => null)) as null | { error?: { code?: string } }
      const code = body?.error?.code?.slice(0, 60) ?? null
      const sentence = SENTENCES[res.status] ?? (res.status >= 500 ? 'Microsoft Outlook had a temporary problem.' : 'Microsoft Outlook refused the request.')
      throw new CalendarCallError(sentence, res.status, code, null, res.headers.get('retry-after'))
    }
  }

  const body = (input: CalendarEventInput) => {
    const reminder = toGraphReminder(input.reminders)
    return {
      payload: {
        subject: input.title,
        body: { contentType: 'text', content: input.description ?? '' },
        start: { dateTime: wall(input.start), timeZone: 'UTC' },
        end: { dateTime: wall(input.end), timeZone: 'UTC' },
        location: { displayName: input.location ?? '' },
        attendees: input.attendees.map((a) => ({ emailAddress: { address: a.email, name: a.name ?? a.email }, type: a.optional ? 'optional' : 'required' })),
        isReminderOn: reminder.isReminderOn,
        reminderMinutesBeforeStart: reminder.reminderMinutesBeforeStart,
      },
      notes: reminder.notes,
    }
  }

  const toChange = (item: GraphItem): CalendarEventChange => ({
    providerEventID: item.id,
    cancelled: Boolean(item['@removed']) || Boolean(item.isCancelled),
    start: utc(item.start),
    end: utc(item.end),
    attendees: (item.attendees ?? []).filter((a) => a.emailAddress?.address).map((a) => ({ email: a.emailAddress!.address!, response: RESPONSES[a.status?.response ?? 'none'] ?? 'needs-action' })),
  })

  return {
    provider: 'microsoft',
    async createEvent(input) {
      const { payload, notes } = body(input)
      const res = await call(events, { method: 'POST', body: JSON.stringify({ ...payload, transactionId: input.clientEventID }) })
      const created = (await res.json()) as { id: string }
      return { providerEventID: created.id, notes }
    },
    async updateEvent(providerEventID, input) {
      const { payload, notes } = body(input)
      await call(`${base}/me/events/${encodeURIComponent(providerEventID)}`, { method: 'PATCH', body: JSON.stringify(payload) })
      return { notes }
    },
    async deleteEvent(providerEventID) {
      await call(`${base}/me/events/${encodeURIComponent(providerEventID)}`, { method: 'DELETE', allowGone: true })
    },
    async listChanges(cursor) {
      const now = Date.now()
      const window = { from: new Date(now - DELTA_PAST_DAYS * 86_400_000), to: new Date(now + DELTA_FUTURE_DAYS * 86_400_000) }
      const start = `${base}/me/calendarView/delta?startDateTime=${window.from.toISOString()}&endDateTime=${window.to.toISOString()}`
      // Our bearer token goes only to Graph itself: a stored cursor or a next link elsewhere starts over.
      const ours = (link: null | string | undefined): link is string => typeof link === 'string' && link.startsWith(`${base}/`)
      let full = !ours(cursor)
      let url = ours(cursor) ? cursor : start
      const changes: CalendarEventChange[] = []
      for (let page = 0; page < 500; page++) {
        let res: Response
        try {
          res = await call(url)
        } catch (error) {
          if (error instanceof CalendarCallError && error.status === 410 && !full) {
            full = true
            url = start
            changes.length = 0
            continue
          }
          throw error
        }
        const data = (await res.json()) as { value?: GraphItem[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string }
        for (const item of data.value ?? []) if (item.id) changes.push(toChange(item))
        if (data['@odata.nextLink']) {
          if (!ours(data['@odata.nextLink'])) throw new CalendarCallError('Microsoft Outlook sent a next page outside Microsoft Graph; it was not followed.', null, 'foreign_link', null, null)
          url = data['@odata.nextLink']
          continue
        }
        // A full read lists every event of the window (deletions are not listed): absence means deleted.
        if (data['@odata.deltaLink']) return { changes, cursor: data['@odata.deltaLink'], full, ...(full ? { window } : {}) }
        break
      }
      throw new CalendarCallError('Microsoft Outlook did not return a delta link.', null, 'no_delta_link', null, null)
    },
  }
}
