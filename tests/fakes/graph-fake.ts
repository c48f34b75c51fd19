import { randomBytes, randomUUID } from 'node:crypto'

import {
  type CalendarFakeRequest,
  consentPage,
  decodeToken,
  encodeToken,
  errorPage,
  escapeHtml,
  isTimeZone,
  type LoopbackReply,
  parseWallTime,
  pkceChallenge,
  startLoopbackServer,
  wallClock,
  wallToInstant,
  withParams,
} from './google-calendar-fake'

export type { CalendarFakeRequest } from './google-calendar-fake'

export type GraphFailure = { status: number; code?: string; message?: string; retryAfter?: number }

export type GraphFakeOptions = {
  clientId?: string
  /** null: a public client, which sends no secret. */
  clientSecret?: string | null
  tenantId?: string
  email?: string
  displayName?: string
  /** Events per delta page unless the request says `Prefer: odata.maxpagesize=N` (default 10). */
  deltaPageSize?: number
  /** A refresh retires the refresh token it used (Microsoft itself leaves it valid; it always returns a new one). */
  rotateRefreshTokens?: boolean
  /** When given, the consent page refuses any other redirect URI (AADSTS50011). */
  redirectUris?: string[]
}

export type GraphEvent = Record<string, any> & { id: string; subject: string; start: { dateTime: string; timeZone: string }; end: { dateTime: string; timeZone: string } }

export type GraphResponse = 'accepted' | 'declined' | 'tentativelyAccepted' | 'none'

export type GraphFake = {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  url: string
  /** `${url}/common`: the authority (MSAL's `authority`); `organizations` and `tenantId` work too. */
  authority: string
  authorizeUrl: string
  tokenUrl: string
  /** `${url}/v1.0`: the Graph base URL. */
  graphUrl: string
  clientId: string
  clientSecret: string | null
  tenantId: string
  email: string
  userId: string
  /** The id of the one (default) calendar. */
  calendarId: string
  /** Every request, identity platform included, in order. */
  requests: CalendarFakeRequest[]
  /** The next `count` Graph requests (not identity) answer this error, with `Retry-After` when given. Calls queue up. */
  failNext: (count: number, failure: GraphFailure) => void
  /** The next `count` token requests answer this error (e.g. 503 temporarily_unavailable). */
  failNextToken: (count: number, failure: { status: number; error?: string; description?: string; errorCode?: number }) => void
  /** Every access token issued so far stops working (401 InvalidAuthenticationToken). */
  expireAccessTokens: () => void
  /** Every refresh token issued so far answers invalid_grant AADSTS70008; access tokens work until they expire. */
  revokeRefreshTokens: () => void
  /** Every delta and skip token issued so far answers 410 SyncStateNotFound. */
  invalidateDeltaTokens: () => void
  /** The event moves, as if edited in Outlook (keeps its time zones). */
  moveEvent: (id: string, start: Date, end: Date) => void
  /** The event is deleted in Outlook. */
  deleteEvent: (id: string) => void
  /** An attendee answers. */
  respond: (id: string, email: string, response: GraphResponse) => void
  /** The events that exist (deleted ones are gone, as in Graph), times in UTC, bodies as stored. */
  events: () => GraphEvent[]
  /** Forgets events, the request log and queued failures, and invalidates delta tokens; issued tokens stay valid. */
  reset: () => void
  close: () => Promise<void>
}

/** Windows zone names Graph accepts beside IANA ones (the common few). */
const WINDOWS_ZONES: Record<string, string> = {
  UTC: 'UTC',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Mountain Standard Time': 'America/Denver',
  'Central Standard Time': 'America/Chicago',
  'Eastern Standard Time': 'America/New_York',
  'GMT Standard Time': 'Europe/London',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'India Standard Time': 'Asia/Kolkata',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'AUS Eastern Standard Time': 'Australia/Sydney',
}

const ianaZone = (name: unknown): string | null => {
  if (typeof name !== 'string' || !name) return null
  if (WINDOWS_ZONES[name]) return WINDOWS_ZONES[name]
  return isTimeZone(name) ? name : null
}

const NO_TIME = '0001-01-01T00:00:00Z'
const sevenDigits = (instant: number) => new Date(instant).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z')
const random = (bytes: number) => randomBytes(bytes).toString('base64url')
const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value)
const plainText = (html: string) => html.replace(/<head>[\s\S]*?<\/head>/i, '').replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').trim()
const htmlBody = (text: string) =>
  `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n${escapeHtml(text).replace(/\r?\n/g, '<br>\r\n')}\r\n</body>\r\n</html>\r\n`
/** A Graph-looking id: base64 with `-`, `_` and a trailing `=`. */
const graphId = () => `AAMkAD${random(96)}=`

type Attendee = { type: string; status: { response: string; time: string }; emailAddress: { name: string; address: string } }

type StoredEvent = {
  id: string
  transactionId: string | null
  changedAt: number
  isDeleted: boolean
  startAt: number
  endAt: number
  startZone: string
  endZone: string
  created: number
  lastModified: number
  changeKey: string
  iCalUId: string
  joinUrl: string | null
  fields: {
    subject: string
    body: { contentType: 'text' | 'html'; content: string }
    location: Record<string, any>
    attendees: Attendee[]
    isReminderOn: boolean
    reminderMinutesBeforeStart: number
    isOnlineMeeting: boolean
    isAllDay: boolean
    showAs: string
    sensitivity: string
    importance: string
    categories: string[]
    responseRequested: boolean
    allowNewTimeProposals: boolean
    hideAttendees: boolean
  }
}

type Grant = { clientId: string; scope: string; revoked: boolean }
type AuthCode = { redirectUri: string; challenge: string; scope: string; expiresAt: number; isUsed: boolean }
type DeltaCursor = { c: string; g: number; u: number; ws: number; we: number; s?: number | null; a?: number }

/**
 * A loopback fake of the Microsoft identity platform (authorize consent page and token endpoint, PKCE) and of
 * Microsoft Graph v1.0 calendars (me, calendars, events with transactionId, calendarView delta), for plain `fetch`.
 * Every request is logged; errors use the identity platform's and Graph's JSON shapes.
 */
export const startGraphFake = async ({
  clientId = randomUUID(),
  clientSecret = 'fake~graph~secret',
  tenantId = randomUUID(),
  email = 'organizer@contoso.example',
  displayName = 'Olivia Organizer',
  deltaPageSize = 10,
  rotateRefreshTokens = false,
  redirectUris,
}: GraphFakeOptions = {}): Promise<GraphFake> => {
  const requests: CalendarFakeRequest[] = []
  const failures: Array<GraphFailure & { remaining: number }> = []
  const tokenFailures: Array<{ status: number; error?: string; description?: string; errorCode?: number; remaining: number }> = []
  const codes = new Map<string, AuthCode>()
  const accessTokens = new Map<string, { grant: Grant; expiresAt: number }>()
  const refreshTokens = new Map<string, Grant>()
  const events = new Map<string, StoredEvent>()
  const userId = randomUUID()
  const calendarId = `AAMkAD${random(60)}AAA=`
  const tenants = ['common', 'organizations', tenantId]
  let clock = 0
  let generation = 1
  let lastModified = 0
  let origin = ''

  const touch = (event: StoredEvent) => {
    clock += 1
    lastModified = Math.max(Date.now(), lastModified + 1)
    event.changedAt = clock
    event.lastModified = lastModified
    event.changeKey = random(21)
  }

  // ---- identity platform ----

  const identityError = (status: number, error: string, code: number, message: string): LoopbackReply => {
    const traceId = randomUUID()
    const correlationId = randomUUID()
    const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')
    return {
      status,
      json: {
        error,
        error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
        error_codes: [code],
        timestamp,
        trace_id: traceId,
        correlation_id: correlationId,
        error_uri: `${origin}/error?code=${code}`,
      },
    }
  }

  const jwt = (claims: Record<string, unknown>) =>
    [Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: 'fake' })).toString('base64url'), Buffer.from(JSON.stringify(claims)).toString('base64url'), random(64)].join('.')

  const issueTokens = (grant: Grant, withRefresh: boolean) => {
    const now = Math.floor(Date.now() / 1000)
    const scopes = grant.scope.split(' ')
    const accessToken = jwt({ aud: '00000003-0000-0000-c000-000000000000', iss: `https://sts.windows.net/${tenantId}/`, iat: now, nbf: now, exp: now + 3599, appid: clientId, oid: userId, tid: tenantId, upn: email, scp: scopes.filter((s) => !['openid', 'profile', 'email', 'offline_access'].includes(s)).join(' '), uti: random(16) })
    accessTokens.set(accessToken, { grant, expiresAt: Date.now() + 3599 * 1000 })
    const refreshToken = withRefresh && scopes.includes('offline_access') ? `0.AX${random(120)}` : null
    if (refreshToken) refreshTokens.set(refreshToken, grant)
    return {
      token_type: 'Bearer',
      scope: scopes.filter((s) => s !== 'offline_access').join(' '),
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: accessToken,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      ...(scopes.includes('openid')
        ? { id_token: jwt({ aud: clientId, iss: `${origin}/${tenantId}/v2.0`, iat: now, nbf: now, exp: now + 3599, name: displayName, oid: userId, preferred_username: email, sub: random(32), tid: tenantId, ver: '2.0', ...(scopes.includes('email') ? { email } : {}) }) }
        : {}),
    }
  }

  const authorize = (request: CalendarFakeRequest): LoopbackReply => {
    const q = request.query
    const redirectUri = q.get('redirect_uri') ?? ''
    if (q.get('client_id') !== clientId) return errorPage(400, 'AADSTS700016', `Application with identifier '${q.get('client_id') ?? ''}' was not found in the directory '${tenantId}'.`)
    if (!/^https?:\/\//.test(redirectUri) || (redirectUris && !redirectUris.includes(redirectUri))) return errorPage(400, 'AADSTS50011', `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application.`)
    if (q.get('response_type') !== 'code') return errorPage(400, 'AADSTS700054', 'response_type must be code.')
    if ((q.get('response_mode') ?? 'query') !== 'query') return errorPage(400, 'AADSTS900144', 'This fake answers response_mode=query only.')
    if (!q.get('scope')) return errorPage(400, 'AADSTS900144', "The request body must contain the following parameter: 'scope'.")
    const challenge = q.get('code_challenge') ?? ''
    if (q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43,128}$/.test(challenge)) return errorPage(400, 'AADSTS9002325', 'Proof Key for Code Exchange is required: code_challenge with code_challenge_method=S256.')
    const scope = q.get('scope')!.split(/\s+/).filter(Boolean).map((s) => s.replace(/^https:\/\/graph\.microsoft\.com\//i, '')).join(' ')
    const code = `1.AX${random(150)}`
    codes.set(code, { redirectUri, challenge, scope, expiresAt: Date.now() + 10 * 60_000, isUsed: false })
    const state = q.get('state') ?? undefined
    return {
      status: 200,
      html: consentPage('Fake Microsoft consent', [`${clientId} wants to access ${displayName} <${email}>`, ...scope.split(' ')], withParams(redirectUri, { code, state, session_state: randomUUID() }), withParams(redirectUri, { error: 'access_denied', error_description: 'AADSTS65004: User declined to consent to access the app.', state })),
    }
  }

  const token = (request: CalendarFakeRequest): LoopbackReply => {
    const failure = tokenFailures[0]
    if (failure) {
      failure.remaining -= 1
      if (failure.remaining <= 0) tokenFailures.shift()
      return identityError(failure.status, failure.error ?? (failure.status >= 500 ? 'temporarily_unavailable' : 'invalid_request'), failure.errorCode ?? 90000, failure.description ?? 'Fake failure.')
    }
    if (!String(request.headers['content-type'] ?? '').includes('x-www-form-urlencoded') || !isObject(request.body)) return identityError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.")
    const form = request.body as Record<string, string>
    const basic = /^Basic (.+)$/i.exec(String(request.headers.authorization ?? ''))?.[1]
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent) : []
    const id = form.client_id ?? basicId
    const secret = form.client_secret ?? basicSecret
    if (!form.grant_type) return identityError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.")
    if (id !== clientId) return identityError(400, 'unauthorized_client', 700016, `Application with identifier '${id ?? ''}' was not found in the directory '${tenantId}'.`)
    if (clientSecret !== null && secret === undefined) return identityError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
    if (clientSecret !== null && secret !== clientSecret) return identityError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.')
    if (form.grant_type === 'authorization_code') {
      const code = form.code ? codes.get(form.code) : undefined
      if (!code) return identityError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.')
      if (code.isUsed) return identityError(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.')
      if (code.expiresAt < Date.now()) return identityError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.')
      if (form.redirect_uri !== code.redirectUri) return identityError(400, 'invalid_grant', 500112, `The reply address '${form.redirect_uri ?? ''}' does not match the reply address '${code.redirectUri}' provided when requesting Authorization code.`)
      if (!form.code_verifier || pkceChallenge(form.code_verifier) !== code.challenge) return identityError(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.')
      code.isUsed = true
      return { status: 200, json: issueTokens({ clientId, scope: code.scope, revoked: false }, true) }
    }
    if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token) return identityError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'refresh_token'.")
      const grant = refreshTokens.get(form.refresh_token)
      if (!grant || grant.revoked || grant.clientId !== id) return identityError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.')
      if (rotateRefreshTokens) refreshTokens.delete(form.refresh_token)
      return { status: 200, json: issueTokens(grant, true) }
    }
    return identityError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.grant_type}'.`)
  }

  // ---- Graph ----

  const graphError = (status: number, code: string, message: string, headers?: Record<string, string>): LoopbackReply => ({
    status,
    headers,
    json: { error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } },
  })
  const notFound = () => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.')

  type Prefer = { zone: string; zoneName: string; bodyType: 'text' | 'html' | null; maxPageSize: number | null; applied: string[] }

  const preferOf = (request: CalendarFakeRequest): Prefer => {
    const header = [request.headers.prefer ?? []].flat().join(',')
    const zoneName = /outlook\.timezone="([^"]+)"/i.exec(header)?.[1]
    const zone = ianaZone(zoneName)
    const bodyType = /outlook\.body-content-type="?(text|html)"?/i.exec(header)?.[1]?.toLowerCase() as 'text' | 'html' | undefined
    const maxPageSize = Number(/odata\.maxpagesize=(\d+)/i.exec(header)?.[1] ?? Number.NaN)
    const applied: string[] = []
    if (zone) applied.push(`outlook.timezone="${zoneName}"`)
    if (bodyType) applied.push(`outlook.body-content-type="${bodyType}"`)
    if (maxPageSize > 0) applied.push(`odata.maxpagesize=${maxPageSize}`)
    return { zone: zone ?? 'UTC', zoneName: zone ? zoneName! : 'UTC', bodyType: bodyType ?? null, maxPageSize: maxPageSize > 0 ? maxPageSize : null, applied }
  }

  const render = (event: StoredEvent, prefer: Prefer): GraphEvent => {
    const { fields } = event
    const text = fields.body.contentType === 'html' ? plainText(fields.body.content) : fields.body.content
    const asText = prefer.bodyType === 'text'
    const body = asText ? { contentType: 'text', content: text } : { contentType: 'html', content: fields.body.contentType === 'html' ? fields.body.content : htmlBody(fields.body.content) }
    const location = fields.location
    return {
      '@odata.etag': `W/"${event.changeKey}"`,
      id: event.id,
      createdDateTime: sevenDigits(event.created),
      lastModifiedDateTime: sevenDigits(event.lastModified),
      changeKey: event.changeKey,
      categories: [...fields.categories],
      transactionId: event.transactionId,
      originalStartTimeZone: event.startZone,
      originalEndTimeZone: event.endZone,
      iCalUId: event.iCalUId,
      uid: event.iCalUId,
      reminderMinutesBeforeStart: fields.reminderMinutesBeforeStart,
      isReminderOn: fields.isReminderOn,
      hasAttachments: false,
      subject: fields.subject,
      bodyPreview: text.replace(/\s+/g, ' ').trim().slice(0, 255),
      importance: fields.importance,
      sensitivity: fields.sensitivity,
      isAllDay: fields.isAllDay,
      isCancelled: false,
      isOrganizer: true,
      responseRequested: fields.responseRequested,
      seriesMasterId: null,
      showAs: fields.showAs,
      type: 'singleInstance',
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(event.id)}&exvsurl=1&path=/calendar/item`,
      onlineMeetingUrl: null,
      isOnlineMeeting: fields.isOnlineMeeting,
      onlineMeetingProvider: fields.isOnlineMeeting ? 'teamsForBusiness' : 'unknown',
      allowNewTimeProposals: fields.allowNewTimeProposals,
      occurrenceId: null,
      isDraft: false,
      hideAttendees: fields.hideAttendees,
      responseStatus: { response: 'organizer', time: NO_TIME },
      body,
      start: { dateTime: `${wallClock(event.startAt, prefer.zone)}.0000000`, timeZone: prefer.zoneName },
      end: { dateTime: `${wallClock(event.endAt, prefer.zone)}.0000000`, timeZone: prefer.zoneName },
      location: structuredClone(location),
      locations: location.displayName ? [structuredClone(location)] : [],
      recurrence: null,
      attendees: structuredClone(fields.attendees),
      organizer: { emailAddress: { name: displayName, address: email } },
      onlineMeeting: event.joinUrl ? { joinUrl: event.joinUrl } : null,
    }
  }

  const select = (resource: Record<string, any>, request: CalendarFakeRequest) => {
    const keys = request.query.get('$select')?.split(',').map((key) => key.trim()).filter(Boolean)
    if (!keys?.length) return resource
    return Object.fromEntries(Object.entries(resource).filter(([key]) => key === 'id' || key === '@odata.etag' || keys.includes(key)))
  }

  type Result<T> = { value: T; error?: undefined } | { value?: undefined; error: LoopbackReply }

  const parseTime = (input: unknown, label: 'start' | 'end'): Result<{ at: number; zone: string }> => {
    if (!isObject(input) || typeof input.dateTime !== 'string' || typeof input.timeZone !== 'string') return { error: graphError(400, 'ErrorInvalidRequest', `Your request can't be completed. The ${label} property needs both dateTime and timeZone.`) }
    const zone = ianaZone(input.timeZone)
    if (!zone) return { error: graphError(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${input.timeZone}'.`) }
    const parsed = parseWallTime(input.dateTime)
    if (!parsed) return { error: graphError(400, 'ErrorInvalidRequest', `Cannot convert the literal '${input.dateTime}' to the expected type 'Edm.DateTimeOffset'.`) }
    return { value: { at: parsed.offsetMinutes === null ? wallToInstant(parsed.wall, zone) : parsed.wall - parsed.offsetMinutes * 60_000, zone: input.timeZone } }
  }

  const parseAttendees = (input: unknown, previous: Attendee[]): Result<Attendee[]> => {
    if (!Array.isArray(input)) return { error: graphError(400, 'ErrorInvalidRequest', 'attendees must be a collection.') }
    const out: Attendee[] = []
    for (const attendee of input) {
      const address = attendee?.emailAddress?.address
      if (typeof address !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(address)) return { error: graphError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.') }
      const type = attendee.type ?? 'required'
      if (!['required', 'optional', 'resource'].includes(type)) return { error: graphError(400, 'ErrorInvalidRequest', `Invalid attendee type '${type}'.`) }
      const known = previous.find((other) => other.emailAddress.address.toLowerCase() === address.toLowerCase())
      out.push({ type, status: known ? { ...known.status } : { response: 'none', time: NO_TIME }, emailAddress: { name: attendee.emailAddress.name ?? address, address } })
    }
    return { value: out }
  }

  /** Applies a POST or PATCH body onto an event (a fresh one for POST). */
  const apply = (event: StoredEvent, body: Record<string, any>, isCreate: boolean): LoopbackReply | null => {
    if (isCreate || body.start !== undefined) {
      const start = parseTime(body.start, 'start')
      if (start.error) return start.error
      event.startAt = start.value.at
      event.startZone = start.value.zone
    }
    if (isCreate || body.end !== undefined) {
      const end = parseTime(body.end, 'end')
      if (end.error) return end.error
      event.endAt = end.value.at
      event.endZone = end.value.zone
    }
    if (event.endAt < event.startAt) return graphError(400, 'ErrorCalendarEndDateIsEarlierThanStartDate', 'The end date occurs before the start date.')
    const { fields } = event
    if (body.attendees !== undefined) {
      const attendees = parseAttendees(body.attendees, fields.attendees)
      if (attendees.error) return attendees.error
      fields.attendees = attendees.value
    }
    if (body.body !== undefined) {
      const type = String(body.body?.contentType ?? 'text').toLowerCase()
      if (type !== 'text' && type !== 'html') return graphError(400, 'ErrorInvalidRequest', `Invalid body contentType '${body.body?.contentType}'.`)
      fields.body = { contentType: type as 'text' | 'html', content: String(body.body?.content ?? '') }
    }
    if (body.location !== undefined) {
      const name = String(body.location?.displayName ?? '')
      fields.location = name
        ? { displayName: name, locationType: 'default', uniqueId: name, uniqueIdType: 'private' }
        : { displayName: '', locationType: 'default', uniqueIdType: 'unknown', address: {}, coordinates: {} }
    }
    if (body.subject !== undefined) fields.subject = String(body.subject ?? '')
    for (const key of ['isReminderOn', 'isOnlineMeeting', 'isAllDay', 'responseRequested', 'allowNewTimeProposals', 'hideAttendees'] as const) {
      if (body[key] === undefined) continue
      if (typeof body[key] !== 'boolean') return graphError(400, 'ErrorInvalidRequest', `Invalid value for ${key}.`)
      fields[key] = body[key]
    }
    if (body.reminderMinutesBeforeStart !== undefined) {
      if (!Number.isInteger(body.reminderMinutesBeforeStart) || body.reminderMinutesBeforeStart < 0) return graphError(400, 'ErrorInvalidRequest', 'Invalid value for reminderMinutesBeforeStart.')
      fields.reminderMinutesBeforeStart = body.reminderMinutesBeforeStart
    }
    for (const key of ['showAs', 'sensitivity', 'importance'] as const) if (typeof body[key] === 'string') fields[key] = body[key]
    if (Array.isArray(body.categories)) fields.categories = body.categories.map(String)
    if (fields.isOnlineMeeting && !event.joinUrl) event.joinUrl = `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${random(24)}%40thread.v2/0`
    return null
  }

  const create = (request: CalendarFakeRequest, prefer: Prefer): LoopbackReply => {
    const body = request.body
    if (!isObject(body)) return graphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.')
    if (body.transactionId !== undefined && typeof body.transactionId !== 'string') return graphError(400, 'ErrorInvalidRequest', 'Invalid transactionId.')
    const existing = body.transactionId ? [...events.values()].find((event) => !event.isDeleted && event.transactionId === body.transactionId) : undefined
    if (existing) return { status: 201, json: { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${userId}')/events/$entity`, ...render(existing, prefer) } }
    const now = Date.now()
    const event: StoredEvent = {
      id: graphId(),
      transactionId: body.transactionId ?? null,
      changedAt: 0,
      isDeleted: false,
      startAt: 0,
      endAt: 0,
      startZone: 'UTC',
      endZone: 'UTC',
      created: now,
      lastModified: now,
      changeKey: '',
      iCalUId: `040000008200E00074C5B7101A82E008${randomBytes(40).toString('hex').toUpperCase()}`,
      joinUrl: null,
      fields: {
        subject: '',
        body: { contentType: 'text', content: '' },
        location: { displayName: '', locationType: 'default', uniqueIdType: 'unknown', address: {}, coordinates: {} },
        attendees: [],
        isReminderOn: true,
        reminderMinutesBeforeStart: 15,
        isOnlineMeeting: false,
        isAllDay: false,
        showAs: 'busy',
        sensitivity: 'normal',
        importance: 'normal',
        categories: [],
        responseRequested: true,
        allowNewTimeProposals: true,
        hideAttendees: false,
      },
    }
    const refused = apply(event, body, true)
    if (refused) return refused
    events.set(event.id, event)
    touch(event)
    return { status: 201, json: { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${userId}')/events/$entity`, ...render(event, prefer) } }
  }

  const update = (event: StoredEvent, request: CalendarFakeRequest, prefer: Prefer): LoopbackReply => {
    const body = request.body
    if (!isObject(body)) return graphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.')
    if (body.transactionId !== undefined && body.transactionId !== event.transactionId) return graphError(400, 'ErrorInvalidRequest', 'The transactionId of an event cannot be changed.')
    const ifMatch = request.headers['if-match']
    if (ifMatch && ifMatch !== '*' && ifMatch !== `W/"${event.changeKey}"`) return graphError(412, 'ErrorIrresolvableConflict', 'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.')
    const draft: StoredEvent = structuredClone(event)
    const refused = apply(draft, body, false)
    if (refused) return refused
    Object.assign(event, draft)
    touch(event)
    return { status: 200, json: { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${userId}')/events/$entity`, ...render(event, prefer) } }
  }

  const remove = (event: StoredEvent) => {
    event.isDeleted = true
    touch(event)
  }

  const delta = (request: CalendarFakeRequest, prefer: Prefer): LoopbackReply => {
    const q = request.query
    let cursor: DeltaCursor
    let since: number | null = null
    let after = 0
    let snapshot = clock
    if (q.has('$skiptoken') || q.has('$deltatoken')) {
      const decoded = decodeToken<DeltaCursor>(q.get('$skiptoken') ?? q.get('$deltatoken'))
      if (!decoded || decoded.c !== calendarId) return graphError(400, 'ErrorInvalidUrlQuery', 'The delta token is malformed.')
      if (decoded.g !== generation) return graphError(410, 'SyncStateNotFound', 'The sync state generation is not found. Please do the initial sync again.')
      cursor = decoded
      if (q.has('$skiptoken')) ({ s: since = null, a: after = 0, u: snapshot } = decoded)
      else since = decoded.u
    } else {
      const bound = (key: string) => {
        const parsed = parseWallTime(q.get(key))
        return parsed ? parsed.wall - (parsed.offsetMinutes ?? 0) * 60_000 : null
      }
      const [windowStart, windowEnd] = [bound('startDateTime'), bound('endDateTime')]
      if (windowStart === null || windowEnd === null) return graphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.')
      cursor = { c: calendarId, g: generation, u: snapshot, ws: windowStart, we: windowEnd }
    }
    const inWindow = (event: StoredEvent) => event.endAt > cursor.ws && event.startAt < cursor.we
    const changed = [...events.values()]
      .filter((event) => event.changedAt <= snapshot && event.changedAt > after && (since === null ? !event.isDeleted && inWindow(event) : event.changedAt > since))
      .sort((a, b) => a.changedAt - b.changedAt)
    const pageSize = prefer.maxPageSize ?? deltaPageSize
    const page = changed.slice(0, pageSize)
    const hasMore = changed.length > pageSize
    const link = (token: DeltaCursor, key: '$skiptoken' | '$deltatoken') => `${origin}${request.path}?${key}=${encodeURIComponent(encodeToken(token))}`
    return {
      status: 200,
      headers: prefer.applied.length ? { 'preference-applied': prefer.applied.join(',') } : undefined,
      json: {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(event)',
        ...(hasMore
          ? { '@odata.nextLink': link({ ...cursor, g: generation, u: snapshot, s: since, a: page.at(-1)!.changedAt }, '$skiptoken') }
          : { '@odata.deltaLink': link({ c: calendarId, g: generation, u: snapshot, ws: cursor.ws, we: cursor.we }, '$deltatoken') }),
        value: page.map((event) => (event.isDeleted || !inWindow(event) ? { '@odata.type': '#microsoft.graph.event', id: event.id, '@removed': { reason: 'deleted' } } : render(event, prefer))),
      },
    }
  }

  const me = () => ({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity', businessPhones: [], displayName, givenName: displayName.split(' ')[0], surname: displayName.split(' ').slice(1).join(' ') || null, jobTitle: null, mail: email, mobilePhone: null, officeLocation: null, preferredLanguage: 'en-US', userPrincipalName: email, id: userId })

  const calendarResource = () => ({
    id: calendarId,
    name: 'Calendar',
    color: 'auto',
    hexColor: '',
    isDefaultCalendar: true,
    changeKey: 'fJKVL07sbkmIfHmxvFGGaQAAAAACqw==',
    canShare: true,
    canViewPrivateItems: true,
    canEdit: true,
    allowedOnlineMeetingProviders: ['teamsForBusiness'],
    defaultOnlineMeetingProvider: 'teamsForBusiness',
    isTallyingResponses: true,
    isRemovable: false,
    owner: { name: displayName, address: email },
  })

  const graph = (request: CalendarFakeRequest): LoopbackReply => {
    const failure = failures[0]
    if (failure) {
      failure.remaining -= 1
      if (failure.remaining <= 0) failures.shift()
      const code = failure.code ?? (failure.status === 429 ? 'ApplicationThrottled' : failure.status === 503 ? 'ServiceNotAvailable' : failure.status === 504 ? 'UnknownError' : failure.status >= 500 ? 'InternalServerError' : 'BadRequest')
      const message = failure.message ?? (failure.status === 429 ? 'Application is over its MailboxConcurrency limit.' : `Fake error ${failure.status}.`)
      return graphError(failure.status, code, message, failure.retryAfter === undefined ? undefined : { 'retry-after': String(failure.retryAfter) })
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''))?.[1]
    const access = bearer ? accessTokens.get(bearer) : undefined
    if (!access || access.expiresAt <= Date.now() || access.grant.revoked) {
      const message = bearer ? 'Access token has expired or is not yet valid.' : 'Access token is empty.'
      return graphError(401, 'InvalidAuthenticationToken', message, { 'www-authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"` })
    }
    let segments: string[]
    try {
      segments = request.path.slice('/v1.0/'.length).split('/').map(decodeURIComponent)
    } catch {
      return graphError(400, 'BadRequest', 'Invalid request URL.')
    }
    const { method } = request
    const prefer = preferOf(request)
    if (segments[0] !== 'me') return graphError(400, 'BadRequest', `Resource not found for the segment '${segments[0]}'.`)
    let rest = segments.slice(1)
    if (rest.length === 0 && method === 'GET') return { status: 200, json: select(me(), request) }
    if (rest[0] === 'calendar' && rest.length === 1 && method === 'GET') return { status: 200, json: { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${userId}')/calendar/$entity`, ...calendarResource() } }
    if (rest[0] === 'calendars' && rest.length === 1 && method === 'GET') return { status: 200, json: { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${userId}')/calendars`, value: [calendarResource()] } }
    if (rest[0] === 'calendars') {
      if (rest[1] !== calendarId) return notFound()
      if (rest.length === 2 && method === 'GET') return { status: 200, json: calendarResource() }
      rest = rest.slice(2)
    }
    if (rest[0] === 'calendarView' && rest[1] === 'delta' && rest.length === 2 && method === 'GET') return delta(request, prefer)
    if (rest[0] !== 'events') return graphError(400, 'BadRequest', `Resource not found for the segment '${rest[0] ?? ''}'.`)
    if (rest.length === 1) {
      if (method === 'POST') return create(request, prefer)
      if (method === 'GET') {
        const top = Math.max(1, Math.min(Number(request.query.get('$top') ?? 10) || 10, 1000))
        const skip = Math.max(0, Number(request.query.get('$skip') ?? 0) || 0)
        const all = [...events.values()].filter((event) => !event.isDeleted)
        const next = skip + top < all.length ? { '@odata.nextLink': `${origin}${request.path}?$top=${top}&$skip=${skip + top}` } : {}
        return { status: 200, json: { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${userId}')/events`, value: all.slice(skip, skip + top).map((event) => select(render(event, prefer), request)), ...next } }
      }
      return graphError(405, 'UnknownError', 'Method not allowed.')
    }
    const event = events.get(rest[1])
    if (!event || event.isDeleted) return notFound()
    if (rest.length === 3 && rest[2] === 'cancel' && method === 'POST') {
      remove(event)
      return { status: 202 }
    }
    if (rest.length !== 2) return graphError(400, 'BadRequest', `Resource not found for the segment '${rest[2]}'.`)
    if (method === 'GET') return { status: 200, headers: prefer.applied.length ? { 'preference-applied': prefer.applied.join(',') } : undefined, json: select({ '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${userId}')/events/$entity`, ...render(event, prefer) }, request) }
    if (method === 'PATCH') return update(event, request, prefer)
    if (method === 'DELETE') {
      remove(event)
      return { status: 204 }
    }
    return graphError(405, 'UnknownError', 'Method not allowed.')
  }

  const server = await startLoopbackServer(
    requests,
    (request) => {
      const identity = /^\/([^/]+)\/oauth2\/v2\.0\/(authorize|token)$/.exec(request.path)
      if (identity) {
        if (!tenants.includes(identity[1])) return identityError(400, 'invalid_tenant', 90002, `Tenant '${identity[1]}' not found.`)
        if (identity[2] === 'authorize' && request.method === 'GET') return authorize(request)
        if (identity[2] === 'token' && request.method === 'POST') return token(request)
      }
      if (request.path.startsWith('/v1.0/')) {
        const reply = graph(request)
        const requestId = randomUUID()
        const clientRequestId = String(request.headers['client-request-id'] ?? requestId)
        return { ...reply, headers: { 'request-id': requestId, 'client-request-id': clientRequestId, ...reply.headers } }
      }
      return graphError(404, 'NotFound', `No route for ${request.method} ${request.path}`)
    },
    'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
  )
  origin = server.origin

  const eventOf = (id: string) => {
    const event = events.get(id)
    if (!event || event.isDeleted) throw new Error(`Graph fake: no event ${id}`)
    return event
  }
  const utc = preferOf({ method: 'GET', path: '', query: new URLSearchParams(), headers: {}, body: undefined, at: new Date() })

  return {
    url: origin,
    authority: `${origin}/common`,
    authorizeUrl: `${origin}/common/oauth2/v2.0/authorize`,
    tokenUrl: `${origin}/common/oauth2/v2.0/token`,
    graphUrl: `${origin}/v1.0`,
    clientId,
    clientSecret,
    tenantId,
    email,
    userId,
    calendarId,
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
    invalidateDeltaTokens: () => {
      generation += 1
    },
    moveEvent: (id, start, end) => {
      const event = eventOf(id)
      event.startAt = start.getTime()
      event.endAt = end.getTime()
      touch(event)
    },
    deleteEvent: (id) => remove(eventOf(id)),
    respond: (id, attendeeEmail, response) => {
      const event = eventOf(id)
      const attendee = event.fields.attendees.find((a) => a.emailAddress.address.toLowerCase() === attendeeEmail.toLowerCase())
      if (!attendee) throw new Error(`Graph fake: ${attendeeEmail} is not an attendee of ${id}`)
      attendee.status = { response, time: response === 'none' ? NO_TIME : new Date().toISOString() }
      touch(event)
    },
    events: () =>
      [...events.values()]
        .filter((event) => !event.isDeleted)
        .map((event) => ({ ...render(event, utc), body: { ...event.fields.body } })),
    reset: () => {
      events.clear()
      requests.length = 0
      failures.length = 0
      tokenFailures.length = 0
      generation += 1
    },
    close: server.close,
  }
}
