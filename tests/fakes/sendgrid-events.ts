import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto'

import type { SendGridDelivery } from './sendgrid-fake'

export type SendGridEventJSON = Record<string, unknown> & { email: string; event: string; sg_event_id: string; timestamp: number }

const eventID = () => randomBytes(16).toString('base64url')

/**
 * An event as SendGrid's Event Webhook posts it for one delivered personalization: custom args are
 * flattened into the event, `sg_message_id` is the request's X-Message-Id plus a per-recipient suffix.
 */
export const sendgridEvent = (delivery: Pick<SendGridDelivery, 'customArgs' | 'messageID' | 'to'>, event: string, extra: Record<string, unknown> = {}): SendGridEventJSON => ({
  email: delivery.to,
  timestamp: Math.floor(Date.now() / 1000),
  'smtp-id': `<${delivery.messageID}@ismtpd0001p1lon1.sendgrid.net>`,
  event,
  category: ['outpost'],
  sg_event_id: eventID(),
  sg_message_id: `${delivery.messageID}.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC1B4-6.0`,
  ...delivery.customArgs,
  ...(event === 'bounce' ? { type: 'bounce', status: '5.1.1', reason: '550 5.1.1 The email account that you tried to reach does not exist.', bounce_classification: 'Invalid Address' } : {}),
  ...(event === 'dropped' ? { status: '5.0.0', reason: 'Bounced Address' } : {}),
  ...(event === 'delivered' ? { response: '250 2.0.0 OK  1600000000 x1si123 - gsmtp', ip: '168.1.1.1', tls: 1 } : {}),
  ...(event === 'click' ? { url: 'https://example.org/news', useragent: 'Mozilla/5.0' } : {}),
  ...extra,
})

/** A key pair like the one of SendGrid's Signed Event Webhook: the public half as SendGrid shows it (base64 DER). */
export const makeEventSigner = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    /** The two headers SendGrid adds to a signed post of `body`. */
    sign: (body: string, timestamp = Math.floor(Date.now() / 1000)) => ({
      'X-Twilio-Email-Event-Webhook-Signature': createSign('sha256').update(`${timestamp}${body}`).sign(privateKey).toString('base64'),
      'X-Twilio-Email-Event-Webhook-Timestamp': String(timestamp),
    }),
  }
}
