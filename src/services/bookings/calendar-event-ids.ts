import { createHash } from 'node:crypto'

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv'

/** Bytes in base32hex (RFC 4648 §7), lower case, no padding: the alphabet Google allows in event ids. */
export const base32hex = (bytes: Uint8Array): string => {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32HEX[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31]
  return out
}

/**
 * The Google Calendar event id of a booking in a connection's calendar: derived, not stored first, so a
 * create that is retried after a lost answer names the same event (Google answers 409 instead of making
 * a second one). 52 characters of [a-v0-9] (Google allows 5 to 1024).
 */
export const googleEventID = (booking: { org: number | string; id: number | string }, connection: number | string): string =>
  base32hex(createHash('sha256').update(`outpost-booking:${booking.org}:${booking.id}:${connection}`).digest())

/** Microsoft Graph's idempotency key for creating the same booking's event (`transactionId`). */
export const graphTransactionID = (booking: { org: number | string; id: number | string }, connection: number | string): string =>
  createHash('sha256').update(`outpost-booking:${booking.org}:${booking.id}:${connection}`).digest('hex').slice(0, 32)

/** The iCalendar UID of a booking's invitations, the same for every update and the cancel. */
export const bookingUID = (booking: { org: number | string; id: number | string }, domain: string): string => `booking-${booking.org}-${booking.id}@${domain}`
