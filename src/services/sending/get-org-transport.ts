import { createHash } from 'node:crypto'

import { createEmailTransport, type EmailTransport } from '@/integrations/email'
import { outboundPolicyFromEnv } from '@/integrations/outbound/outbound-policy'

import { envNumber } from '../config/server-env'
import { decryptSecret } from '../crypto/secrets'
import type { SendContext } from './load-send-context'

type TransportConfig = Parameters<typeof createEmailTransport>[0]

// One pooled transport per distinct provider configuration, reused across batches and jobs.
const transports = new Map<string, EmailTransport>()
const MAX_TRANSPORTS = 50

export class TransportConfigError extends Error {}

/** A stored credential, or a clear configuration error when it can no longer be read (e.g. FERNET_KEY changed). */
const readSecret = (token: string, what: string): string => {
  try {
    return decryptSecret(token)
  } catch {
    throw new TransportConfigError(`The stored ${what} can no longer be read (was FERNET_KEY changed?): enter it again in the organisation’s sending settings.`)
  }
}

/** The provider configuration a job sends through: its snapshot's choices plus the org's stored secrets (or the environment's). */
export const resolveTransportConfig = (context: Pick<SendContext, 'org' | 'settings'>, env = process.env): TransportConfig => {
  const { settings, org } = context
  if (settings.provider === 'sendgrid') {
    const stored = org.sending?.sendgridApiKeyEncrypted
    const apiKey = stored ? readSecret(stored, 'SendGrid API key') : env.SENDGRID_API_KEY
    if (!apiKey) throw new TransportConfigError('SendGrid is chosen but no API key is set: add one in the organisation’s sending settings or set SENDGRID_API_KEY.')
    return { provider: 'sendgrid', apiKey }
  }
  if (!settings.smtp.host) throw new TransportConfigError('No mail server is configured: set an SMTP host in the organisation’s sending settings or SMTP_HOST.')
  const stored = org.sending?.smtpPasswordEncrypted
  return {
    provider: 'smtp',
    smtp: {
      host: settings.smtp.host,
      port: settings.smtp.port,
      secure: settings.smtp.secure,
      user: settings.smtp.user ?? undefined,
      password: stored ? readSecret(stored, 'SMTP password') : env.SMTP_PASSWORD || undefined,
      pool: { maxConnections: envNumber('SMTP_POOL_CONNECTIONS', 5, { min: 1, env }) },
      // A host the org typed in reaches only public addresses unless the operator allows more; the
      // server's own SMTP_HOST (the operator's choice) is trusted.
      outbound: env.SMTP_HOST && settings.smtp.host === env.SMTP_HOST ? undefined : outboundPolicyFromEnv(env),
    },
  }
}

/** The shared transport for this configuration, created on first use. */
export const getOrgTransport = (context: Pick<SendContext, 'org' | 'settings'>, env = process.env): EmailTransport => {
  const config = resolveTransportConfig(context, env)
  const key = createHash('sha256').update(JSON.stringify([config, env.SENDGRID_API_BASE_URL ?? ''])).digest('hex')
  let transport = transports.get(key)
  if (!transport) {
    if (transports.size >= MAX_TRANSPORTS) {
      const [oldestKey, oldest] = transports.entries().next().value as [string, EmailTransport]
      transports.delete(oldestKey)
      void oldest.close()
    }
    transport = createEmailTransport(config, env)
    transports.set(key, transport)
  }
  return transport
}

/** Closes every pooled transport (worker shutdown, tests). */
export const closeOrgTransports = async (): Promise<void> => {
  const all = [...transports.values()]
  transports.clear()
  await Promise.all(all.map((t) => t.close()))
}
