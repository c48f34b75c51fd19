import { randomBytes } from 'node:crypto'

import { Auth, google } from 'googleapis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { type GoogleCalendarFake, pkceChallenge, startGoogleCalendarFake } from './fakes/google-calendar-fake'
import { type GraphFake, startGraphFake } from './fakes/graph-fake'

const REDIRECT_URI = 'http://localhost:3000/api/calendar/callback'
const GOOGLE_SCOPE = 'https://www.googleapis.com/auth/calendar.events'

/** The Allow or Deny link of a consent page, as a URL. */
const consentLink = (html: string, id: 'allow' | 'deny') => {
  const match = new RegExp(`<a id="${id}" href="([^"]+)"`).exec(html)
  if (!match) throw new Error(`no ${id} link in ${html}`)
  return new URL(match[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'))
}

/** The error a promise rejects with (fails the test when it resolves). */
const rejection = async (promise: Promise<unknown>): Promise<any> => {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

const eventId = () => `ob${randomBytes(10).toString('hex')}`

describe('the Google Calendar fake, driven by googleapis and google-auth-library', () => {
  let fake: GoogleCalendarFake
  beforeAll(async () => {
    fake = await startGoogleCalendarFake({ clientId: 'outpost-test.apps.googleusercontent.com', clientSecret: 'test-secret', email: 'organizer@example.com' })
  })
  afterEach(() => fake.reset())
  afterAll(async () => {
    await fake.close()
  })

  const newClient = (target: GoogleCalendarFake = fake, options: Auth.OAuth2ClientOptions = {}) =>
    new google.auth.OAuth2({
      clientId: target.clientId,
      clientSecret: target.clientSecret,
      redirectUri: REDIRECT_URI,
      endpoints: { oauth2AuthBaseUrl: target.authUrl, oauth2TokenUrl: target.tokenUrl, oauth2RevokeUrl: target.revokeUrl },
      ...options,
    })

  /** The PKCE code flow: the consent page, its Allow link followed by hand, the code exchanged by the client. */
  const authorize = async (client: Auth.OAuth2Client, { verifier }: { verifier?: string } = {}) => {
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync()
    const url = client.generateAuthUrl({ access_type: 'offline', prompt: 'consent', scope: [GOOGLE_SCOPE], state: 'state-123', code_challenge: codeChallenge, code_challenge_method: Auth.CodeChallengeMethod.S256 })
    const page = await fetch(url)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Fake Google consent')
    const allow = consentLink(html, 'allow')
    expect(`${allow.origin}${allow.pathname}`).toBe(REDIRECT_URI)
    expect(allow.searchParams.get('state')).toBe('state-123')
    const { tokens } = await client.getToken({ code: allow.searchParams.get('code')!, codeVerifier: verifier ?? codeVerifier })
    client.setCredentials(tokens)
    return tokens
  }

  const calendarFor = (client: Auth.OAuth2Client, target: GoogleCalendarFake = fake) => google.calendar({ version: 'v3', rootUrl: target.url, auth: client })

  const meeting = (id: string, summary = 'Demo call') => ({
    id,
    summary,
    description: 'Agenda',
    location: 'Room 1',
    start: { dateTime: '2030-03-04T09:00:00', timeZone: 'Europe/Paris' },
    end: { dateTime: '2030-03-04T09:30:00', timeZone: 'Europe/Paris' },
    attendees: [{ email: 'guest@example.net', displayName: 'Guest' }, { email: 'maybe@example.net', optional: true }],
    reminders: { useDefault: false, overrides: [{ method: 'email', minutes: 60 }] },
  })

  it('serves a consent page that checks the client and S256, with Allow and Deny links back to the redirect URI', async () => {
    const challenge = pkceChallenge('a'.repeat(50))
    const base = { client_id: fake.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: GOOGLE_SCOPE, state: 's1', code_challenge: challenge, code_challenge_method: 'S256', access_type: 'offline', prompt: 'consent' }
    const page = await fetch(`${fake.authUrl}?${new URLSearchParams(base)}`)
    const html = await page.text()
    expect(page.status).toBe(200)
    expect(html).toMatch(/<h1>Fake Google consent<\/h1>/)
    const deny = consentLink(html, 'deny')
    expect(Object.fromEntries(deny.searchParams)).toEqual({ error: 'access_denied', state: 's1' })
    expect(consentLink(html, 'allow').searchParams.get('code')).toMatch(/^4\/0A/)

    const wrongClient = await fetch(`${fake.authUrl}?${new URLSearchParams({ ...base, client_id: 'someone-else' })}`)
    expect(wrongClient.status).toBe(400)
    expect(await wrongClient.text()).toContain('invalid_client')
    const plain = await fetch(`${fake.authUrl}?${new URLSearchParams({ ...base, code_challenge_method: 'plain' })}`)
    expect(plain.status).toBe(400)
  })

  it('exchanges a code with PKCE for access and refresh tokens, and refuses a wrong verifier and a reused code', async () => {
    const client = newClient()
    const tokens = await authorize(client)
    expect(tokens.access_token).toMatch(/^ya29\./)
    expect(tokens.refresh_token).toMatch(/^1\/\/0g/)
    expect(tokens.token_type).toBe('Bearer')
    expect(tokens.scope).toBe(GOOGLE_SCOPE)
    expect(tokens.expiry_date! - Date.now()).toBeGreaterThan(3500 * 1000)
    const exchange = fake.requests.find((request) => request.path === '/token')!
    expect(exchange.body).toMatchObject({ grant_type: 'authorization_code', client_id: fake.clientId, client_secret: 'test-secret', redirect_uri: REDIRECT_URI })
    expect(pkceChallenge(exchange.body.code_verifier)).toMatch(/^[A-Za-z0-9_-]{43}$/)

    const wrong = await rejection(authorize(newClient(), { verifier: 'x'.repeat(64) }))
    expect(wrong.response.status).toBe(400)
    expect(wrong.response.data).toEqual({ error: 'invalid_grant', error_description: 'Invalid code verifier.' })
    const reused = await rejection(client.getToken({ code: exchange.body.code, codeVerifier: exchange.body.code_verifier }))
    expect(reused.response.data.error).toBe('invalid_grant')
  })

  it('lists the primary calendar under the account address and reads it', async () => {
    const client = newClient()
    await authorize(client)
    const calendar = calendarFor(client)
    const list = await calendar.calendarList.list()
    expect(list.data.items).toHaveLength(1)
    expect(list.data.items![0]).toMatchObject({ id: 'organizer@example.com', summary: 'organizer@example.com', primary: true, accessRole: 'owner' })
    const primary = await calendar.calendars.get({ calendarId: 'primary' })
    expect(primary.data).toMatchObject({ id: 'organizer@example.com', timeZone: 'UTC' })
  })

  it('inserts with a client-chosen id, refuses it again (409 duplicate) and refuses a non-base32hex id (400)', async () => {
    const client = newClient()
    const { access_token: accessToken } = await authorize(client)
    const calendar = calendarFor(client)
    const id = eventId()
    const created = await calendar.events.insert({ calendarId: 'primary', sendUpdates: 'all', requestBody: meeting(id) })
    expect(created.status).toBe(200)
    expect(created.data).toMatchObject({
      id,
      status: 'confirmed',
      sequence: 0,
      summary: 'Demo call',
      start: { dateTime: '2030-03-04T09:00:00+01:00', timeZone: 'Europe/Paris' },
      end: { dateTime: '2030-03-04T09:30:00+01:00', timeZone: 'Europe/Paris' },
      attendees: [
        { email: 'guest@example.net', displayName: 'Guest', responseStatus: 'needsAction' },
        { email: 'maybe@example.net', optional: true, responseStatus: 'needsAction' },
      ],
      reminders: { useDefault: false, overrides: [{ method: 'email', minutes: 60 }] },
      organizer: { email: 'organizer@example.com', self: true },
    })
    expect(created.data.etag).toMatch(/^"\d+"$/)
    const insert = fake.requests.find((request) => request.method === 'POST' && request.path === '/calendar/v3/calendars/primary/events')!
    expect(insert.query.get('sendUpdates')).toBe('all')
    expect(insert.headers.authorization).toBe(`Bearer ${accessToken}`)

    const again = await rejection(calendar.events.insert({ calendarId: 'primary', requestBody: meeting(id, 'Another') }))
    expect(again.status).toBe(409)
    expect(again.response.data.error).toMatchObject({ code: 409, message: 'The requested identifier already exists.', errors: [{ reason: 'duplicate' }] })
    const bad = await rejection(calendar.events.insert({ calendarId: 'primary', requestBody: meeting('Not_Base32hex') }))
    expect(bad.status).toBe(400)
    expect(bad.response.data.error.errors[0].reason).toBe('invalid')
    const noZone = await rejection(calendar.events.insert({ calendarId: 'primary', requestBody: { ...meeting(eventId()), start: { dateTime: '2030-03-04T09:00:00' } } }))
    expect(noZone.response.data.error.message).toBe('Missing time zone definition for start time.')
    expect(fake.events()).toHaveLength(1)
  })

  it('patches by merging, bumping updated and etag; a change of time or place bumps the sequence; PUT replaces', async () => {
    const client = newClient()
    await authorize(client)
    const calendar = calendarFor(client)
    const id = eventId()
    const created = (await calendar.events.insert({ calendarId: 'primary', requestBody: meeting(id) })).data
    fake.respond('primary', id, 'guest@example.net', 'accepted')
    const renamed = (await calendar.events.patch({ calendarId: 'primary', eventId: id, sendUpdates: 'none', requestBody: { summary: 'Renamed' } })).data
    expect(renamed).toMatchObject({ summary: 'Renamed', description: 'Agenda', location: 'Room 1', sequence: 0, start: created.start })
    expect(renamed.attendees!.map((attendee) => attendee.responseStatus)).toEqual(['accepted', 'needsAction'])
    // Attendees sent again without a responseStatus keep the one the calendar knows.
    const readded = (await calendar.events.patch({ calendarId: 'primary', eventId: id, requestBody: { attendees: [{ email: 'guest@example.net' }, { email: 'new@example.net' }] } })).data
    expect(readded.attendees!.map((attendee) => [attendee.email, attendee.responseStatus])).toEqual([['guest@example.net', 'accepted'], ['new@example.net', 'needsAction']])
    expect(Date.parse(renamed.updated!)).toBeGreaterThan(Date.parse(created.updated!))
    expect(renamed.etag).not.toBe(created.etag)
    const moved = (await calendar.events.patch({ calendarId: 'primary', eventId: id, requestBody: { start: { dateTime: '2030-03-04T10:00:00Z' }, end: { dateTime: '2030-03-04T11:00:00Z' } } })).data
    expect(moved).toMatchObject({ sequence: 1, start: { dateTime: '2030-03-04T10:00:00Z' } })
    const replaced = (await calendar.events.update({ calendarId: 'primary', eventId: id, requestBody: { summary: 'Only this', start: moved.start, end: moved.end } })).data
    // The location went with the rest: a change of place, so the sequence moves on.
    expect(replaced).toMatchObject({ summary: 'Only this', sequence: 2 })
    expect(replaced.attendees).toBeUndefined()
    expect(replaced.description).toBeUndefined()
    expect((await calendar.events.get({ calendarId: 'primary', eventId: id })).data.summary).toBe('Only this')
  })

  it('lists in pages, then incrementally: changes made in the calendar appear, cancelled ones as cancelled; invalidated sync tokens answer 410', async () => {
    const client = newClient()
    await authorize(client)
    const calendar = calendarFor(client)
    const [a, b, c] = [eventId(), eventId(), eventId()]
    for (const id of [a, b, c]) await calendar.events.insert({ calendarId: 'primary', requestBody: meeting(id) })
    const first = (await calendar.events.list({ calendarId: 'primary', maxResults: 2, singleEvents: true })).data
    expect(first.items!.map((item) => item.id)).toEqual([a, b])
    expect(first.nextSyncToken).toBeUndefined()
    const second = (await calendar.events.list({ calendarId: 'primary', maxResults: 2, singleEvents: true, pageToken: first.nextPageToken! })).data
    expect(second.items!.map((item) => item.id)).toEqual([c])
    expect(second.nextPageToken).toBeUndefined()
    const quiet = (await calendar.events.list({ calendarId: 'primary', syncToken: second.nextSyncToken! })).data
    expect(quiet.items).toEqual([])

    fake.moveEvent('primary', a, new Date('2030-03-05T10:00:00Z'), new Date('2030-03-05T11:00:00Z'))
    fake.respond('primary', b, 'guest@example.net', 'accepted')
    fake.cancelEvent('primary', c)
    const changes = (await calendar.events.list({ calendarId: 'primary', syncToken: quiet.nextSyncToken! })).data
    expect(changes.items!.map((item) => item.id)).toEqual([a, b, c])
    expect(changes.items![0]).toMatchObject({ sequence: 1, start: { dateTime: '2030-03-05T11:00:00+01:00', timeZone: 'Europe/Paris' } })
    expect(changes.items![1].attendees![0]).toMatchObject({ email: 'guest@example.net', responseStatus: 'accepted' })
    expect(changes.items![2]).toEqual({ kind: 'calendar#event', etag: expect.any(String), id: c, status: 'cancelled' })
    const full = (await calendar.events.list({ calendarId: 'primary', timeMin: '2030-03-05T00:00:00Z' })).data
    expect(full.items!.map((item) => item.id)).toEqual([a])
    const mixed = await rejection(calendar.events.list({ calendarId: 'primary', syncToken: changes.nextSyncToken!, timeMin: '2030-01-01T00:00:00Z' }))
    expect(mixed.status).toBe(400)

    fake.invalidateSyncTokens()
    const gone = await rejection(calendar.events.list({ calendarId: 'primary', syncToken: changes.nextSyncToken! }))
    expect(gone.status).toBe(410)
    expect(gone.response.data.error).toMatchObject({ code: 410, message: 'Sync token is no longer valid, a full sync is required.', errors: [{ reason: 'fullSyncRequired' }] })
  })

  it('deletes (204), then answers 410 deleted for the same event and 404 for an unknown one', async () => {
    const client = newClient()
    await authorize(client)
    const calendar = calendarFor(client)
    const id = eventId()
    await calendar.events.insert({ calendarId: 'primary', requestBody: meeting(id) })
    const deleted = await calendar.events.delete({ calendarId: 'primary', eventId: id, sendUpdates: 'all' })
    expect(deleted.status).toBe(204)
    expect(fake.events()[0].status).toBe('cancelled')
    const again = await rejection(calendar.events.delete({ calendarId: 'primary', eventId: id }))
    expect(again.status).toBe(410)
    expect(again.response.data.error).toMatchObject({ code: 410, message: 'Resource has been deleted', errors: [{ reason: 'deleted' }] })
    const unknown = await rejection(calendar.events.get({ calendarId: 'primary', eventId: eventId() }))
    expect(unknown.status).toBe(404)
  })

  it('fails the next requests on demand: a POST surfaces 429 with Retry-After, a GET is retried by googleapis itself', async () => {
    const client = newClient()
    await authorize(client)
    const calendar = calendarFor(client)
    fake.failNext(1, { status: 429, retryAfter: 7 })
    const limited = await rejection(calendar.events.insert({ calendarId: 'primary', requestBody: meeting(eventId()) }))
    expect(limited.status).toBe(429)
    expect(limited.response.headers.get('retry-after')).toBe('7')
    expect(limited.response.data.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED', errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded' }] })
    expect(fake.events()).toHaveLength(0)

    fake.failNext(1, { status: 503, reason: 'backendError' })
    const listed = await calendar.events.list({ calendarId: 'primary' })
    expect(listed.status).toBe(200)
    expect(fake.requests.filter((request) => request.method === 'GET' && request.path === '/calendar/v3/calendars/primary/events')).toHaveLength(2)

    fake.failNext(1, { status: 403, reason: 'userRateLimitExceeded' })
    const noRetry = await rejection(calendar.events.list({ calendarId: 'primary' }, { retry: false }))
    expect(noRetry.response.data.error.errors[0]).toMatchObject({ reason: 'userRateLimitExceeded', message: 'User Rate Limit Exceeded' })
  })

  it('expired access tokens: 401 as is while the client trusts its expiry_date; refreshed by the client with forceRefreshOnFailure or once expiry_date passes', async () => {
    const client = newClient()
    const tokens = await authorize(client)
    fake.expireAccessTokens()
    const refused = await rejection(calendarFor(client).calendarList.list())
    expect(refused.status).toBe(401)
    expect(refused.response.data.error).toMatchObject({ code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED', errors: [{ reason: 'authError' }] })

    const forcing = newClient(fake, { forceRefreshOnFailure: true })
    forcing.setCredentials(tokens)
    const list = await calendarFor(forcing).calendarList.list()
    expect(list.status).toBe(200)
    expect(forcing.credentials.access_token).not.toBe(tokens.access_token)
    expect(fake.requests.filter((request) => request.path === '/token').at(-1)!.body).toMatchObject({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })

    const lapsed = newClient()
    lapsed.setCredentials({ ...tokens, expiry_date: Date.now() - 1000 })
    expect((await calendarFor(lapsed).calendarList.list()).status).toBe(200)
    expect(fake.requests.filter((request) => request.path === '/token')).toHaveLength(3)
  })

  it('revoked refresh tokens answer invalid_grant', async () => {
    const client = newClient()
    const tokens = await authorize(client)
    fake.revokeRefreshTokens()
    client.setCredentials({ ...tokens, expiry_date: Date.now() - 1000 })
    const failed = await rejection(calendarFor(client).calendarList.list())
    expect(failed.response.status).toBe(400)
    expect(failed.response.data).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' })
  })

  it('rotates refresh tokens when asked: the new one comes in the tokens event and the old one stops working', async () => {
    const rotating = await startGoogleCalendarFake({ rotateRefreshTokens: true })
    try {
      const client = newClient(rotating)
      const tokens = await authorize(client)
      const seen: Auth.Credentials[] = []
      client.on('tokens', (event) => seen.push({ ...event }))
      client.setCredentials({ ...tokens, expiry_date: Date.now() - 1000 })
      expect((await calendarFor(client, rotating).calendarList.list()).status).toBe(200)
      expect(seen).toHaveLength(1)
      expect(seen[0].refresh_token).toMatch(/^1\/\/0g/)
      expect(seen[0].refresh_token).not.toBe(tokens.refresh_token)
      // google-auth-library keeps the refresh token it had: a rotated one must be saved from the 'tokens' event.
      expect(client.credentials.refresh_token).toBe(tokens.refresh_token)
      const stale = newClient(rotating)
      stale.setCredentials({ refresh_token: tokens.refresh_token })
      expect((await rejection(stale.getAccessToken())).response.data.error).toBe('invalid_grant')
      const fresh = newClient(rotating)
      fresh.setCredentials({ refresh_token: seen[0].refresh_token })
      expect((await fresh.getAccessToken()).token).toMatch(/^ya29\./)
    } finally {
      await rotating.close()
    }
  })
})

describe('the Microsoft Graph fake, driven by fetch', () => {
  let fake: GraphFake
  beforeAll(async () => {
    fake = await startGraphFake({ email: 'organizer@contoso.example', deltaPageSize: 10 })
  })
  afterEach(() => fake.reset())
  afterAll(async () => {
    await fake.close()
  })

  const SCOPE = 'offline_access openid profile https://graph.microsoft.com/Calendars.ReadWrite https://graph.microsoft.com/User.Read'

  const tokenRequest = (form: Record<string, string>) =>
    fetch(fake.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: fake.clientId, client_secret: fake.clientSecret!, ...form }) })

  /** Consent page, Allow, and the code exchange with PKCE; returns the token response and the code used. */
  const authorize = async ({ verifier = randomBytes(32).toString('base64url'), sentVerifier }: { verifier?: string; sentVerifier?: string } = {}) => {
    const params = { client_id: fake.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, response_mode: 'query', scope: SCOPE, state: 'ms-state', code_challenge: pkceChallenge(verifier), code_challenge_method: 'S256' }
    const page = await fetch(`${fake.authorizeUrl}?${new URLSearchParams(params)}`)
    const html = await page.text()
    expect(html).toMatch(/<h1>Fake Microsoft consent<\/h1>/)
    const code = consentLink(html, 'allow').searchParams.get('code')!
    const response = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, scope: SCOPE, code_verifier: sentVerifier ?? verifier })
    return { response, body: await response.json(), code, verifier }
  }

  const graph = (accessToken: string, path: string, init: RequestInit = {}) =>
    fetch(path.startsWith('http') ? path : `${fake.graphUrl}${path}`, { ...init, headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', ...init.headers } })

  const signedIn = async () => (await authorize()).body as { access_token: string; refresh_token: string }

  const newEvent = (transactionId: string, subject = 'Demo call') => ({
    subject,
    body: { contentType: 'text', content: 'Agenda' },
    start: { dateTime: '2030-03-04T09:00:00', timeZone: 'Europe/Paris' },
    end: { dateTime: '2030-03-04T09:30:00', timeZone: 'Europe/Paris' },
    location: { displayName: 'Room 1' },
    attendees: [{ emailAddress: { address: 'guest@example.net', name: 'Guest' }, type: 'required' }, { emailAddress: { address: 'maybe@example.net' }, type: 'optional' }],
    isReminderOn: true,
    reminderMinutesBeforeStart: 30,
    isOnlineMeeting: false,
    transactionId,
  })

  it('serves a consent page that requires S256, and exchanges the code with PKCE only once', async () => {
    const noPkce = await fetch(`${fake.authorizeUrl}?${new URLSearchParams({ client_id: fake.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: SCOPE })}`)
    expect(noPkce.status).toBe(400)
    const { response, body, code, verifier } = await authorize()
    expect(response.status).toBe(200)
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, scope: 'openid profile Calendars.ReadWrite User.Read' })
    expect(body.access_token.split('.')).toHaveLength(3)
    expect(body.refresh_token).toEqual(expect.any(String))
    expect(body.id_token).toEqual(expect.any(String))
    const again = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier })
    expect(again.status).toBe(400)
    expect((await again.json()).error_codes).toEqual([54005])
    const wrong = await authorize({ sentVerifier: 'y'.repeat(50) })
    expect(wrong.response.status).toBe(400)
    expect(wrong.body.error).toBe('invalid_grant')
  })

  it('answers /me and /me/calendars for the signed-in user', async () => {
    const { access_token: token } = await signedIn()
    const me = await (await graph(token, '/me')).json()
    expect(me).toMatchObject({ id: fake.userId, mail: 'organizer@contoso.example', userPrincipalName: 'organizer@contoso.example', displayName: 'Olivia Organizer' })
    const calendars = await (await graph(token, '/me/calendars')).json()
    expect(calendars.value).toEqual([expect.objectContaining({ id: fake.calendarId, isDefaultCalendar: true })])
  })

  it('creates one event for two POSTs with the same transactionId; times come back in UTC unless Prefer asks for a zone', async () => {
    const { access_token: token } = await signedIn()
    const first = await graph(token, '/me/events', { method: 'POST', body: JSON.stringify(newEvent('txn-1')) })
    expect(first.status).toBe(201)
    const created = await first.json()
    expect(created).toMatchObject({
      subject: 'Demo call',
      transactionId: 'txn-1',
      start: { dateTime: '2030-03-04T08:00:00.0000000', timeZone: 'UTC' },
      originalStartTimeZone: 'Europe/Paris',
      location: { displayName: 'Room 1' },
      isReminderOn: true,
      reminderMinutesBeforeStart: 30,
      body: { contentType: 'html' },
      bodyPreview: 'Agenda',
      attendees: [
        { type: 'required', status: { response: 'none' }, emailAddress: { address: 'guest@example.net', name: 'Guest' } },
        { type: 'optional', status: { response: 'none' }, emailAddress: { address: 'maybe@example.net' } },
      ],
    })
    const retry = await graph(token, `/me/calendars/${encodeURIComponent(fake.calendarId)}/events`, { method: 'POST', body: JSON.stringify(newEvent('txn-1', 'Retried')) })
    expect([200, 201]).toContain(retry.status)
    expect((await retry.json()).id).toBe(created.id)
    expect(fake.events()).toHaveLength(1)
    await graph(token, '/me/events', { method: 'POST', body: JSON.stringify(newEvent('txn-2')) })
    expect(fake.events()).toHaveLength(2)

    const inParis = await (await graph(token, `/me/events/${encodeURIComponent(created.id)}`, { headers: { prefer: 'outlook.timezone="Europe/Paris", outlook.body-content-type="text"' } })).json()
    expect(inParis).toMatchObject({ start: { dateTime: '2030-03-04T09:00:00.0000000', timeZone: 'Europe/Paris' }, body: { contentType: 'text', content: 'Agenda' } })
    const badZone = await graph(token, '/me/events', { method: 'POST', body: JSON.stringify({ ...newEvent('txn-3'), start: { dateTime: '2030-03-04T09:00:00', timeZone: 'Mars/Olympus' } }) })
    expect(badZone.status).toBe(400)
    expect((await badZone.json()).error.code).toBe('TimeZoneNotSupportedException')
  })

  it('patches, reads attendee responses, and deletes (204, then 404 ErrorItemNotFound)', async () => {
    const { access_token: token } = await signedIn()
    const created = await (await graph(token, '/me/events', { method: 'POST', body: JSON.stringify(newEvent('txn-p')) })).json()
    const patched = await graph(token, `/me/events/${encodeURIComponent(created.id)}`, { method: 'PATCH', body: JSON.stringify({ subject: 'Renamed', start: { dateTime: '2030-03-04T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2030-03-04T11:00:00', timeZone: 'UTC' } }) })
    expect(patched.status).toBe(200)
    const after = await patched.json()
    expect(after).toMatchObject({ id: created.id, subject: 'Renamed', start: { dateTime: '2030-03-04T10:00:00.0000000' }, location: { displayName: 'Room 1' } })
    expect(after.lastModifiedDateTime > created.lastModifiedDateTime).toBe(true)
    expect(after['@odata.etag']).not.toBe(created['@odata.etag'])

    fake.respond(created.id, 'guest@example.net', 'accepted')
    const read = await (await graph(token, `/me/events/${encodeURIComponent(created.id)}`)).json()
    expect(read.attendees[0].status.response).toBe('accepted')
    expect(read.attendees[1].status.response).toBe('none')

    expect((await graph(token, `/me/events/${encodeURIComponent(created.id)}`, { method: 'DELETE' })).status).toBe(204)
    const gone = await graph(token, `/me/events/${encodeURIComponent(created.id)}`, { method: 'DELETE' })
    expect(gone.status).toBe(404)
    expect((await gone.json()).error.code).toBe('ErrorItemNotFound')
  })

  it('syncs with calendarView delta: pages by nextLink, then the deltaLink returns only changes, removals as @removed; invalidated tokens answer 410', async () => {
    const { access_token: token } = await signedIn()
    const ids: string[] = []
    for (const txn of ['d1', 'd2', 'd3']) ids.push((await (await graph(token, '/me/events', { method: 'POST', body: JSON.stringify(newEvent(txn)) })).json()).id)
    const window = new URLSearchParams({ startDateTime: '2030-03-01T00:00:00Z', endDateTime: '2030-03-31T00:00:00Z' })
    const paged = { headers: { prefer: 'odata.maxpagesize=2' } }
    const first = await (await graph(token, `/me/calendarView/delta?${window}`, paged)).json()
    expect(first.value.map((event: any) => event.id)).toEqual(ids.slice(0, 2))
    expect(first['@odata.deltaLink']).toBeUndefined()
    const second = await (await graph(token, first['@odata.nextLink'], paged)).json()
    expect(second.value.map((event: any) => event.id)).toEqual([ids[2]])
    expect(second['@odata.deltaLink']).toMatch(new RegExp(`^${fake.url}/v1\\.0/me/calendarView/delta\\?\\$deltatoken=`))
    const quiet = await (await graph(token, second['@odata.deltaLink'])).json()
    expect(quiet.value).toEqual([])

    fake.moveEvent(ids[0], new Date('2030-03-10T15:00:00Z'), new Date('2030-03-10T16:00:00Z'))
    fake.deleteEvent(ids[1])
    fake.moveEvent(ids[2], new Date('2030-05-01T15:00:00Z'), new Date('2030-05-01T16:00:00Z'))
    const changes = await (await graph(token, quiet['@odata.deltaLink'])).json()
    expect(changes.value).toEqual([
      expect.objectContaining({ id: ids[0], start: { dateTime: '2030-03-10T15:00:00.0000000', timeZone: 'UTC' } }),
      { '@odata.type': '#microsoft.graph.event', id: ids[1], '@removed': { reason: 'deleted' } },
      { '@odata.type': '#microsoft.graph.event', id: ids[2], '@removed': { reason: 'deleted' } },
    ])

    fake.invalidateDeltaTokens()
    const gone = await graph(token, changes['@odata.deltaLink'])
    expect(gone.status).toBe(410)
    expect((await gone.json()).error.code).toBe('SyncStateNotFound')
    const noWindow = await graph(token, '/me/calendarView/delta')
    expect(noWindow.status).toBe(400)
  })

  it('throttles on demand with Retry-After, refuses expired access tokens, refreshes (always a new refresh token) and answers invalid_grant once revoked', async () => {
    const { access_token: token, refresh_token: refreshToken } = await signedIn()
    fake.failNext(1, { status: 429, retryAfter: 3 })
    const throttled = await graph(token, '/me')
    expect(throttled.status).toBe(429)
    expect(throttled.headers.get('retry-after')).toBe('3')
    expect((await throttled.json()).error.code).toBe('ApplicationThrottled')
    expect((await graph(token, '/me')).status).toBe(200)
    fake.failNext(2, { status: 503 })
    expect([(await graph(token, '/me')).status, (await graph(token, '/me')).status, (await graph(token, '/me')).status]).toEqual([503, 503, 200])

    fake.expireAccessTokens()
    const expired = await graph(token, '/me')
    expect(expired.status).toBe(401)
    expect((await expired.json()).error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' })

    const refreshed = await (await tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken, scope: SCOPE })).json()
    expect(refreshed.refresh_token).toEqual(expect.any(String))
    expect(refreshed.refresh_token).not.toBe(refreshToken)
    expect((await graph(refreshed.access_token, '/me')).status).toBe(200)

    fake.revokeRefreshTokens()
    const revoked = await tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshed.refresh_token, scope: SCOPE })
    expect(revoked.status).toBe(400)
    const error = await revoked.json()
    expect(error).toMatchObject({ error: 'invalid_grant', error_codes: [70008] })
    expect(error.error_description).toMatch(/^AADSTS70008: The provided authorization code or refresh token has expired/)
  })
})
