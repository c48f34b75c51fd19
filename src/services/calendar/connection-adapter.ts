import type { Payload } from 'payload'

import { type CalendarAdapter, CalendarCallError, createCalendarAdapter } from '@/integrations/calendar'
import type { CalendarConnection } from '@/payload-types'
import { dbPool } from '@/db/pool'

import { decryptSecret, encryptSecret } from '../crypto/secrets'

/**
 * A connection's calendar adapter with its tokens decrypted; tokens the provider hands back (a refreshed
 * access token, a rotated refresh token) are stored encrypted again at once.
 */
/** A stored token decrypted; one that cannot be (FERNET_KEY changed, a damaged value) needs the owner to reconnect. */
const readToken = (token: null | string | undefined): string => {
  try {
    return decryptSecret(token ?? '')
  } catch {
    throw new CalendarCallError('The calendar’s stored sign-in can no longer be read (was FERNET_KEY changed?): its owner must reconnect it.', null, null, 'unreadable_token', null)
  }
}

export const connectionAdapter = (payload: Payload, connection: Pick<CalendarConnection, 'id' | 'provider' | 'calendarID' | 'accessTokenEncrypted' | 'refreshTokenEncrypted' | 'accessTokenExpiresAt'>): CalendarAdapter =>
  createCalendarAdapter(connection.provider, {
    calendarID: connection.calendarID || 'primary',
    tokens: {
      accessToken: connection.accessTokenEncrypted ? readToken(connection.accessTokenEncrypted) : null,
      refreshToken: readToken(connection.refreshTokenEncrypted),
      expiresAt: connection.accessTokenExpiresAt ? new Date(connection.accessTokenExpiresAt) : null,
    },
    onTokens: async (tokens) => {
      await dbPool(payload).query(
        `UPDATE calendar_connections SET access_token_encrypted = coalesce($2, access_token_encrypted), refresh_token_encrypted = coalesce($3, refresh_token_encrypted),
                access_token_expires_at = $4, updated_at = now() WHERE id = $1`,
        [connection.id, tokens.accessToken ? encryptSecret(tokens.accessToken) : null, tokens.refreshToken ? encryptSecret(tokens.refreshToken) : null, tokens.expiresAt ?? null],
      )
    },
  })
