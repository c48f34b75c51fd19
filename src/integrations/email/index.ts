import { createSmtpTransport } from './smtp-transport'
import type { EmailTransport, SmtpSettings } from './types'

export type { EmailTransport, OutgoingEmail, SendResult } from './types'
export { EmailSendError } from './types'

type Env = Record<string, string | undefined>

/** The SMTP server named by SMTP_* (null without SMTP_HOST): the one place these variables are read. */
export const smtpSettingsFromEnv = (env: Env = process.env): null | SmtpSettings =>
  env.SMTP_HOST
    ? {
        host: env.SMTP_HOST,
        port: Number(env.SMTP_PORT || 587),
        secure: env.SMTP_SECURE === 'true',
        user: env.SMTP_USER || undefined,
        password: env.SMTP_PASSWORD || undefined,
      }
    : null

/**
 * The transport for Outpost-level mail (template test sends until per-org providers are wired):
 * SMTP from the SMTP_* environment. Returns null when no SMTP server is configured.
 */
export const createEnvEmailTransport = (env: Env = process.env): EmailTransport | null => {
  const settings = smtpSettingsFromEnv(env)
  return settings ? createSmtpTransport({ ...settings, pool: { maxConnections: 2 } }) : null
}
