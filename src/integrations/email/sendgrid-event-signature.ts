import { createPublicKey, createVerify, type KeyObject } from 'node:crypto'

export const SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature'
export const TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp'
/** Older signed posts are refused: a captured post cannot be replayed later. */
export const MAX_SIGNATURE_AGE_SECONDS = 300

/**
 * SendGrid's verification key as shown in its settings: base64 DER (SubjectPublicKeyInfo) of an
 * ECDSA P-256 key, or the same in PEM. Throws with a readable message when it is not such a key.
 */
export const parseSendgridPublicKey = (value: string): KeyObject => {
  const trimmed = value.trim()
  try {
    const key = trimmed.startsWith('-----BEGIN')
      ? createPublicKey(trimmed)
      : createPublicKey({ key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' })
    if (key.asymmetricKeyType !== 'ec') throw new Error(`a ${key.asymmetricKeyType} key`)
    return key
  } catch (error) {
    throw new Error(`SENDGRID_WEBHOOK_PUBLIC_KEY is not an ECDSA public key (base64 or PEM): ${(error as Error).message}`)
  }
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string }

/**
 * Verifies SendGrid's Signed Event Webhook: an ECDSA signature (base64, DER) over the timestamp header
 * followed by the raw body, made within the last five minutes (and not from the future beyond a
 * minute of clock skew).
 */
export const verifySendgridSignature = ({
  key,
  signature,
  timestamp,
  rawBody,
  now = Date.now(),
}: {
  key: KeyObject
  signature: null | string
  timestamp: null | string
  rawBody: Buffer | string
  now?: number
}): SignatureCheck => {
  if (!signature || !timestamp) return { ok: false, reason: `The post is not signed: the ${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER} headers are required.` }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'The signature timestamp is not a Unix time in seconds.' }
  const age = now / 1000 - Number(timestamp)
  if (age > MAX_SIGNATURE_AGE_SECONDS) return { ok: false, reason: `The signature is ${Math.round(age)} s old; posts older than ${MAX_SIGNATURE_AGE_SECONDS} s are refused.` }
  if (age < -60) return { ok: false, reason: 'The signature timestamp lies in the future.' }
  const verifier = createVerify('sha256')
  verifier.update(timestamp)
  verifier.update(rawBody)
  let valid = false
  try {
    valid = verifier.verify(key, Buffer.from(signature, 'base64'))
  } catch {
    valid = false
  }
  return valid ? { ok: true } : { ok: false, reason: 'The signature does not match the body and timestamp.' }
}
