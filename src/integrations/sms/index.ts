export { createOutboxTransport } from './outbox-transport'
export { computeTwilioSignature, verifyTwilioSignature } from './twilio-signature'
export { createTwilioTransport, describeTwilioError, type TwilioSettings } from './twilio-transport'
export { type OutgoingSms, SmsSendError, type SmsTransport } from './types'
