import type { Payload, PayloadRequest } from 'payload'

import { oauthConfig, redirectURI } from '@/integrations/calendar/oauth-config'
import type { CalendarProvider } from '@/integrations/calendar/types'

import { recordAudit } from '../audit/record-audit'
import { fernetDecrypt } from '../crypto/fernet'
import { encryptSecret, resolveFernetKey } from '../crypto/secrets'
import { AppError } from '../errors/app-error'
import { requestTokens } from '@/integrations/calendar/oauth-tokens'
import type { ConnectState } from './start-calendar-connect'

const STATE_TTL_SECONDS = 15 * 60

/** The signed-in account's address: Google's primary calendar id, Graph's /me mail. */
const accountEmailOf = async (provider: CalendarProvider, accessToken: string, env = process.env): Promise<string> => {
  const url =
    provider === 'google'
      ? `${(env.GOOGLE_CALENDAR_ROOT_URL || 'https://www.googleapis.com/').replace(/\/?$/, '/')}calendar/v3/calendars/primary`
      : `${(env.MS_GRAPH_BASE_URL || 'https://graph.microsoft.com/v1.0').replace(/\/$/, '')}/me`
  const res = await fetch(url, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' }, signal: AbortSignal.timeout(15_000) }).catch(() => null)
  const body = (await res?.json().catch(() => null)) as null | { id?: string; mail?: string; userPrincipalName?: string }
  const email = provider === 'google' ? body?.id : (body?.mail ?? body?.userPrincipalName)
  if (!res?.ok || !email) throw new AppError('PROVIDER_REJECTED', `${provider === 'google' ? 'Google' : 'Microsoft'} did not say which account was connected; try again.`)
  return email
}

/**
 * The provider sent the person back: checks `state` (ours, unexpired, the same user and provider),
 * exchanges the code with the PKCE verifier, reads the account's address and stores the connection with
 * its tokens Fernet-encrypted (a reconnect of the same account updates it and makes it Connected again).
 * Returns the connection's id.
 */
export const completeCalendarConnect = async ({
  payload,
  req,
  provider,
  code,
  state,
  error,
}: {
  payload: Payload
  req: PayloadRequest
  provider: CalendarProvider
  code: null | string
  state: null | string
  error: null | string
}): Promise<number> => {
  const user = req.user
  if (!user) throw new AppError('UNAUTHORIZED', 'Log in, then connect the calendar again.')
  if (error) throw new AppError('INVALID_INPUT', error === 'access_denied' ? 'The calendar was not connected: access was not allowed.' : `The calendar was not connected (${error.slice(0, 60)}).`)
  if (!code || !state) throw new AppError('INVALID_INPUT', 'The sign-in came back without its code: start connecting again.')
  let parsed: ConnectState
  try {
    parsed = JSON.parse(fernetDecrypt(resolveFernetKey(), state, { ttlSeconds: STATE_TTL_SECONDS })) as ConnectState
  } catch {
    throw new AppError('INVALID_INPUT', 'This sign-in link has expired or is not ours: start connecting again.')
  }
  if (parsed.u !== Number(user.id) || parsed.p !== provider) throw new AppError('FORBIDDEN', 'This sign-in was started by someone else: start connecting again.')
  const config = oauthConfig(provider)
  if (!config) throw new AppError('INVALID_INPUT', 'This calendar provider is no longer set up on the server.')
  const tokens = await requestTokens(config, { grant_type: 'authorization_code', code, redirect_uri: redirectURI(provider), code_verifier: parsed.v }).catch((e: Error) => {
    throw new AppError('PROVIDER_REJECTED', e.message)
  })
  if (!tokens.refreshToken) throw new AppError('PROVIDER_REJECTED', 'The provider gave no refresh token, so the calendar could not stay connected: remove Outpost’s access in your account and connect again.')
  const accountEmail = await accountEmailOf(provider, tokens.accessToken)
  const data = {
    status: 'connected' as const,
    lastError: null,
    accessTokenEncrypted: encryptSecret(tokens.accessToken),
    refreshTokenEncrypted: encryptSecret(tokens.refreshToken),
    accessTokenExpiresAt: tokens.expiresAt?.toISOString() ?? null,
  }
  const existing = await payload.find({
    collection: 'calendar-connections',
    where: { and: [{ org: { equals: parsed.o } }, { provider: { equals: provider } }, { accountEmail: { equals: accountEmail } }, { owner: { equals: user.id } }] },
    depth: 0,
    limit: 1,
    overrideAccess: true,
  })
  // A system write: the user's right to connect was checked when the flow started and is bound to `state`.
  const doc = existing.docs[0]
    ? await payload.update({ collection: 'calendar-connections', id: existing.docs[0].id, data: { ...data, shared: parsed.s }, overrideAccess: true, depth: 0 })
    : await payload.create({ collection: 'calendar-connections', data: { ...data, org: parsed.o, provider, accountEmail, owner: Number(user.id), shared: parsed.s, calendarID: 'primary' }, overrideAccess: true, depth: 0 })
  await recordAudit(req, { action: 'calendar.connect', org: parsed.o, target: { collection: 'calendar-connections', id: doc.id }, summary: `Connected the ${provider === 'google' ? 'Google' : 'Microsoft'} calendar of ${accountEmail}${parsed.s ? ' as the organisation’s shared calendar' : ''}.` })
  return doc.id
}
