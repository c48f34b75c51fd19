/**
 * Start-up configuration that must be right before anything else runs. Refuses to start with a
 * clear message rather than run with an insecure default outside development and tests.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

const DEV_SECRET = 'outpost-development-secret-do-not-use-in-production'

type Env = Record<string, string | undefined>

const isBuildPhase = (env: Env) => env.NEXT_PHASE === 'phase-production-build'

export const isDevelopmentLike = (env: Env = process.env): boolean =>
  env.NODE_ENV === 'development' || env.NODE_ENV === 'test' || env.NODE_ENV === undefined

export const resolvePayloadSecret = (env: Env = process.env): string => {
  const secret = env.PAYLOAD_SECRET?.trim()
  if (secret) {
    if (!isDevelopmentLike(env) && secret.length < 32) {
      throw new ConfigError('PAYLOAD_SECRET must be at least 32 characters in production (try: openssl rand -hex 32).')
    }
    return secret
  }
  if (isDevelopmentLike(env) || isBuildPhase(env)) return DEV_SECRET
  throw new ConfigError(
    'PAYLOAD_SECRET is not set. Outpost refuses to start in production without it: set it to a long random value (openssl rand -hex 32).',
  )
}

/** The public origin (SITE_URL) plus any extra origins, for CORS and CSRF. */
export const allowedOrigins = (env: Env = process.env): string[] => {
  const origins = [env.SITE_URL, ...(env.CORS_ORIGINS ?? '').split(',')]
    .map((value) => value?.trim())
    .filter((value): value is string => Boolean(value))
    .map((value) => {
      try {
        return new URL(value).origin
      } catch {
        throw new ConfigError(`"${value}" in SITE_URL/CORS_ORIGINS is not a URL (expected e.g. https://outpost.example.org).`)
      }
    })
  if (origins.length === 0 && isDevelopmentLike(env)) origins.push('http://localhost:3000')
  return [...new Set(origins)]
}

/**
 * A number from the environment, or `fallback` when unset, empty, not a number, or below `min`
 * (default 0). The one reader of numeric settings (sending defaults, worker tuning).
 */
export const envNumber = (name: string, fallback: number, { min = 0, env = process.env }: { min?: number; env?: Env } = {}): number => {
  const raw = env[name]
  const value = Number(raw)
  return raw !== undefined && raw.trim() !== '' && Number.isFinite(value) && value >= min ? value : fallback
}

/**
 * The public origin for links in mail people click (invitations, import results): SITE_URL, else the
 * config's serverURL, else the development default. Never the request's Host header, which a client chooses.
 */
export const publicSiteURL = (env: Env = process.env, serverURL = ''): string => (env.SITE_URL?.trim() || serverURL.trim() || 'http://localhost:3000').replace(/\/+$/, '')
