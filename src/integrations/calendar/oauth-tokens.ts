import type { OAuthConfig } from './oauth-config'

export type TokenAnswer = { accessToken: string; refreshToken: null | string; expiresAt: Date | null }

/** An OAuth failure at the token endpoint, as a sentence with the provider's error code. */
export class OAuthTokenError extends Error {
  constructor(
    message: string,
    readonly oauthError: null | string,
    readonly status: null | number,
  ) {
    super(message)
    this.name = 'OAuthTokenError'
  }
}

/**
 * POSTs a grant to the provider's token endpoint (form-encoded, client id and secret in the body, as both
 * Google and Microsoft accept) and reads the tokens; an error answer becomes an OAuthTokenError whose
 * sentence never repeats the provider's raw body.
 */
export const requestTokens = async (config: OAuthConfig, grant: Record<string, string>): Promise<TokenAnswer> => {
  let res: Response
  try {
    // The operator's endpoints (env), not an org's: no outbound policy applies.
    res = await fetch(config.tokenURL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: config.clientID, client_secret: config.clientSecret, ...grant }).toString(),
      signal: AbortSignal.timeout(15_000),
    })
  } catch {
    throw new OAuthTokenError(`${config.provider === 'google' ? 'Google' : 'Microsoft'} could not be reached to sign in.`, null, null)
  }
  const body = (await res.json().catch(() => null)) as null | { access_token?: string; refresh_token?: string; expires_in?: number; error?: string }
  if (!res.ok || !body?.access_token) {
    const code = typeof body?.error === 'string' ? body.error.slice(0, 60) : null
    const who = config.provider === 'google' ? 'Google' : 'Microsoft'
    const sentence = code === 'invalid_grant' ? `${who} refused the sign-in: it was revoked or has expired (invalid_grant).` : `${who} refused the sign-in (${code ?? `HTTP ${res.status}`}).`
    throw new OAuthTokenError(sentence, code, res.status)
  }
  return { accessToken: body.access_token, refreshToken: body.refresh_token ?? null, expiresAt: body.expires_in ? new Date(Date.now() + body.expires_in * 1000) : null }
}
