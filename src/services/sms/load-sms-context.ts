import type { Payload } from 'payload'

import { relationID } from '@/access/orgAccess'
import type { EmailJob } from '@/payload-types'

import type { EngineContext } from '../sending/channel-driver'
import { resolveSmsSettings, type SmsSettings } from './resolve-sms-settings'

/** What a queued SMS job sends with, fixed at queue time. */
export type SmsJobSnapshot = SmsSettings & { channel: 'sms'; template: { id: number; name: string; smsBody: string } }

export type SmsContext = EngineContext & {
  payload: Payload
  org: { id: number; name: string; postalAddress?: null | string; authTokenEncrypted: null | string }
  settings: SmsSettings
  template: { smsBody: string }
}

/** Everything a worker needs to send an SMS job, read once per run: the queue-time snapshot and the org's stored token. */
export const loadSmsContext = async (payload: Payload, job: EmailJob): Promise<SmsContext> => {
  const snapshot = job.settingsSnapshot as null | SmsJobSnapshot
  if (!snapshot?.template?.smsBody) throw new Error(`SMS job ${job.id} has no snapshot of its text; it was never queued.`)
  const org = await payload.findByID({ collection: 'organizations', id: relationID(job.org)!, depth: 0, showHiddenFields: true })
  return {
    payload,
    jobID: job.id,
    org: { id: org.id, name: org.name, postalAddress: org.postalAddress, authTokenEncrypted: org.sms?.twilioAuthTokenEncrypted ?? null },
    // The snapshot's rates and sender; an org's later settings apply to later jobs.
    settings: { ...resolveSmsSettings({}), ...snapshot },
    template: { smsBody: snapshot.template.smsBody },
  }
}
