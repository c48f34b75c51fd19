import { isSupportedCountry } from 'libphonenumber-js'
import type { Field } from 'payload'

import { secretFields } from '@/fields/secret'
import { parsePhoneNumber } from '@/services/contacts/parse-phone-number'

import { bounded } from './sendingSettings'

const sid = (prefix: string, what: string) => (value: null | string | undefined) =>
  !value || new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(value.trim()) ? true : `${what} is "${prefix}" followed by 32 hexadecimal characters, as Twilio’s console shows it.`

const e164Number = (value: null | string | undefined) => {
  if (!value) return true
  const parsed = parsePhoneNumber(value)
  if (!parsed.ok) return `"${value}" is not a phone number we can use: ${parsed.reason}.`
  return parsed.e164 === value.trim() ? true : `Write the number in E.164, as ${parsed.e164}.`
}

/** Per-org SMS settings: the provider account, the sender, the rates and the texts sent back to people. */
export const smsSettings: Field = {
  name: 'sms',
  type: 'group',
  label: 'SMS settings',
  admin: { description: 'Only org admins change these; every change is audited. Without a Twilio account, messages go to the SMS outbox for you to read.' },
  fields: [
    {
      name: 'provider',
      type: 'select',
      defaultValue: 'outbox',
      options: [
        { label: 'Outbox (no provider: messages are kept here)', value: 'outbox' },
        { label: 'Twilio', value: 'twilio' },
      ],
      admin: { width: '50%' },
    },
    {
      type: 'collapsible',
      label: 'Twilio',
      admin: {
        condition: (_data, sibling) => sibling?.provider === 'twilio',
        description: 'Point the number’s “A message comes in” webhook at /api/callbacks/twilio/inbound so STOP, START and HELP work.',
      },
      fields: [
        {
          type: 'row',
          fields: [
            { name: 'twilioAccountSid', type: 'text', label: 'Account SID', maxLength: 34, validate: sid('AC', 'An account SID') },
            { name: 'fromNumber', type: 'text', label: 'Sender number', maxLength: 20, unique: true, validate: e164Number, admin: { description: 'The number people receive from and reply to, in E.164 (+447400123456).' } },
            { name: 'messagingServiceSid', type: 'text', label: 'Messaging Service SID', maxLength: 34, unique: true, validate: sid('MG', 'A Messaging Service SID'), admin: { description: 'Instead of a sender number: the service picks one.' } },
          ],
        },
        ...secretFields('twilioAuthToken', 'Twilio auth token'),
      ],
    },
    {
      type: 'row',
      fields: [
        {
          name: 'defaultCountry',
          type: 'text',
          label: 'Default country',
          maxLength: 2,
          admin: { description: 'Two letters (GB, US, FR): phone numbers written without a country code are read as this country’s.' },
          validate: (value: null | string | undefined) => (!value || isSupportedCountry(value.trim().toUpperCase()) ? true : `"${value}" is not a country code we know (two letters, e.g. GB).`),
        },
        { name: 'optOutLine', type: 'text', label: 'Opt-out line', maxLength: 60, defaultValue: 'Reply STOP to opt out', admin: { description: 'Every SMS template must contain it.' } },
      ],
    },
    {
      type: 'row',
      fields: [
        bounded('perSecondLimit', 'SMS per second', 1, 1000, 'SMS per second from this account, spread evenly across all workers (Twilio: 1 per long code, more for short codes and Messaging Services). Empty: 1 with Twilio, none for the outbox, or SMS_PER_SECOND_LIMIT.'),
        bounded('perMinuteLimit', 'SMS per minute', 1, 60_000, 'SMS per minute, spread evenly. Empty: SMS_PER_MINUTE_LIMIT or 600.'),
      ],
    },
    {
      name: 'testSms',
      type: 'ui',
      admin: { components: { Field: '@/components/SettingsTestSms#SettingsTestSms' } },
    },
    {
      name: 'helpText',
      type: 'textarea',
      label: 'Reply to HELP',
      maxLength: 320,
      admin: { description: 'Sent to someone who texts HELP or INFO. Empty: “<organisation>: reply STOP to opt out, START to opt back in.”' },
    },
  ],
}

export const SMS_AUDITED_FIELDS = ['provider', 'twilioAccountSid', 'fromNumber', 'messagingServiceSid', 'defaultCountry', 'optOutLine', 'helpText', 'perSecondLimit', 'perMinuteLimit', 'twilioAuthTokenIsSet'] as const
