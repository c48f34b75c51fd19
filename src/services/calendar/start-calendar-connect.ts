import { createHash, randomBytes } from 'node:crypto'

import type { Payload, PayloadRequest } from 'payload'

import { hasOrgPermission, isSuperAdmin } from '@/access/orgAccess'
import { MISSING_SETUP, oauthConfig, redirectURI } from '@/integrations/calendar/oauth-config'
import type { CalendarProvider } from '@/integrations/calendar/types'

import { encryptSecret } from '../crypto/secrets'
import { AppError } from '../errors/app-error'

export type ConnectState = { u: number; o: number; p: CalendarProvider; s: boolean; v: string }

/**
 * The provider's consent URL for connecting a calendar (OAuth 2.0 code flow with PKCE S256, offline
 * access). The PKCE verifier travels inside `state`, Fernet-encrypted (so neither the provider nor the
 * browser can read it) and valid for 15 minutes, bound to the user who started. A personal calendar
 * needs `calendars.connect` in the org; the org's shared one `calendars.shared`. Without the provider's
 * client id and secret on the server, a 400 that says what to set.
 */
export const startCalendarConnect = async ({
  payload,
  user,
  org,
  provider,
  shared,
}: {
  payload: Payload
  user: PayloadRequest['user']
  org: number
  provider: CalendarProvider
  shared: boolean
}): Promise<string> => {
  if (!user) throw new AppError('UNAUTHORIZED', 'Log in to connect a calendar.')
  const visible = await payload.count({ collection: 'organizations', where: { id: { equals: org } }, user, overrideAccess: false })
  if (visible.totalDocs === 0) throw new AppError('NOT_FOUND', 'No such organisation, or you are not a member of it.')
  const action = shared ? 'calendars.shared' : 'calendars.connect'
  if (!isSuperAdmin(user) && !hasOrgPermission(user, org, action)) {
    throw new AppError('FORBIDDEN', shared ? 'Only an admin of the organisation connects its shared calendar.' : 'Your role cannot connect a calendar to bookings in this organisation.')
  }
  const config = oauthConfig(provider)
  if (!config) throw new AppError('INVALID_INPUT', MISSING_SETUP[provider])
  const verifier = randomBytes(32).toString('base64url')
  const state = encryptSecret(JSON.stringify({ u: Number(user.id), o: org, p: provider, s: shared, v: verifier } satisfies ConnectState))
  const url = new URL(config.authorizeURL)
  const params = {
    client_id: config.clientID,
    redirect_uri: redirectURI(provider),
    response_type: 'code',
    scope: config.scopes.join(' '),
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...config.extra,
  }
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  return url.toString()
}
