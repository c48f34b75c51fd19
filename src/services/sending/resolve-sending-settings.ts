import { envNumber } from '../config/server-env'

type Env = Record<string, string | undefined>

export type SendingSettings = {
  provider: 'sendgrid' | 'smtp'
  fromName: string
  fromAddress: string
  replyTo: string | null
  /** The org's reply domain: replies go to reply+<job token>@ it, for the inbox (null: to replyTo). */
  replyDomain?: null | string
  batchSize: number
  batchDelaySeconds: number
  retryDelaySeconds: number
  maxRetries: number
  /** Messages per second of this account, paced evenly (null: only the per-minute rate applies). */
  perSecondLimit: null | number
  perMinuteLimit: number
  /** Consecutive provider failures (transient, or the account refused) after which a job pauses itself. */
  pauseAfterFailures: number
  smtp: { host: string | null; port: number; secure: boolean; user: string | null; hasPassword: boolean }
  sendgrid: { hasApiKey: boolean }
}

type OrgSending = {
  batchDelaySeconds?: null | number
  batchSize?: null | number
  fromAddress?: null | string
  fromName?: null | string
  maxRetries?: null | number
  perMinuteLimit?: null | number
  perSecondLimit?: null | number
  pauseAfterFailures?: null | number
  provider?: null | string
  replyTo?: null | string
  retryDelaySeconds?: null | number
  sendgridApiKeyEncrypted?: null | string
  smtpHost?: null | string
  smtpPasswordEncrypted?: null | string
  smtpPort?: null | number
  smtpSecure?: boolean | null
  smtpUser?: null | string
}

const pick = <T>(orgValue: null | T | undefined, fallback: T): T => (orgValue === null || orgValue === undefined || orgValue === '' ? fallback : orgValue)

/** The settings a job runs with: the org's own values, else the environment's, else built-in defaults. No secrets. */
export const resolveSendingSettings = (
  org: { name?: null | string; sending?: null | OrgSending; inbound?: null | { replyDomain?: null | string } },
  env: Env = process.env,
): SendingSettings => {
  const s = org.sending ?? {}
  return {
    provider: pick(s.provider, 'smtp') === 'sendgrid' ? 'sendgrid' : 'smtp',
    fromName: pick(s.fromName, env.SMTP_FROM_NAME || org.name || 'Outpost'),
    fromAddress: pick(s.fromAddress, env.SMTP_FROM_ADDRESS || 'outpost@localhost'),
    replyTo: pick(s.replyTo, null),
    replyDomain: org.inbound?.replyDomain?.trim() || null,
    batchSize: pick(s.batchSize, Math.floor(envNumber('EMAIL_BATCH_SIZE', 100, { min: 1, env }))),
    batchDelaySeconds: pick(s.batchDelaySeconds, envNumber('EMAIL_BATCH_DELAY_SECONDS', 1, { env })),
    retryDelaySeconds: pick(s.retryDelaySeconds, envNumber('EMAIL_RETRY_DELAY_SECONDS', 60, { min: 1, env })),
    maxRetries: pick(s.maxRetries, Math.floor(envNumber('EMAIL_MAX_RETRIES', 3, { env }))),
    // Unset, 0 or unreadable: no per-second rate (never a silent fallback that would throttle every org).
    perSecondLimit: pick(s.perSecondLimit, envNumber('OUTBOUND_PER_SECOND_LIMIT', 0, { env }) || null),
    perMinuteLimit: pick(s.perMinuteLimit, Math.floor(envNumber('OUTBOUND_PER_MINUTE_LIMIT', 600, { min: 1, env }))),
    pauseAfterFailures: pick(s.pauseAfterFailures, Math.floor(envNumber('SEND_PAUSE_AFTER_FAILURES', 20, { min: 1, env }))),
    smtp: {
      host: pick(s.smtpHost, env.SMTP_HOST || null),
      port: pick(s.smtpPort, envNumber('SMTP_PORT', 587, { env })),
      secure: s.smtpSecure ?? env.SMTP_SECURE === 'true',
      user: pick(s.smtpUser, env.SMTP_USER || null),
      hasPassword: Boolean(s.smtpPasswordEncrypted || env.SMTP_PASSWORD),
    },
    sendgrid: { hasApiKey: Boolean(s.sendgridApiKeyEncrypted || env.SENDGRID_API_KEY) },
  }
}
