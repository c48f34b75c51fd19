import { createHash } from 'node:crypto'

import { createOutboxTransport, createTwilioTransport, type SmsTransport } from '@/integrations/sms'

import { envNumber } from '../config/server-env'
import { decryptSecret } from '../crypto/secrets'
import { TransportConfigError } from '../sending/get-org-transport'
import type { SmsContext } from './load-sms-context'
import { storeOutboxMessages } from './store-outbox-messages'

// One transport per provider account, reused across batches and jobs (its in-flight limit is per process).
const transports = new Map<string, SmsTransport>()
const MAX_TRANSPORTS = 50

const cached = (key: string, create: () => SmsTransport): SmsTransport => {
  let transport = transports.get(key)
  if (!transport) {
    if (transports.size >= MAX_TRANSPORTS) transports.delete(transports.keys().next().value as string)
    transport = create()
    transports.set(key, transport)
  }
  return transport
}

/**
 * The SMS transport of a job's provider account: the org's outbox, or Twilio with the org's account SID
 * and auth token (else TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN). TWILIO_API_BASE_URL points it elsewhere
 * (a loopback fake in tests); it is the operator's setting, so no outbound policy applies to it.
 */
export const getSmsTransport = (context: SmsContext, env = process.env): SmsTransport => {
  const { settings, org } = context
  if (settings.provider === 'outbox') {
    return cached(`outbox:${org.id}`, () => createOutboxTransport({ store: (messages) => storeOutboxMessages({ payload: context.payload, org: org.id, messages }) }))
  }
  if (!settings.accountSid) throw new TransportConfigError('Twilio is chosen but no account SID is set: add it in the organisation’s SMS settings or set TWILIO_ACCOUNT_SID.')
  if (!settings.fromNumber && !settings.messagingServiceSid) {
    throw new TransportConfigError('Twilio is chosen but no sender is set: add a sender number or a Messaging Service SID in the organisation’s SMS settings.')
  }
  let authToken = env.TWILIO_AUTH_TOKEN || null
  if (org.authTokenEncrypted) {
    try {
      authToken = decryptSecret(org.authTokenEncrypted)
    } catch {
      throw new TransportConfigError('The stored Twilio auth token can no longer be read (was FERNET_KEY changed?): enter it again in the organisation’s SMS settings.')
    }
  }
  if (!authToken) throw new TransportConfigError('Twilio is chosen but no auth token is set: add it in the organisation’s SMS settings or set TWILIO_AUTH_TOKEN.')
  const config = { accountSid: settings.accountSid, authToken, baseUrl: env.TWILIO_API_BASE_URL || undefined, concurrency: Math.floor(envNumber('TWILIO_CONCURRENCY', 4, { min: 1, env })) }
  const key = createHash('sha256').update(JSON.stringify(config)).digest('hex')
  return cached(`twilio:${key}`, () => createTwilioTransport(config))
}
