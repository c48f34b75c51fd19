import { createHash } from 'node:crypto'

import { ConfigError, isDevelopmentLike, resolvePayloadSecret } from '../config/server-env'
import { type FernetKey, fernetDecrypt, fernetEncrypt, parseFernetKey } from './fernet'

type Env = Record<string, string | undefined>

/**
 * The key provider credentials are encrypted with. Production requires a valid FERNET_KEY and refuses
 * to start without one; development and tests derive a stable key from PAYLOAD_SECRET.
 */
export const resolveFernetKey = (env: Env = process.env): FernetKey => {
  const configured = env.FERNET_KEY?.trim()
  if (configured) {
    try {
      return parseFernetKey(configured)
    } catch (error) {
      throw new ConfigError(`FERNET_KEY is invalid: ${(error as Error).message}`)
    }
  }
  if (isDevelopmentLike(env) || env.NEXT_PHASE === 'phase-production-build') {
    const derived = createHash('sha256').update(`outpost-fernet:${resolvePayloadSecret(env)}`).digest()
    return { signing: derived.subarray(0, 16), encryption: derived.subarray(16) }
  }
  throw new ConfigError(
    'FERNET_KEY is not set. Outpost refuses to start in production without it: generate one with ' +
      `node -e "console.log(require('crypto').randomBytes(32).toString('base64url')+'=')"`,
  )
}

let cached: FernetKey | null = null
const key = () => (cached ??= resolveFernetKey())

export const encryptSecret = (plaintext: string): string => fernetEncrypt(key(), plaintext)
export const decryptSecret = (token: string): string => fernetDecrypt(key(), token)
