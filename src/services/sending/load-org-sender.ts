import type { Payload } from 'payload'

import type { EmailTransport } from '@/integrations/email'

import { AppError } from '../errors/app-error'
import { getOrgTransport, TransportConfigError } from './get-org-transport'
import { resolveSendingSettings, type SendingSettings } from './resolve-sending-settings'

/**
 * The org's own way of sending, for messages outside a job (test sends): its provider and credentials
 * and its sender identity (its settings, else the environment's). Credentials are read by the system,
 * never shown. A provider that is not configured is a 400 saying what is missing.
 */
export const loadOrgSender = async (payload: Payload, orgID: number | string): Promise<{ identity: SendingSettings; transport: EmailTransport }> => {
  const org = await payload.findByID({ collection: 'organizations', id: orgID, depth: 0, showHiddenFields: true, disableErrors: true })
  if (!org) throw new AppError('NOT_FOUND', 'No such organisation.')
  const identity = resolveSendingSettings(org)
  try {
    return { identity, transport: getOrgTransport({ org, settings: identity }) }
  } catch (error) {
    if (error instanceof TransportConfigError) throw new AppError('INVALID_INPUT', `${error.message} A test cannot be sent until then.`)
    throw error
  }
}
