import { envNumber } from '../config/server-env'
import type { EngineSettings } from '../sending/channel-driver'
import { resolveSendingSettings } from '../sending/resolve-sending-settings'
import { DEFAULT_OPT_OUT_LINE } from '../templates/template-variables'

type Env = Record<string, string | undefined>

export type SmsSettings = EngineSettings & {
  provider: 'outbox' | 'twilio'
  accountSid: null | string
  fromNumber: null | string
  messagingServiceSid: null | string
  defaultCountry: null | string
  optOutLine: string
  hasAuthToken: boolean
}

type OrgSms = {
  provider?: null | string
  twilioAccountSid?: null | string
  twilioAuthTokenEncrypted?: null | string
  fromNumber?: null | string
  messagingServiceSid?: null | string
  defaultCountry?: null | string
  optOutLine?: null | string
  perSecondLimit?: null | number
  perMinuteLimit?: null | number
}

const pick = <T>(orgValue: null | T | undefined, fallback: T): T => (orgValue === null || orgValue === undefined || orgValue === '' ? fallback : orgValue)

/**
 * The settings an SMS job runs with (no secrets): the org's SMS account and rates, else the
 * environment's (TWILIO_ACCOUNT_SID, SMS_PER_SECOND_LIMIT, SMS_PER_MINUTE_LIMIT), else defaults:
 * Twilio's 1 message a second per long code, none for the outbox. Batching, retries and the circuit
 * breaker are the org's sending settings, as for email.
 */
export const resolveSmsSettings = (org: { name?: null | string; sending?: null | object; sms?: null | OrgSms }, env: Env = process.env): SmsSettings => {
  const engine = resolveSendingSettings(org as Parameters<typeof resolveSendingSettings>[0], env)
  const s = org.sms ?? {}
  const provider = s.provider === 'twilio' ? 'twilio' : 'outbox'
  return {
    provider,
    batchSize: engine.batchSize,
    batchDelaySeconds: engine.batchDelaySeconds,
    retryDelaySeconds: engine.retryDelaySeconds,
    maxRetries: engine.maxRetries,
    pauseAfterFailures: engine.pauseAfterFailures,
    // Unset, 0 or unreadable: no per-second rate.
    perSecondLimit: pick(s.perSecondLimit, envNumber('SMS_PER_SECOND_LIMIT', provider === 'twilio' ? 1 : 0, { env }) || null),
    perMinuteLimit: pick(s.perMinuteLimit, Math.floor(envNumber('SMS_PER_MINUTE_LIMIT', 600, { min: 1, env }))),
    accountSid: pick(s.twilioAccountSid, env.TWILIO_ACCOUNT_SID || null),
    fromNumber: pick(s.fromNumber, env.TWILIO_FROM_NUMBER || null),
    messagingServiceSid: pick(s.messagingServiceSid, null),
    defaultCountry: pick(s.defaultCountry, null)?.toUpperCase() ?? null,
    optOutLine: s.optOutLine?.trim() || DEFAULT_OPT_OUT_LINE,
    hasAuthToken: Boolean(s.twilioAuthTokenEncrypted || env.TWILIO_AUTH_TOKEN),
  }
}
