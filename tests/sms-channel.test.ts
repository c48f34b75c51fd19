import { describe, expect, it } from 'vitest'

import { describeTwilioDeliveryError, isTwilioStatus, twilioStatusOutcome } from '@/integrations/sms'
import { smsChannel, smsStatusCallbackUrl } from '@/services/sending/channels/sms-channel'
import { smsAddressOf } from '@/services/sms/insert-sms-recipients'
import type { SmsContext } from '@/services/sms/load-sms-context'
import { resolveSmsSettings } from '@/services/sms/resolve-sms-settings'
import { renderSmsText } from '@/services/templates/render-template'
import { buildTemplateVariables } from '@/services/templates/template-variables'

describe('smsAddressOf: where a contact’s SMS goes', () => {
  it.each([
    ['+44 7400 123456', null, { status: 'pending', address: '+447400123456' }],
    ['07400 123456', 'GB', { status: 'pending', address: '+447400123456' }],
    ['0044 7400 123456', null, { status: 'pending', address: '+447400123456' }],
    ['(415) 555-0102', 'US', { status: 'pending', address: '+14155550102' }],
    [null, 'GB', { status: 'excluded', reason: 'No mobile number' }],
    ['   ', 'GB', { status: 'excluded', reason: 'No mobile number' }],
    ['07400 123456', null, { status: 'excluded', reason: expect.stringMatching(/^Not a valid mobile number: it has no country code/) }],
    ['12345', 'US', { status: 'excluded', reason: expect.stringMatching(/^Not a valid mobile number: it is too short/) }],
    ['+44 20 7946 0000', null, { status: 'excluded', reason: 'Not a mobile number (fixed line)' }],
    ['+44 800 123 4567', null, { status: 'excluded', reason: 'Not a mobile number (toll free)' }],
  ] as const)('%j in %s', (phone, country, expected) => {
    expect(smsAddressOf(phone, country)).toEqual(expected)
  })
})

describe('Twilio statuses', () => {
  it('map onto what they say of a message, forwards', () => {
    expect(['queued', 'accepted', 'sending', 'scheduled'].map((s) => twilioStatusOutcome(s as never))).toEqual(['progress', 'progress', 'progress', 'progress'])
    expect(twilioStatusOutcome('sent')).toBe('sent')
    expect(twilioStatusOutcome('delivered')).toBe('delivered')
    expect(twilioStatusOutcome('read')).toBe('delivered')
    expect(['undelivered', 'failed', 'canceled'].map((s) => twilioStatusOutcome(s as never))).toEqual(['failed', 'failed', 'failed'])
    expect(isTwilioStatus('delivered')).toBe(true)
    expect(isTwilioStatus('Delivered')).toBe(false)
    expect(isTwilioStatus('exploded')).toBe(false)
  })

  it('say why a message failed in a sentence with its code, and which numbers get nothing more', () => {
    expect(describeTwilioDeliveryError('undelivered', '30005')).toEqual({ sentence: 'The number is unknown or no longer in service (30005).', suppress: 'bounce' })
    expect(describeTwilioDeliveryError('undelivered', '30006').suppress).toBe('bounce')
    expect(describeTwilioDeliveryError('failed', '21610')).toEqual({ sentence: 'The recipient has replied STOP to this sender (21610).', suppress: 'unsubscribe' })
    expect(describeTwilioDeliveryError('undelivered', '30003')).toEqual({ sentence: expect.stringMatching(/unreachable/), suppress: null })
    expect(describeTwilioDeliveryError('failed', '99999')).toEqual({ sentence: 'Twilio reports the message failed (99999).', suppress: null })
    // Whatever arrives in ErrorCode, only digits are repeated back.
    expect(describeTwilioDeliveryError('failed', '<script>')).toEqual({ sentence: 'Twilio reports the message failed.', suppress: null })
  })
})

describe('SMS messages', () => {
  const context = (settings: Record<string, unknown> = {}): SmsContext => ({
    payload: null as never,
    jobID: 7,
    org: { id: 3, name: 'Corner Shop', postalAddress: null, authTokenEncrypted: null },
    settings: { ...resolveSmsSettings({ sms: { provider: 'twilio', twilioAccountSid: 'AC1', fromNumber: '+14155550100', optOutLine: 'Text STOP to end' } }, {}), ...settings },
    template: { smsBody: 'Hi {{first_name}}{{#if last_name}} {{last_name}}{{/if}} & co, <b>{{org_name}}</b> opens at 9.\r\n{{opt_out_line}}' },
  })
  const recipient = { id: 42, email: '+14155550123', contactID: 9, attempts: 1, claimToken: 't', contact: { firstName: 'Ada', lastName: null, phone: '+1 415 555 0123' } }
  const transport = { kind: 'twilio', maxInFlight: 4 } as never

  it('are the approved text with the recipient’s values, never HTML-escaped, with the org’s opt-out line', () => {
    const saved = process.env.SITE_URL
    delete process.env.SITE_URL
    let message
    try {
      ;[message] = smsChannel.buildMessages(context(), [recipient], transport)
    } finally {
      if (saved !== undefined) process.env.SITE_URL = saved
    }
    expect(message).toEqual({
      to: '+14155550123',
      from: '+14155550100',
      body: 'Hi Ada & co, <b>Corner Shop</b> opens at 9.\nText STOP to end',
      statusCallback: undefined,
      reference: '42',
    })
  })

  it('go from the Messaging Service when there is one, and ask for status callbacks at SITE_URL', () => {
    const saved = process.env.SITE_URL
    process.env.SITE_URL = 'https://outpost.example.org/'
    try {
      const [message] = smsChannel.buildMessages(context({ messagingServiceSid: `MG${'a'.repeat(32)}` }), [recipient], transport)
      expect(message).toEqual(expect.objectContaining({ messagingServiceSid: `MG${'a'.repeat(32)}`, statusCallback: 'https://outpost.example.org/api/callbacks/twilio/status' }))
      expect(message).not.toHaveProperty('from')
    } finally {
      if (saved === undefined) delete process.env.SITE_URL
      else process.env.SITE_URL = saved
    }
    expect(smsStatusCallbackUrl({})).toBeUndefined()
  })

  it('a carrier opt-out (21610) suppresses the number for SMS; other refusals suppress nothing', () => {
    const optedOut = smsChannel.rejectedAddress!(context(), recipient, { message: 'Replied STOP', kind: 'permanent', providerCode: '21610', addressRejected: true } as never)
    expect(optedOut).toEqual(expect.objectContaining({ org: 3, channel: 'sms', address: '+14155550123', reason: 'unsubscribe', status: 'active' }))
    expect(smsChannel.rejectedAddress!(context(), recipient, { message: 'Invalid', kind: 'permanent', providerCode: '21211', addressRejected: false } as never)).toBeNull()
  })

  it('renderSmsText leaves the default opt-out line when the org has none', () => {
    const variables = buildTemplateVariables({ contact: { firstName: 'Bo' }, org: { name: 'Shop' }, unsubscribeUrl: '' })
    expect(renderSmsText('Hi {{first_name}}. {{opt_out_line}}  ', variables)).toBe('Hi Bo. Reply STOP to opt out')
  })
})

describe('resolveSmsSettings', () => {
  it('takes the org’s account and rates, else the environment’s, else Twilio’s one a second', () => {
    expect(resolveSmsSettings({}, {})).toEqual(expect.objectContaining({ provider: 'outbox', perSecondLimit: null, perMinuteLimit: 600, optOutLine: 'Reply STOP to opt out' }))
    expect(resolveSmsSettings({ sms: { provider: 'twilio' } }, {})).toEqual(expect.objectContaining({ provider: 'twilio', perSecondLimit: 1, accountSid: null, hasAuthToken: false }))
    expect(resolveSmsSettings({ sms: { provider: 'twilio' } }, { SMS_PER_SECOND_LIMIT: '10', TWILIO_ACCOUNT_SID: 'AC9', TWILIO_AUTH_TOKEN: 'x' })).toEqual(
      expect.objectContaining({ perSecondLimit: 10, accountSid: 'AC9', hasAuthToken: true }),
    )
    expect(resolveSmsSettings({ sms: { provider: 'twilio', perSecondLimit: 3, perMinuteLimit: 90, defaultCountry: 'gb' } }, { SMS_PER_SECOND_LIMIT: '10' })).toEqual(
      expect.objectContaining({ perSecondLimit: 3, perMinuteLimit: 90, defaultCountry: 'GB' }),
    )
  })
})
