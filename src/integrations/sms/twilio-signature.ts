import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Twilio's request signature (`X-Twilio-Signature`): base64 of HMAC-SHA1, keyed with the account's auth
 * token, over the full URL Twilio called followed by every POST parameter, sorted by name, as name then
 * value with nothing between. https://www.twilio.com/docs/usage/security#validating-requests
 */
export const computeTwilioSignature = (authToken: string, url: string, params: Record<string, string | string[]>): string => {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((name) => {
        const value = params[name]!
        return (Array.isArray(value) ? [...value].sort() : [value]).map((v) => name + v).join('')
      })
      .join('')
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64')
}

/** Whether `signature` is Twilio's for this request (constant-time; a missing or malformed one is false). */
export const verifyTwilioSignature = (authToken: string, url: string, params: Record<string, string | string[]>, signature: null | string | undefined): boolean => {
  if (!signature || !authToken) return false
  const expected = Buffer.from(computeTwilioSignature(authToken, url, params))
  const given = Buffer.from(signature)
  return expected.length === given.length && timingSafeEqual(expected, given)
}
