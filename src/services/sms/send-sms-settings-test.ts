import type { PayloadRequest } from 'payload'

import { hasOrgPermission } from '@/access/orgAccess'

import { parsePhoneNumber } from '../contacts/parse-phone-number'
import { AppError } from '../errors/app-error'
import { TransportConfigError } from '../sending/get-org-transport'
import { takeSettingsTestSlot } from '../sending/send-settings-test'
import { getSmsTransport } from './get-sms-transport'
import { resolveSmsSettings } from './resolve-sms-settings'

/**
 * Sends one short SMS through the org's saved SMS settings (the outbox, or Twilio with its account and
 * sender) to the requesting admin's own mobile number (their profile's, or `to`), so they see at once
 * whether the settings work. Needs `org.settings` in that org; Twilio's refusal comes back as a 502
 * with a sentence and its code.
 */
export const sendSmsSettingsTest = async ({ req, orgID, to }: { req: PayloadRequest; orgID: number; to?: unknown }) => {
  const user = req.user
  if (!user || user.collection !== 'users') throw new AppError('UNAUTHORIZED', 'Log in to send a test.')
  const visible = await req.payload.findByID({ collection: 'organizations', id: orgID, depth: 0, req, user, overrideAccess: false, disableErrors: true })
  if (!visible) throw new AppError('NOT_FOUND', 'No such organisation, or you cannot see it.')
  if (!hasOrgPermission(user, orgID, 'org.settings')) throw new AppError('FORBIDDEN', 'Only an org admin tests the SMS settings.')
  if (to !== undefined && to !== null && typeof to !== 'string') throw new AppError('INVALID_INPUT', '`to` must be a phone number written as text.')
  const number = (typeof to === 'string' && to.trim()) || (user as { phone?: null | string }).phone || ''
  if (!number) throw new AppError('INVALID_INPUT', 'Add your mobile number to your account (or type one) to receive the test SMS.')
  const org = await req.payload.findByID({ collection: 'organizations', id: orgID, depth: 0, showHiddenFields: true })
  const settings = resolveSmsSettings(org)
  const parsed = parsePhoneNumber(number, settings.defaultCountry)
  if (!parsed.ok) throw new AppError('INVALID_INPUT', `"${number.slice(0, 40)}" is not a phone number we can text: ${parsed.reason}.`)
  if (!parsed.canReceiveSms) throw new AppError('INVALID_INPUT', `${parsed.e164} is not a mobile number, so it cannot receive SMS.`)
  takeSettingsTestSlot(`sms:${user.id}:${orgID}`)
  let transport
  try {
    transport = getSmsTransport({
      payload: req.payload,
      jobID: 0,
      org: { id: org.id, name: org.name, postalAddress: org.postalAddress, authTokenEncrypted: org.sms?.twilioAuthTokenEncrypted ?? null },
      settings,
      template: { smsBody: '' },
    })
  } catch (error) {
    if (error instanceof TransportConfigError) throw new AppError('INVALID_INPUT', error.message)
    throw error
  }
  const [result] = await transport.sendBatch([
    {
      to: parsed.e164,
      ...(settings.messagingServiceSid ? { messagingServiceSid: settings.messagingServiceSid } : { from: settings.fromNumber ?? undefined }),
      body: `Outpost test for ${visible.name}: the SMS settings work. ${settings.optOutLine}`,
    },
  ])
  if (!result?.ok) throw new AppError('PROVIDER_REJECTED', result?.error.message ?? 'The SMS could not be sent.', { providerCode: result?.error.providerCode ?? null })
  return { sentTo: parsed.e164, provider: settings.provider, providerMessageID: result.providerMessageID }
}
