import { createSendGridTransport } from './sendgrid-transport'
import { createSmtpTransport } from './smtp-transport'
import type { EmailTransport, SmtpSettings } from './types'

export type { BatchResult, EmailTransport, OutgoingEmail, SendResult, SmtpSettings } from './types'
export { EmailSendError } from './types'
export { applySubstitutions } from './apply-substitutions'
export { createSendGridTransport, type SendGridSettings } from './sendgrid-transport'
export { createSmtpTransport } from './smtp-transport'

type Env = Record<string, string | undefined>

export type EmailTransportConfig = { provider: 'smtp'; smtp: SmtpSettings } | { provider: 'sendgrid'; apiKey: string }

/**
 * The transport for one provider configuration. SENDGRID_API_BASE_URL (read here and nowhere else)
 * points SendGrid at another origin, e.g. a loopback fake in tests.
 */
export const createEmailTransport = (config: EmailTransportConfig, env: Env = process.env): EmailTransport => {
  switch (config.provider) {
    case 'smtp':
      return createSmtpTransport(config.smtp)
    case 'sendgrid':
      return createSendGridTransport({ apiKey: config.apiKey, baseUrl: env.SENDGRID_API_BASE_URL || undefined })
  }
}

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
 * The transport for Outpost-level mail (alerts): SMTP from the SMTP_* environment. Returns null when
 * no SMTP server is configured.
 */
export const createEnvEmailTransport = (env: Env = process.env): EmailTransport | null => {
  const settings = smtpSettingsFromEnv(env)
  return settings ? createSmtpTransport({ ...settings, pool: { maxConnections: 2 } }) : null
}
