import { describe, expect, it } from 'vitest'

import { slugify } from '@/fields/slug'
import { isValidEmail, normalizeEmail } from '@/services/contacts/normalize-email'
import { allowedOrigins, ConfigError, resolvePayloadSecret } from '@/services/config/server-env'
import { demoContacts } from '@/seed/demo-data'

describe('PAYLOAD_SECRET', () => {
  it('refuses to start in production without it, with a clear message', () => {
    expect(() => resolvePayloadSecret({ NODE_ENV: 'production' })).toThrow(ConfigError)
    expect(() => resolvePayloadSecret({ NODE_ENV: 'production' })).toThrow(/PAYLOAD_SECRET is not set/)
    expect(() => resolvePayloadSecret({ NODE_ENV: 'production', PAYLOAD_SECRET: 'short' })).toThrow(/at least 32/)
    expect(resolvePayloadSecret({ NODE_ENV: 'production', PAYLOAD_SECRET: 'x'.repeat(32) })).toBe('x'.repeat(32))
  })

  it('falls back to a development secret in development, tests and the build step only', () => {
    expect(resolvePayloadSecret({ NODE_ENV: 'development' })).toMatch(/development/)
    expect(resolvePayloadSecret({ NODE_ENV: 'test' })).toMatch(/development/)
    expect(resolvePayloadSecret({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build' })).toMatch(/development/)
  })
})

describe('allowed origins (CORS/CSRF)', () => {
  it('come from SITE_URL and CORS_ORIGINS as origins', () => {
    expect(allowedOrigins({ NODE_ENV: 'production', SITE_URL: 'https://outpost.example.org/admin' })).toEqual([
      'https://outpost.example.org',
    ])
    expect(
      allowedOrigins({ NODE_ENV: 'production', SITE_URL: 'https://a.example', CORS_ORIGINS: 'https://b.example, https://a.example' }),
    ).toEqual(['https://a.example', 'https://b.example'])
  })
  it('default to localhost in development and to nothing in production', () => {
    expect(allowedOrigins({ NODE_ENV: 'development' })).toEqual(['http://localhost:3000'])
    expect(allowedOrigins({ NODE_ENV: 'production' })).toEqual([])
  })
  it('reject a malformed URL by name', () => {
    expect(() => allowedOrigins({ SITE_URL: 'outpost dot example' })).toThrow(/"outpost dot example"/)
  })
})

describe('contact email', () => {
  it('normalises and validates addresses', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com')
    for (const good of ['a@b.co', 'first.last+tag@sub.example.org', "o'brien@example.ie"]) expect(isValidEmail(good), good).toBe(true)
    for (const bad of ['', 'plain', 'a@b', 'a b@c.com', 'a@@b.com', '<a@b.com>', `${'x'.repeat(250)}@b.com`]) {
      expect(isValidEmail(bad), bad).toBe(false)
    }
  })
})

describe('slugify and demo data', () => {
  it('makes URL-safe slugs', () => {
    expect(slugify('  Chloé & Co. — Paris ')).toBe('chloe-co-paris')
  })
  it('demo contacts are unique, valid and deterministic', () => {
    const contacts = demoContacts(55)
    expect(new Set(contacts.map((c) => c.email)).size).toBe(55)
    expect(contacts.every((c) => isValidEmail(c.email))).toBe(true)
    expect(demoContacts(55)).toEqual(contacts)
  })
})
