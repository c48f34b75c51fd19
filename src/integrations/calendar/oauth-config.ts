import type { CalendarProvider } from './types'

/** The OAuth 2.0 endpoints and client of one provider, from the environment (fakes set the URLs in tests). */
export type OAuthConfig = {
  provider: CalendarProvider
  clientID: string
  clientSecret: string
  authorizeURL: string
  tokenURL: string
  scopes: string[]
  /** Extra parameters of the authorization request (offline access, consent). */
  extra: Record<string, string>
}

/** What to set for a provider, as the connect buttons say it when it is missing. */
export const MISSING_SETUP: Record<CalendarProvider, string> = {
  google: 'Google Calendar is not set up on this server: the operator sets GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (an OAuth client of type "Web application" whose redirect URI is <SITE_URL>/api/calendar-connections/callback/google).',
  microsoft:
    'Microsoft calendars are not set up on this server: the operator sets MS_CLIENT_ID, MS_CLIENT_SECRET and MS_TENANT (an app registration with the Calendars.ReadWrite and offline_access permissions and the redirect URI <SITE_URL>/api/calendar-connections/callback/microsoft).',
}

/** The provider's OAuth configuration, or null when its client id or secret is not set. */
export const oauthConfig = (provider: CalendarProvider, env: NodeJS.ProcessEnv = process.env): null | OAuthConfig => {
  if (provider === 'google') {
    if (!env.GOOGLE_CLIENT_ID || !env.GOOGLE_CLIENT_SECRET) return null
    return {
      provider,
      clientID: env.GOOGLE_CLIENT_ID,
      clientSecret: env.GOOGLE_CLIENT_SECRET,
      authorizeURL: env.GOOGLE_OAUTH_AUTHORIZE_URL || 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenURL: env.GOOGLE_OAUTH_TOKEN_URL || 'https://oauth2.googleapis.com/token',
      scopes: ['https://www.googleapis.com/auth/calendar.events', 'https://www.googleapis.com/auth/calendar.readonly'],
      extra: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
    }
  }
  if (!env.MS_CLIENT_ID || !env.MS_CLIENT_SECRET) return null
  const authority = `${(env.MS_LOGIN_BASE_URL || 'https://login.microsoftonline.com').replace(/\/$/, '')}/${env.MS_TENANT || 'common'}/oauth2/v2.0`
  return {
    provider,
    clientID: env.MS_CLIENT_ID,
    clientSecret: env.MS_CLIENT_SECRET,
    authorizeURL: `${authority}/authorize`,
    tokenURL: `${authority}/token`,
    scopes: ['offline_access', 'openid', 'email', 'User.Read', 'Calendars.ReadWrite'],
    extra: { response_mode: 'query', prompt: 'select_account' },
  }
}

/** Where the provider sends the person back after consent. */
export const redirectURI = (provider: CalendarProvider, env: NodeJS.ProcessEnv = process.env): string =>
  `${(env.SITE_URL || 'http://localhost:3000').replace(/\/$/, '')}/api/calendar-connections/callback/${provider}`
