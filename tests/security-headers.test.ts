import fs from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { API_CONTENT_SECURITY_POLICY, isMalformedPath, pageContentSecurityPolicy, staticSecurityHeaders } from '@/services/http/security-headers'

describe('security headers', () => {
  it('the pages’ policy allows scripts only with the nonce (eval only in development), nothing foreign anywhere', () => {
    const production = pageContentSecurityPolicy('abc123', { production: true })
    const directive = (name: string) => production.split('; ').find((d) => d.startsWith(`${name} `))
    expect(directive('script-src')).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'")
    expect(directive('object-src')).toBe("object-src 'none'")
    expect(directive('frame-ancestors')).toBe("frame-ancestors 'self'")
    expect(production).toContain('upgrade-insecure-requests')
    // No host, wildcard or scheme other than our own, data: and blob: is allowed to load anything.
    expect(production).not.toMatch(/https?:|\*|ws:/)
    const development = pageContentSecurityPolicy('abc123', { production: false })
    expect(development).toContain("'unsafe-eval'")
    expect(development).toContain('ws:')
  })

  it('next.config.mjs sends exactly these static headers and the API policy (it cannot import TypeScript)', () => {
    const config = fs.readFileSync(path.resolve(import.meta.dirname, '../next.config.mjs'), 'utf8')
    for (const { key, value } of staticSecurityHeaders({ production: true })) {
      expect(config, key).toContain(`{ key: '${key}', value: '${value}' }`)
    }
    expect(config).toContain(`const apiContentSecurityPolicy = "${API_CONTENT_SECURITY_POLICY}"`)
    expect(staticSecurityHeaders({ production: false }).some((h) => h.key === 'Strict-Transport-Security')).toBe(false)
  })

  it('a path with a malformed % escape is recognised', () => {
    for (const bad of ['/api/%', '/api/contacts/%E0%A4%A', '/%ZZ', '/x/%C0%AF']) expect(isMalformedPath(bad), bad).toBe(true)
    for (const good of ['/api/contacts/12', '/admin/collections/contacts', '/api/x%20y', '/%E2%9C%93']) expect(isMalformedPath(good), good).toBe(false)
  })
})
