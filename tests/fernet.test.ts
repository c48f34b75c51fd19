import { describe, expect, it } from 'vitest'

import { FernetError, fernetDecrypt, fernetEncrypt, generateFernetKey, parseFernetKey } from '@/services/crypto/fernet'

// Test vector from the Fernet specification (generate.json / verify.json).
const SPEC = {
  token: 'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==',
  now: new Date('1985-10-26T01:20:00-07:00'),
  iv: Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]),
  src: 'hello',
  secret: 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=',
}

describe('Fernet', () => {
  const key = parseFernetKey(SPEC.secret)

  it('generates the specification token', () => {
    expect(fernetEncrypt(key, SPEC.src, { iv: SPEC.iv, now: SPEC.now })).toBe(SPEC.token)
  })

  it('verifies the specification token, within its TTL', () => {
    expect(fernetDecrypt(key, SPEC.token, { ttlSeconds: 60, now: new Date(SPEC.now.getTime() + 30_000) })).toBe('hello')
    expect(() => fernetDecrypt(key, SPEC.token, { ttlSeconds: 60, now: new Date(SPEC.now.getTime() + 120_000) })).toThrow(/expired/)
  })

  it('round-trips unicode with a fresh key and refuses tampering or the wrong key', () => {
    const fresh = parseFernetKey(generateFernetKey())
    const token = fernetEncrypt(fresh, 'smtp-pässwörd ✓')
    expect(fernetDecrypt(fresh, token)).toBe('smtp-pässwörd ✓')
    const tampered = token.slice(0, 30) + (token[30] === 'A' ? 'B' : 'A') + token.slice(31)
    expect(() => fernetDecrypt(fresh, tampered)).toThrow(FernetError)
    expect(() => fernetDecrypt(key, token)).toThrow(/signature/)
    expect(() => fernetDecrypt(fresh, 'not a token')).toThrow(/Not a Fernet token/)
  })

  it('refuses malformed keys with a clear message', () => {
    for (const bad of ['', 'short', 'x'.repeat(44), SPEC.secret.slice(0, 40)]) {
      expect(() => parseFernetKey(bad), bad).toThrow(/FERNET_KEY must be 32 bytes/)
    }
  })
})

describe('FERNET_KEY at start-up', async () => {
  const { resolveFernetKey } = await import('@/services/crypto/secrets')
  it('is required and must be valid in production', () => {
    const env = { NODE_ENV: 'production', PAYLOAD_SECRET: 'x'.repeat(40) }
    expect(() => resolveFernetKey(env)).toThrow(/FERNET_KEY is not set/)
    expect(() => resolveFernetKey({ ...env, FERNET_KEY: 'nope' })).toThrow(/FERNET_KEY is invalid/)
    expect(resolveFernetKey({ ...env, FERNET_KEY: SPEC.secret }).signing).toHaveLength(16)
  })
  it('derives a stable key from PAYLOAD_SECRET in development', () => {
    const a = resolveFernetKey({ NODE_ENV: 'development', PAYLOAD_SECRET: 'dev-secret' })
    const b = resolveFernetKey({ NODE_ENV: 'development', PAYLOAD_SECRET: 'dev-secret' })
    expect(a.encryption.equals(b.encryption)).toBe(true)
  })
})
