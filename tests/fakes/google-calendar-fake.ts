import { createHash, randomBytes } from 'node:crypto'
import http from 'node:http'

/** A request as a calendar fake (Google or Graph) received it. */
export type CalendarFakeRequest = {
  method: string
  path: string
  query: URLSearchParams
  /** As sent, `authorization` included. */
  headers: http.IncomingHttpHeaders
  /** JSON parsed; a form as an object of strings; other text as a string; undefined when empty. */
  body: any
  at: Date
}

export type LoopbackReply = { status: number; headers?: Record<string, string>; json?: unknown; html?: string }

const parseBody = (raw: string, contentType: string): unknown => {
  if (!raw) return undefined
  if (contentType.includes('json')) {
    try {
      return JSON.parse(raw)
    } catch {
      return raw
    }
  }
  if (contentType.includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw))
  return raw
}

/** A loopback server on a random port that logs every request and answers with the handler's reply (shared by the calendar fakes). */
export const startLoopbackServer = async (
  requests: CalendarFakeRequest[],
  handle: (request: CalendarFakeRequest) => LoopbackReply | Promise<LoopbackReply>,
  jsonType = 'application/json; charset=UTF-8',
) => {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const raw = Buffer.concat(chunks).toString('utf8')
      const request: CalendarFakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: parseBody(raw, String(req.headers['content-type'] ?? '')),
        at: new Date(),
      }
      requests.push(request)
      let reply: LoopbackReply
      try {
        reply = await handle(request)
      } catch (error) {
        reply = { status: 500, json: { error: { code: 500, message: String(error) } } }
      }
      const headers: Record<string, string> = { ...reply.headers }
      let payload = ''
      if (reply.html !== undefined) {
        headers['content-type'] ??= 'text/html; charset=utf-8'
        payload = reply.html
      } else if (reply.json !== undefined) {
        headers['content-type'] ??= jsonType
        payload = JSON.stringify(reply.json)
      }
      res.writeHead(reply.status, headers)
      res.end(payload)
    })
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** The consent page of both fakes: a heading, what is asked, and Allow/Deny links back to the redirect URI. */
export const consentPage = (heading: string, lines: string[], allowHref: string, denyHref: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(heading)}</title></head><body><h1>${escapeHtml(heading)}</h1>` +
  lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('') +
  `<p><a id="allow" href="${escapeHtml(allowHref)}">Allow</a> <a id="deny" href="${escapeHtml(denyHref)}">Deny</a></p></body></html>`

export const errorPage = (status: number, title: string, detail: string): LoopbackReply => ({
  status,
  html: `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>`,
})

/** PKCE S256: base64url(sha256(verifier)). */
export const pkceChallenge = (verifier: string) => createHash('sha256').update(verifier).digest('base64url')

/** `redirectUri` with these parameters added (existing ones kept). */
export const withParams = (redirectUri: string, params: Record<string, string | undefined>) => {
  const url = new URL(redirectUri)
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value)
  return url.toString()
}

export const encodeToken = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64')

export const decodeToken = <T>(token: string | null): T | null => {
  if (!token) return null
  try {
    const value = JSON.parse(Buffer.from(token, 'base64').toString('utf8'))
    return typeof value === 'object' && value !== null ? (value as T) : null
  } catch {
    return null
  }
}

export const isTimeZone = (timeZone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>()

/** The zone's offset from UTC at an instant, in minutes (+60 for Paris in winter). */
export const zoneOffsetMinutes = (instant: number, timeZone: string) => {
  let format = zoneFormats.get(timeZone)
  if (!format) {
    const numeric = 'numeric' as const
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: numeric, month: numeric, day: numeric, hour: numeric, minute: numeric, second: numeric })
    zoneFormats.set(timeZone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]))
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second))
  return Math.round((wall - (instant - (((instant % 1000) + 1000) % 1000))) / 60_000)
}

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/i

/** An RFC 3339 date-time: its wall clock as a UTC number, and its offset in minutes when it carries one. */
export const parseWallTime = (value: unknown): { wall: number; offsetMinutes: number | null } | null => {
  if (typeof value !== 'string') return null
  const match = WALL_TIME.exec(value)
  if (!match) return null
  const [, year, month, day, hour, minute, second = '0', fraction = '0', zone] = match
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31 || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null
  const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), Number(fraction.slice(0, 3).padEnd(3, '0')))
  if (!zone) return { wall, offsetMinutes: null }
  if (zone.toUpperCase() === 'Z') return { wall, offsetMinutes: 0 }
  const digits = zone.slice(1).replace(':', '')
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))
  return { wall, offsetMinutes: zone.startsWith('-') ? -minutes : minutes }
}

/** The instant of a wall-clock time in a zone (two passes, so times near a DST change land right). */
export const wallToInstant = (wall: number, timeZone: string) => {
  const first = wall - zoneOffsetMinutes(wall, timeZone) * 60_000
  return wall - zoneOffsetMinutes(first, timeZone) * 60_000
}

/** `YYYY-MM-DDTHH:mm:ss` of an instant's wall clock in a zone. */
export const wallClock = (instant: number, timeZone: string) => new Date(instant + zoneOffsetMinutes(instant, timeZone) * 60_000).toISOString().slice(0, 19)

/** Google's form of a date-time in a zone: `2030-03-04T09:00:00+01:00`, or `…Z` at offset zero. */
const googleDateTime = (instant: number, timeZone: string) => {
  const offset = zoneOffsetMinutes(instant, timeZone)
  if (offset === 0) return `${wallClock(instant, timeZone)}Z`
  const abs = Math.abs(offset)
  return `${wallClock(instant, timeZone)}${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
}

const DEFAULT_REASON: Record<number, string> = { 400: 'badRequest', 401: 'authError', 403: 'forbidden', 404: 'notFound', 409: 'conflict', 410: 'deleted', 429: 'rateLimitExceeded', 500: 'backendError', 503: 'backendError' }

const REASON_MESSAGE: Record<string, string> = {
  rateLimitExceeded: 'Rate Limit Exceeded',
  userRateLimitExceeded: 'User Rate Limit Exceeded',
  quotaExceeded: 'Calendar usage limits exceeded.',
  backendError: 'Backend Error',
}

/** Google's JSON error: `{ error: { code, message, errors: [{ domain, reason, message }], status } }`. */
export const googleError = (code: number, reason: string, message: string, headers?: Record<string, string>): LoopbackReply => {
  const domain = /RateLimit|quota/i.test(reason) ? 'usageLimits' : 'global'
  const status = GOOGLE_STATUS[code]
  return { status: code, headers, json: { error: { code, message, errors: [{ domain, reason, message }], ...(status ? { status } : {}) } } }
}

const oauthError = (status: number, error: string, description: string): LoopbackReply => ({
  status,
  headers: { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' },
  json: { error, error_description: description },
})

export type GoogleCalendarFailure = { status: number; reason?: string; message?: string; retryAfter?: number }

export type GoogleCalendarFakeOptions = {
  clientId?: string
  clientSecret?: string
  /** On refresh, also issue a new refresh token and retire the old one (Google itself does not, for ordinary web clients). */
  rotateRefreshTokens?: boolean
  /** The account's address: the primary calendar's id, the organizer of events. */
  email?: string
  /** The primary calendar's zone (default UTC): date-times without their own `timeZone` come back in it. */
  timeZone?: string
  /** When given, the consent page refuses any other redirect URI (Google's `redirect_uri_mismatch`). */
  redirectUris?: string[]
  /** More calendars besides the primary one. */
  calendars?: Array<{ id: string; summary?: string; timeZone?: string }>
}

export type GoogleEvent = Record<string, any> & { id: string; status: string; sequence: number; updated: string; etag: string }

type StoredEvent = { resource: GoogleEvent; changedAt: number; deleted: boolean }
type Calendar = { id: string; summary: string; timeZone: string; isPrimary: boolean; events: Map<string, StoredEvent> }
type Grant = { clientId: string; scope: string; revoked: boolean }
type AuthCode = { clientId: string; redirectUri: string; challenge: string; scope: string; isOffline: boolean; expiresAt: number; isUsed: boolean }
type SyncCursor = { c: string; g: number; u: number }
type PageCursor = SyncCursor & { s: number | null; a: number; o: number }

export type GoogleCalendarFake = {
  /** `http://127.0.0.1:PORT/`: googleapis' `rootUrl`. */
  url: string
  /** The consent page (OAuth2Client `endpoints.oauth2AuthBaseUrl`). */
  authUrl: string
  /** The token endpoint (`endpoints.oauth2TokenUrl`). */
  tokenUrl: string
  /** The revocation endpoint (`endpoints.oauth2RevokeUrl`). */
  revokeUrl: string
  clientId: string
  clientSecret: string
  email: string
  /** Every request, OAuth included, in order. */
  requests: CalendarFakeRequest[]
  /** The next `count` calendar API requests (not OAuth) answer this error, with `Retry-After` when given. Calls queue up. */
  failNext: (count: number, failure: GoogleCalendarFailure) => void
  /** The next `count` token requests answer this OAuth error (e.g. 503, or 400 invalid_grant). */
  failNextToken: (count: number, failure: { status: number; error?: string; description?: string }) => void
  /** Every access token issued so far stops working (401); refresh tokens still work. */
  expireAccessTokens: () => void
  /** Every refresh token issued so far answers invalid_grant; access tokens keep working until they expire. */
  revokeRefreshTokens: () => void
  /** Every sync token (and incremental page token) issued so far answers 410 fullSyncRequired. */
  invalidateSyncTokens: () => void
  /** The event moves, as if edited in Google Calendar (keeps its time zone; sequence + 1). */
  moveEvent: (calendarId: string, eventId: string, start: Date, end: Date) => void
  /** The event is cancelled (deleted) in Google Calendar. */
  cancelEvent: (calendarId: string, eventId: string) => void
  /** An attendee answers. */
  respond: (calendarId: string, eventId: string, email: string, responseStatus: 'needsAction' | 'declined' | 'tentative' | 'accepted') => void
  /** The calendar's events as stored, cancelled ones included (status 'cancelled'). */
  events: (calendarId?: string) => GoogleEvent[]
  /** Forgets events, the request log and queued failures, and invalidates sync tokens; issued tokens stay valid. */
  reset: () => void
  close: () => Promise<void>
}

const random = (bytes: number) => randomBytes(bytes).toString('base64url')
const clone = <T>(value: T): T => structuredClone(value)
const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Patch semantics: objects merge, arrays and scalars replace, null removes. */
const mergePatch = (target: Record<string, any>, patch: Record<string, any>): Record<string, any> => {
  const out: Record<string, any> = { ...target }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key]
    else if (isObject(value) && isObject(out[key])) out[key] = mergePatch(out[key], value)
    else out[key] = value
  }
  return out
}

/** Fields a client may write on an event; the rest (kind, etag, created, organizer…) the server owns. */
const WRITABLE = [
  'summary', 'description', 'location', 'colorId', 'transparency', 'visibility', 'extendedProperties', 'source', 'recurrence', 'conferenceData',
  'guestsCanInviteOthers', 'guestsCanModify', 'guestsCanSeeOtherGuests', 'anyoneCanAddSelf', 'attachments', 'locked', 'privateCopy',
]

/** base32hex, 5–1024 characters: what Google accepts as a client-chosen event id. */
const EVENT_ID = /^[a-v0-9]{5,1024}$/

/**
 * A loopback fake of Google OAuth 2.0 (consent page, token with PKCE, revoke) and Calendar API v3 (calendar list,
 * events insert/get/patch/update/delete, list with paging and incremental sync), for the real `googleapis` client
 * pointed at `url` as its `rootUrl`. Every request is logged; errors use Google's JSON shapes.
 */
export const startGoogleCalendarFake = async ({
  clientId = 'fake-client-id.apps.googleusercontent.com',
  clientSecret = 'fake-client-secret',
  rotateRefreshTokens = false,
  email = 'organizer@example.com',
  timeZone = 'UTC',
  redirectUris,
  calendars: extraCalendars = [],
}: GoogleCalendarFakeOptions = {}): Promise<GoogleCalendarFake> => {
  const requests: CalendarFakeRequest[] = []
  const failures: Array<GoogleCalendarFailure & { remaining: number }> = []
  const tokenFailures: Array<{ status: number; error?: string; description?: string; remaining: number }> = []
  const codes = new Map<string, AuthCode>()
  const accessTokens = new Map<string, { grant: Grant; expiresAt: number }>()
  const refreshTokens = new Map<string, Grant>()
  const calendars = new Map<string, Calendar>()
  calendars.set(email, { id: email, summary: email, timeZone, isPrimary: true, events: new Map() })
  for (const extra of extraCalendars) calendars.set(extra.id, { id: extra.id, summary: extra.summary ?? extra.id, timeZone: extra.timeZone ?? timeZone, isPrimary: false, events: new Map() })
  let clock = 0
  let generation = 1
  let lastUpdated = 0
  let origin = ''

  const calendarOf = (id: string) => calendars.get(id === 'primary' ? email : id) ?? null
  /** Advances the change clock for an event: a new `updated` (strictly increasing) and etag. */
  const touch = (entry: StoredEvent) => {
    clock += 1
    lastUpdated = Math.max(Date.now(), lastUpdated + 1)
    entry.changedAt = clock
    entry.resource.updated = new Date(lastUpdated).toISOString()
    entry.resource.etag = `"${3_400_000_000_000_000 + lastUpdated * 1000 + (clock % 1000)}"`
  }
  const startOf = (event: GoogleEvent, key: 'start' | 'end') => {
    const time = event[key] ?? {}
    return time.dateTime ? Date.parse(time.dateTime) : Date.parse(`${time.date}T00:00:00Z`)
  }

  // ---- OAuth ----

  const issueTokens = (grant: Grant, refreshToken: string | null) => {
    const accessToken = `ya29.a0${random(48)}`
    accessTokens.set(accessToken, { grant, expiresAt: Date.now() + 3599 * 1000 })
    const idToken = grant.scope.split(' ').includes('openid')
      ? [
          Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'fake', typ: 'JWT' })).toString('base64url'),
          Buffer.from(JSON.stringify({ iss: 'https://accounts.google.com', aud: grant.clientId, sub: createHash('sha256').update(email).digest('hex').slice(0, 21), email, email_verified: true, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3599 })).toString('base64url'),
          random(32),
        ].join('.')
      : undefined
    return {
      access_token: accessToken,
      expires_in: 3599,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      scope: grant.scope,
      token_type: 'Bearer',
      ...(idToken ? { id_token: idToken } : {}),
    }
  }

  const consent = (request: CalendarFakeRequest): LoopbackReply => {
    const q = request.query
    const redirectUri = q.get('redirect_uri') ?? ''
    if (q.get('client_id') !== clientId) return errorPage(400, 'Error 401: invalid_client', `The OAuth client was not found: ${q.get('client_id') ?? '(none)'}`)
    if (!/^https?:\/\//.test(redirectUri) || (redirectUris && !redirectUris.includes(redirectUri))) return errorPage(400, 'Error 400: redirect_uri_mismatch', `redirect_uri not registered: ${redirectUri}`)
    if (q.get('response_type') !== 'code') return errorPage(400, 'Error 400: invalid_request', `Unsupported response_type: ${q.get('response_type') ?? '(none)'}`)
    if (!q.get('scope')) return errorPage(400, 'Error 400: invalid_request', 'Missing required parameter: scope')
    const challenge = q.get('code_challenge') ?? ''
    if (q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43,128}$/.test(challenge)) return errorPage(400, 'Error 400: invalid_request', 'PKCE is required: code_challenge with code_challenge_method=S256')
    const scope = q.get('scope')!.split(/\s+/).filter(Boolean).join(' ')
    const code = `4/0A${random(40)}`
    codes.set(code, { clientId, redirectUri, challenge, scope, isOffline: q.get('access_type') === 'offline', expiresAt: Date.now() + 10 * 60_000, isUsed: false })
    const state = q.get('state') ?? undefined
    return {
      status: 200,
      html: consentPage('Fake Google consent', [`${clientId} wants to access your Google Account ${email}`, ...scope.split(' ')], withParams(redirectUri, { state, code, scope }), withParams(redirectUri, { error: 'access_denied', state })),
    }
  }

  const token = (request: CalendarFakeRequest): LoopbackReply => {
    const failure = tokenFailures[0]
    if (failure) {
      failure.remaining -= 1
      if (failure.remaining <= 0) tokenFailures.shift()
      return oauthError(failure.status, failure.error ?? (failure.status >= 500 ? 'internal_failure' : 'invalid_request'), failure.description ?? 'Fake failure')
    }
    if (!String(request.headers['content-type'] ?? '').includes('x-www-form-urlencoded') || !isObject(request.body)) return oauthError(400, 'invalid_request', 'Invalid request body')
    const form = request.body as Record<string, string>
    const basic = /^Basic (.+)$/i.exec(String(request.headers.authorization ?? ''))?.[1]
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : []
    const id = form.client_id ?? basicId
    const secret = form.client_secret ?? basicSecret
    if (id !== clientId) return oauthError(401, 'invalid_client', 'The OAuth client was not found.')
    if (secret !== clientSecret) return oauthError(401, 'invalid_client', 'Unauthorized')
    if (form.grant_type === 'authorization_code') {
      if (!form.code) return oauthError(400, 'invalid_request', 'Missing required parameter: code')
      const code = codes.get(form.code)
      if (!code || code.isUsed || code.expiresAt < Date.now()) return oauthError(400, 'invalid_grant', 'Bad Request')
      if (form.redirect_uri !== code.redirectUri) return oauthError(400, 'redirect_uri_mismatch', 'Bad Request')
      if (!form.code_verifier) return oauthError(400, 'invalid_grant', 'Missing code verifier.')
      if (pkceChallenge(form.code_verifier) !== code.challenge) return oauthError(400, 'invalid_grant', 'Invalid code verifier.')
      code.isUsed = true
      const grant: Grant = { clientId, scope: code.scope, revoked: false }
      const refreshToken = code.isOffline ? `1//0g${random(60)}` : null
      if (refreshToken) refreshTokens.set(refreshToken, grant)
      return { status: 200, headers: { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' }, json: issueTokens(grant, refreshToken) }
    }
    if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token) return oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token')
      const grant = refreshTokens.get(form.refresh_token)
      if (!grant || grant.revoked || grant.clientId !== id) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.')
      let rotated: string | null = null
      if (rotateRefreshTokens) {
        refreshTokens.delete(form.refresh_token)
        rotated = `1//0g${random(60)}`
        refreshTokens.set(rotated, grant)
      }
      return { status: 200, headers: { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' }, json: issueTokens(grant, rotated) }
    }
    return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${form.grant_type ?? ''}`)
  }

  /** Revoking either token of a grant revokes the grant: its refresh token and access tokens. */
  const revoke = (request: CalendarFakeRequest): LoopbackReply => {
    const value = request.query.get('token') ?? (isObject(request.body) ? request.body.token : undefined)
    const grant = (value && (refreshTokens.get(value) ?? accessTokens.get(value)?.grant)) || null
    if (!grant || grant.revoked) return oauthError(400, 'invalid_token', 'Token expired or revoked')
    grant.revoked = true
    for (const [key, owner] of refreshTokens) if (owner === grant) refreshTokens.delete(key)
    return { status: 200, json: {} }
  }

  // ---- Calendar API ----

  type Result<T> = { value: T; error?: undefined } | { value?: undefined; error: LoopbackReply }

  const normalizeTime = (input: unknown, label: 'start' | 'end', calendar: Calendar): Result<Record<string, string>> => {
    if (!isObject(input)) return { error: googleError(400, 'required', `Missing ${label} time.`) }
    if (typeof input.date === 'string' && input.dateTime === undefined) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date) || Number.isNaN(Date.parse(input.date))) return { error: googleError(400, 'invalid', `Invalid ${label} time.`) }
      return { value: { date: input.date } }
    }
    const zone = input.timeZone
    if (zone !== undefined && (typeof zone !== 'string' || !isTimeZone(zone))) return { error: googleError(400, 'invalid', `Invalid time zone definition for ${label} time.`) }
    const parsed = parseWallTime(input.dateTime)
    if (!parsed) return { error: googleError(400, input.dateTime === undefined ? 'required' : 'invalid', `${input.dateTime === undefined ? 'Missing' : 'Invalid'} ${label} time.`) }
    if (parsed.offsetMinutes === null && !zone) return { error: googleError(400, 'required', `Missing time zone definition for ${label} time.`) }
    const instant = parsed.offsetMinutes === null ? wallToInstant(parsed.wall, zone) : parsed.wall - parsed.offsetMinutes * 60_000
    return { value: { dateTime: googleDateTime(instant, zone ?? calendar.timeZone), ...(zone ? { timeZone: zone } : {}) } }
  }

  const normalizeAttendees = (input: unknown, previous: any[] | undefined): Result<any[] | undefined> => {
    if (input === undefined) return { value: undefined }
    if (!Array.isArray(input)) return { error: googleError(400, 'invalid', 'Invalid attendees value.') }
    const out: any[] = []
    for (const attendee of input) {
      if (!isObject(attendee) || typeof attendee.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(attendee.email)) return { error: googleError(400, 'invalid', 'Invalid attendee email.') }
      const isSelf = attendee.email.toLowerCase() === email.toLowerCase()
      const known = previous?.find((other) => other.email.toLowerCase() === attendee.email.toLowerCase())
      out.push({
        email: attendee.email,
        ...(typeof attendee.displayName === 'string' ? { displayName: attendee.displayName } : {}),
        ...(isSelf ? { organizer: true, self: true } : {}),
        ...(attendee.optional === true ? { optional: true } : {}),
        ...(attendee.resource === true ? { resource: true } : {}),
        responseStatus: attendee.responseStatus ?? known?.responseStatus ?? (isSelf ? 'accepted' : 'needsAction'),
        ...(typeof attendee.comment === 'string' ? { comment: attendee.comment } : {}),
        ...(typeof attendee.additionalGuests === 'number' ? { additionalGuests: attendee.additionalGuests } : {}),
      })
    }
    return { value: out }
  }

  const normalizeReminders = (input: unknown): Result<Record<string, unknown>> => {
    if (input === undefined) return { value: { useDefault: true } }
    if (!isObject(input)) return { error: googleError(400, 'invalid', 'Invalid reminders value.') }
    const overrides = input.overrides
    if (overrides !== undefined && !Array.isArray(overrides)) return { error: googleError(400, 'invalid', 'Invalid reminder overrides.') }
    if (input.useDefault === true && overrides?.length) return { error: googleError(400, 'cannotUseDefaultRemindersAndSpecifyOverride', 'Cannot specify both default reminders and overrides at the same time.') }
    if (overrides && overrides.length > 5) return { error: googleError(400, 'invalid', 'The maximum number of override reminders is 5.') }
    for (const override of overrides ?? []) {
      if (!isObject(override) || !['email', 'popup'].includes(override.method)) return { error: googleError(400, 'invalid', 'Invalid reminder method.') }
      if (!Number.isInteger(override.minutes) || override.minutes < 0 || override.minutes > 40320) return { error: googleError(400, 'invalid', 'Invalid reminder minutes value.') }
    }
    return { value: { useDefault: input.useDefault === true, ...(overrides?.length ? { overrides: overrides.map((o: any) => ({ method: o.method, minutes: o.minutes })) } : {}) } }
  }

  /** The stored event for a client's full representation (insert, update, or a patch merged onto the current one). */
  const buildEvent = (calendar: Calendar, input: Record<string, any>, id: string, previous: GoogleEvent | null, rawSequence: unknown): Result<GoogleEvent> => {
    const start = normalizeTime(input.start, 'start', calendar)
    if (start.error) return start
    const end = normalizeTime(input.end, 'end', calendar)
    if (end.error) return end
    if (('date' in start.value) !== ('date' in end.value)) return { error: googleError(400, 'invalid', 'Start and end times must either both be date or both be dateTime.') }
    const startAt = start.value.dateTime ? Date.parse(start.value.dateTime) : Date.parse(start.value.date)
    const endAt = end.value.dateTime ? Date.parse(end.value.dateTime) : Date.parse(end.value.date)
    if (endAt < startAt || (start.value.date && endAt === startAt)) return { error: googleError(400, 'timeRangeEmpty', 'The specified time range is empty.') }
    const attendees = normalizeAttendees(input.attendees, previous?.attendees)
    if (attendees.error) return attendees
    const reminders = normalizeReminders(input.reminders)
    if (reminders.error) return reminders
    if (input.status !== undefined && !['confirmed', 'tentative', 'cancelled'].includes(input.status)) return { error: googleError(400, 'invalid', 'Invalid status value.') }
    let sequence = previous?.sequence ?? 0
    if (rawSequence !== undefined) {
      if (!Number.isInteger(rawSequence) || (rawSequence as number) < sequence) return { error: googleError(400, 'invalid', 'Invalid sequence value. The specified sequence number is below the current sequence number of the resource.') }
      sequence = rawSequence as number
    } else if (previous && (JSON.stringify([previous.start, previous.end, previous.location ?? null]) !== JSON.stringify([start.value, end.value, input.location ?? null]) || input.status === 'cancelled')) {
      sequence += 1
    }
    const created = previous?.created ?? new Date().toISOString()
    const event: GoogleEvent = {
      kind: 'calendar#event',
      etag: previous?.etag ?? '',
      id,
      status: input.status ?? 'confirmed',
      htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${calendar.id}`).toString('base64url')}`,
      created,
      updated: previous?.updated ?? created,
      creator: { email, self: true },
      organizer: { email, self: true },
      start: start.value,
      end: end.value,
      iCalUID: previous?.iCalUID ?? (typeof input.iCalUID === 'string' ? input.iCalUID : `${id}@google.com`),
      sequence,
      reminders: reminders.value,
      eventType: 'default',
    }
    for (const key of WRITABLE) if (input[key] !== undefined) event[key] = clone(input[key])
    if (attendees.value) event.attendees = attendees.value
    return { value: event }
  }

  const eventBody = (request: CalendarFakeRequest): Result<Record<string, any>> =>
    isObject(request.body) ? { value: request.body } : { error: googleError(400, 'parseError', 'Invalid JSON payload received.') }

  const checkSendUpdates = (request: CalendarFakeRequest) => {
    const value = request.query.get('sendUpdates')
    return value !== null && !['all', 'externalOnly', 'none'].includes(value) ? googleError(400, 'invalidParameter', `Invalid value for sendUpdates: ${value}`) : null
  }

  const insert = (calendar: Calendar, request: CalendarFakeRequest): LoopbackReply => {
    const body = eventBody(request)
    if (body.error) return body.error
    const invalid = checkSendUpdates(request)
    if (invalid) return invalid
    const id = body.value.id ?? randomBytes(13).toString('hex')
    if (typeof id !== 'string' || !EVENT_ID.test(id)) return googleError(400, 'invalid', 'Invalid resource id value.')
    if (calendar.events.has(id)) return googleError(409, 'duplicate', 'The requested identifier already exists.')
    const built = buildEvent(calendar, body.value, id, null, body.value.sequence)
    if (built.error) return built.error
    const entry: StoredEvent = { resource: built.value, changedAt: 0, deleted: built.value.status === 'cancelled' }
    calendar.events.set(id, entry)
    touch(entry)
    return { status: 200, json: clone(entry.resource) }
  }

  const change = (calendar: Calendar, entry: StoredEvent, request: CalendarFakeRequest, mode: 'patch' | 'update'): LoopbackReply => {
    const body = eventBody(request)
    if (body.error) return body.error
    const invalid = checkSendUpdates(request)
    if (invalid) return invalid
    if (entry.deleted) return googleError(410, 'deleted', 'Resource has been deleted')
    const ifMatch = request.headers['if-match']
    if (ifMatch && ifMatch !== '*' && ifMatch !== entry.resource.etag) return googleError(412, 'conditionNotMet', 'Precondition Failed')
    if (body.value.id !== undefined && body.value.id !== entry.resource.id) return googleError(400, 'invalid', 'Invalid resource id value.')
    let input: Record<string, any> = body.value
    if (mode === 'patch') {
      const { start, end, ...rest } = body.value
      input = { ...mergePatch(entry.resource, rest), start: start ?? entry.resource.start, end: end ?? entry.resource.end }
      if (body.value.attendees === undefined) input.attendees = entry.resource.attendees
    }
    const built = buildEvent(calendar, input, entry.resource.id, entry.resource, body.value.sequence)
    if (built.error) return built.error
    entry.resource = built.value
    entry.deleted = built.value.status === 'cancelled'
    touch(entry)
    return { status: 200, json: clone(entry.resource) }
  }

  const remove = (entry: StoredEvent, request: CalendarFakeRequest): LoopbackReply => {
    const invalid = checkSendUpdates(request)
    if (invalid) return invalid
    if (entry.deleted) return googleError(410, 'deleted', 'Resource has been deleted')
    const ifMatch = request.headers['if-match']
    if (ifMatch && ifMatch !== '*' && ifMatch !== entry.resource.etag) return googleError(412, 'conditionNotMet', 'Precondition Failed')
    cancel(entry)
    return { status: 204 }
  }

  const cancel = (entry: StoredEvent) => {
    entry.deleted = true
    entry.resource.status = 'cancelled'
    entry.resource.sequence += 1
    touch(entry)
  }

  const list = (calendar: Calendar, request: CalendarFakeRequest): LoopbackReply => {
    const q = request.query
    const maxResults = q.has('maxResults') ? Number(q.get('maxResults')) : 250
    if (!Number.isInteger(maxResults) || maxResults < 1) return googleError(400, 'invalid', 'Invalid value for maxResults.')
    const pageSize = Math.min(maxResults, 2500)
    const restricted = ['timeMin', 'timeMax', 'updatedMin', 'q', 'orderBy', 'iCalUID', 'privateExtendedProperty', 'sharedExtendedProperty'].filter((key) => q.has(key))
    if (q.has('syncToken') && restricted.length > 0) return googleError(400, 'invalid', `Sync token cannot be used with other request restrictions: ${restricted.join(', ')}.`)
    const byStart = q.get('orderBy') === 'startTime'
    if (byStart && q.get('singleEvents') !== 'true') return googleError(400, 'invalid', 'The requested ordering is not available for the particular query.')
    if (q.has('orderBy') && !['startTime', 'updated'].includes(q.get('orderBy')!)) return googleError(400, 'invalid', 'Invalid value for orderBy.')
    let since: number | null = null
    let snapshot = clock
    let after = 0
    let offset = 0
    if (q.has('pageToken')) {
      const cursor = decodeToken<PageCursor>(q.get('pageToken'))
      if (!cursor || cursor.c !== calendar.id) return googleError(400, 'invalid', 'Invalid page token value.')
      if (cursor.s !== null && cursor.g !== generation) return googleError(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.')
      ;({ s: since, u: snapshot, a: after, o: offset } = cursor)
    } else if (q.has('syncToken')) {
      const cursor = decodeToken<SyncCursor>(q.get('syncToken'))
      if (!cursor || cursor.c !== calendar.id || typeof cursor.u !== 'number') return googleError(400, 'invalid', 'Invalid sync token value.')
      if (cursor.g !== generation) return googleError(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.')
      since = cursor.u
    }
    const bound = (key: 'timeMin' | 'timeMax' | 'updatedMin') => {
      if (!q.has(key)) return null
      const parsed = parseWallTime(q.get(key))
      return parsed && parsed.offsetMinutes !== null ? parsed.wall - parsed.offsetMinutes * 60_000 : Number.NaN
    }
    const [timeMin, timeMax, updatedMin] = [bound('timeMin'), bound('timeMax'), bound('updatedMin')]
    if ([timeMin, timeMax, updatedMin].some((value) => Number.isNaN(value))) return googleError(400, 'badRequest', 'Bad Request')
    const showDeleted = q.get('showDeleted') === 'true'
    let entries = [...calendar.events.values()].filter((entry) => entry.changedAt <= snapshot)
    if (since !== null) entries = entries.filter((entry) => entry.changedAt > since)
    else {
      const text = q.get('q')?.toLowerCase()
      const properties = (scope: 'private' | 'shared') => q.getAll(`${scope}ExtendedProperty`).map((pair) => pair.split('=') as [string, string])
      const [privateProperties, sharedProperties] = [properties('private'), properties('shared')]
      entries = entries.filter(({ resource, deleted }) => {
        if (deleted && !showDeleted && !(updatedMin !== null && Date.parse(resource.updated) >= updatedMin)) return false
        if (timeMin !== null && startOf(resource, 'end') <= timeMin) return false
        if (timeMax !== null && startOf(resource, 'start') >= timeMax) return false
        if (updatedMin !== null && Date.parse(resource.updated) < updatedMin) return false
        if (q.has('iCalUID') && resource.iCalUID !== q.get('iCalUID')) return false
        if (text && ![resource.summary, resource.description, resource.location].some((field) => typeof field === 'string' && field.toLowerCase().includes(text))) return false
        if (privateProperties.some(([key, value]) => resource.extendedProperties?.private?.[key] !== value)) return false
        if (sharedProperties.some(([key, value]) => resource.extendedProperties?.shared?.[key] !== value)) return false
        return true
      })
    }
    let page: StoredEvent[]
    let hasMore: boolean
    if (byStart) {
      entries.sort((a, b) => startOf(a.resource, 'start') - startOf(b.resource, 'start') || a.resource.id.localeCompare(b.resource.id))
      page = entries.slice(offset, offset + pageSize)
      hasMore = offset + pageSize < entries.length
    } else {
      entries = entries.filter((entry) => entry.changedAt > after).sort((a, b) => a.changedAt - b.changedAt)
      page = entries.slice(0, pageSize)
      hasMore = entries.length > pageSize
    }
    const items = page.map(({ resource, deleted }) => (deleted ? { kind: 'calendar#event', etag: resource.etag, id: resource.id, status: 'cancelled' } : clone(resource)))
    const cursor: SyncCursor = { c: calendar.id, g: generation, u: snapshot }
    return {
      status: 200,
      json: {
        kind: 'calendar#events',
        etag: `"p${snapshot}"`,
        summary: calendar.summary,
        description: '',
        updated: new Date(lastUpdated || Date.now()).toISOString(),
        timeZone: calendar.timeZone,
        accessRole: 'owner',
        defaultReminders: [{ method: 'popup', minutes: 10 }],
        ...(hasMore
          ? { nextPageToken: encodeToken({ ...cursor, s: since, a: page.at(-1)?.changedAt ?? after, o: offset + page.length } satisfies PageCursor) }
          : { nextSyncToken: encodeToken(cursor) }),
        items,
      },
    }
  }

  const calendarResource = (calendar: Calendar) => ({
    kind: 'calendar#calendar',
    etag: `"c${calendar.id.length}"`,
    id: calendar.id,
    summary: calendar.summary,
    timeZone: calendar.timeZone,
    conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
  })

  const calendarListEntry = (calendar: Calendar) => ({
    ...calendarResource(calendar),
    kind: 'calendar#calendarListEntry',
    colorId: '14',
    backgroundColor: '#9fe1e7',
    foregroundColor: '#000000',
    selected: true,
    accessRole: 'owner',
    defaultReminders: [{ method: 'popup', minutes: 10 }],
    ...(calendar.isPrimary ? { primary: true, notificationSettings: { notifications: [{ type: 'eventCreation', method: 'email' }] } } : {}),
  })

  const calendarApi = (request: CalendarFakeRequest): LoopbackReply => {
    const failure = failures[0]
    if (failure) {
      failure.remaining -= 1
      if (failure.remaining <= 0) failures.shift()
      const reason = failure.reason ?? DEFAULT_REASON[failure.status] ?? 'backendError'
      return googleError(failure.status, reason, failure.message ?? REASON_MESSAGE[reason] ?? `Fake error ${failure.status}`, failure.retryAfter === undefined ? undefined : { 'retry-after': String(failure.retryAfter) })
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''))?.[1]
    const access = bearer ? accessTokens.get(bearer) : undefined
    if (!access || access.expiresAt <= Date.now() || access.grant.revoked) {
      const unauthenticated = googleError(401, 'authError', 'Request had invalid authentication credentials.', { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' })
      ;(unauthenticated.json as any).error.errors[0].location = 'Authorization'
      return unauthenticated
    }
    let segments: string[]
    try {
      segments = request.path.slice('/calendar/v3/'.length).split('/').map(decodeURIComponent)
    } catch {
      return googleError(400, 'badRequest', 'Bad Request')
    }
    const { method } = request
    if (segments[0] === 'users' && segments[1] === 'me' && segments[2] === 'calendarList' && method === 'GET') {
      if (segments.length === 3) return { status: 200, json: { kind: 'calendar#calendarList', etag: '"list"', items: [...calendars.values()].map(calendarListEntry) } }
      const calendar = segments.length === 4 ? calendarOf(segments[3]) : null
      return calendar ? { status: 200, json: calendarListEntry(calendar) } : googleError(404, 'notFound', 'Not Found')
    }
    if (segments[0] !== 'calendars' || !segments[1]) return googleError(404, 'notFound', 'Not Found')
    const calendar = calendarOf(segments[1])
    if (!calendar) return googleError(404, 'notFound', 'Not Found')
    if (segments.length === 2 && method === 'GET') return { status: 200, json: calendarResource(calendar) }
    if (segments[2] !== 'events' || segments.length > 4) return googleError(404, 'notFound', 'Not Found')
    if (segments.length === 3) {
      if (method === 'GET') return list(calendar, request)
      if (method === 'POST') return insert(calendar, request)
      return googleError(405, 'methodNotAllowed', 'Method Not Allowed')
    }
    const entry = calendar.events.get(segments[3])
    if (!entry) return googleError(404, 'notFound', 'Not Found')
    if (method === 'GET') return { status: 200, json: clone(entry.resource) }
    if (method === 'PATCH') return change(calendar, entry, request, 'patch')
    if (method === 'PUT') return change(calendar, entry, request, 'update')
    if (method === 'DELETE') return remove(entry, request)
    return googleError(405, 'methodNotAllowed', 'Method Not Allowed')
  }

  const server = await startLoopbackServer(requests, (request) => {
    if (request.method === 'GET' && request.path === '/o/oauth2/v2/auth') return consent(request)
    if (request.method === 'POST' && request.path === '/token') return token(request)
    if (request.method === 'POST' && request.path === '/revoke') return revoke(request)
    if (request.path.startsWith('/calendar/v3/')) return calendarApi(request)
    return googleError(404, 'notFound', 'Not Found')
  })
  origin = server.origin

  const entryOf = (calendarId: string, eventId: string) => {
    const entry = calendarOf(calendarId)?.events.get(eventId)
    if (!entry || entry.deleted) throw new Error(`Google fake: no live event ${eventId} in calendar ${calendarId}`)
    return entry
  }

  return {
    url: `${origin}/`,
    authUrl: `${origin}/o/oauth2/v2/auth`,
    tokenUrl: `${origin}/token`,
    revokeUrl: `${origin}/revoke`,
    clientId,
    clientSecret,
    email,
    requests,
    failNext: (count, failure) => {
      if (count > 0) failures.push({ ...failure, remaining: count })
    },
    failNextToken: (count, failure) => {
      if (count > 0) tokenFailures.push({ ...failure, remaining: count })
    },
    expireAccessTokens: () => {
      for (const access of accessTokens.values()) access.expiresAt = 0
    },
    revokeRefreshTokens: () => refreshTokens.clear(),
    invalidateSyncTokens: () => {
      generation += 1
    },
    moveEvent: (calendarId, eventId, start, end) => {
      const entry = entryOf(calendarId, eventId)
      const calendar = calendarOf(calendarId)!
      const zone = (key: 'start' | 'end') => entry.resource[key]?.timeZone as string | undefined
      entry.resource.start = { dateTime: googleDateTime(start.getTime(), zone('start') ?? calendar.timeZone), ...(zone('start') ? { timeZone: zone('start') } : {}) }
      entry.resource.end = { dateTime: googleDateTime(end.getTime(), zone('end') ?? calendar.timeZone), ...(zone('end') ? { timeZone: zone('end') } : {}) }
      entry.resource.sequence += 1
      touch(entry)
    },
    cancelEvent: (calendarId, eventId) => cancel(entryOf(calendarId, eventId)),
    respond: (calendarId, eventId, attendeeEmail, responseStatus) => {
      const entry = entryOf(calendarId, eventId)
      const attendee = (entry.resource.attendees ?? []).find((a: any) => a.email.toLowerCase() === attendeeEmail.toLowerCase())
      if (!attendee) throw new Error(`Google fake: ${attendeeEmail} is not an attendee of ${eventId}`)
      attendee.responseStatus = responseStatus
      touch(entry)
    },
    events: (calendarId = 'primary') => [...(calendarOf(calendarId)?.events.values() ?? [])].map((entry) => clone(entry.resource)),
    reset: () => {
      for (const calendar of calendars.values()) calendar.events.clear()
      requests.length = 0
      failures.length = 0
      tokenFailures.length = 0
      generation += 1
    },
    close: server.close,
  }
}
