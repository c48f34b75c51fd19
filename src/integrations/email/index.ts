import { createSmtpTransport } from './smtp-transport'
import type { EmailTransport } from './types'

export type { EmailTransport, OutgoingEmail, SendResult } from './types'
export { EmailSendError } from './types'

type Env = Record<string, string | undefined>

/**
 * The transport for Outpost-level mail (template test sends until per-org provider settings exist):
 * SMTP from the SMTP_* environment. Returns null when no SMTP server is configured.
 */
export const createEnvEmailTransport = (env: Env = process.env): EmailTransport | null => {
  if (!env.SMTP_HOST) return null
  return createSmtpTransport({
    host: env.SMTP_HOST,
    port: Number(env.SMTP_PORT || 587),
    secure: env.SMTP_SECURE === 'true',
    user: env.SMTP_USER || undefined,
    password: env.SMTP_PASSWORD || undefined,
    pool: { maxConnections: 2 },
  })
}

export const defaultFromAddress = (env: Env = process.env) => ({
  address: env.SMTP_FROM_ADDRESS || 'outpost@localhost',
  name: env.SMTP_FROM_NAME || 'Outpost',
})
