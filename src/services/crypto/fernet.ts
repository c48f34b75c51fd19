import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Fernet (https://github.com/fernet/spec), on node:crypto: AES-128-CBC with PKCS7 padding, then
 * HMAC-SHA256 over version ‖ timestamp ‖ IV ‖ ciphertext, url-safe base64. Compatible with Python's
 * cryptography.fernet, so keys and tokens from the system Outpost replaces keep working.
 */
const VERSION = 0x80

export class FernetError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FernetError'
  }
}

const fromBase64Url = (value: string): Buffer => Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
const toBase64Url = (value: Buffer): string => value.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')

export type FernetKey = { signing: Buffer; encryption: Buffer }

export const parseFernetKey = (key: string): FernetKey => {
  const raw = fromBase64Url(key.trim())
  if (raw.length !== 32 || toBase64Url(raw).replace(/=+$/, '') !== key.trim().replace(/=+$/, '')) {
    throw new FernetError('FERNET_KEY must be 32 bytes in url-safe base64 (44 characters), e.g. from Fernet.generate_key().')
  }
  return { signing: raw.subarray(0, 16), encryption: raw.subarray(16) }
}

export const generateFernetKey = (): string => toBase64Url(randomBytes(32))

export const fernetEncrypt = (
  key: FernetKey,
  plaintext: string,
  options: { iv?: Buffer; now?: Date } = {},
): string => {
  const iv = options.iv ?? randomBytes(16)
  const timestamp = Buffer.alloc(8)
  timestamp.writeBigUInt64BE(BigInt(Math.floor((options.now ?? new Date()).getTime() / 1000)))
  const cipher = createCipheriv('aes-128-cbc', key.encryption, iv)
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  const body = Buffer.concat([Buffer.from([VERSION]), timestamp, iv, ciphertext])
  const hmac = createHmac('sha256', key.signing).update(body).digest()
  return toBase64Url(Buffer.concat([body, hmac]))
}

export const fernetDecrypt = (key: FernetKey, token: string, options: { ttlSeconds?: number; now?: Date } = {}): string => {
  const data = fromBase64Url(token)
  if (data.length < 1 + 8 + 16 + 16 + 32 || data[0] !== VERSION || (data.length - 57) % 16 !== 0) {
    throw new FernetError('Not a Fernet token.')
  }
  const body = data.subarray(0, data.length - 32)
  const expected = createHmac('sha256', key.signing).update(body).digest()
  if (!timingSafeEqual(expected, data.subarray(data.length - 32))) throw new FernetError('Fernet token signature does not match (wrong key?).')
  if (options.ttlSeconds !== undefined) {
    const issued = Number(data.readBigUInt64BE(1))
    if (issued + options.ttlSeconds < Math.floor((options.now ?? new Date()).getTime() / 1000)) throw new FernetError('Fernet token expired.')
  }
  const decipher = createDecipheriv('aes-128-cbc', key.encryption, data.subarray(9, 25))
  try {
    return Buffer.concat([decipher.update(data.subarray(25, data.length - 32)), decipher.final()]).toString('utf8')
  } catch {
    throw new FernetError('Fernet token could not be decrypted.')
  }
}
