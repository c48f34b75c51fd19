import type { Payload } from 'payload'

import { relationID } from '@/access/orgAccess'
import { dbPool } from '@/db/pool'
import { SUPPRESSION_REASON_LABEL } from '@/components/job-detail/labels'
import type { Conversation } from '@/payload-types'

import { activeEmailSuppressionsSql } from '../sending/find-active-suppressions'
import { smsAddressOf } from '../sms/insert-sms-recipients'

export type ReplyChannel = { channel: 'email' | 'sms'; address: null | string; available: boolean; reason: null | string }

/**
 * The channels a conversation can be answered on, each with the address it would go to, or why not:
 * email needs an address that is not suppressed for email; SMS needs a mobile number (E.164, the org's
 * default country) that is not suppressed for SMS. The contact's addresses win; an unlinked thread has
 * only the sender's.
 */
export const listReplyChannels = async ({ payload, conversation }: { payload: Payload; conversation: Conversation }): Promise<ReplyChannel[]> => {
  const org = relationID(conversation.org)!
  const contactID = relationID(conversation.contact)
  const contact = contactID !== undefined ? await payload.findByID({ collection: 'contacts', id: contactID, depth: 0, disableErrors: true }) : null
  const organization = await payload.findByID({ collection: 'organizations', id: org, depth: 0, select: { sms: { defaultCountry: true } } })
  const address = conversation.address ?? ''
  const email = contact?.email ?? (address.includes('@') ? address : null)
  const phone = contact?.phone ?? (address.startsWith('+') ? address : null)
  const sms = smsAddressOf(phone, organization.sms?.defaultCountry ?? null)
  const mobile = sms.status === 'pending' ? sms.address : null

  const suppressed = async (channel: 'email' | 'sms', value: null | string) => {
    if (!value) return null
    const { rows } = await dbPool(payload).query<{ reason: string }>(`SELECT s.reason FROM ${activeEmailSuppressionsSql('$1', channel)} s WHERE s.address = $2`, [org, value])
    return rows[0]?.reason ?? null
  }
  const emailSuppressed = await suppressed('email', email)
  const smsSuppressed = await suppressed('sms', mobile)
  const why = (reason: string) => (SUPPRESSION_REASON_LABEL[reason] ?? reason).toLowerCase()
  return [
    {
      channel: 'email',
      address: email,
      available: Boolean(email) && !emailSuppressed,
      reason: !email ? 'Email: no address' : emailSuppressed ? `Email: ${why(emailSuppressed)}` : null,
    },
    {
      channel: 'sms',
      address: mobile,
      available: Boolean(mobile) && !smsSuppressed,
      reason: sms.status === 'excluded' ? `SMS: ${sms.reason.charAt(0).toLowerCase()}${sms.reason.slice(1)}` : smsSuppressed ? `SMS: ${why(smsSuppressed)}` : null,
    },
  ]
}
