import { describe, expect, it } from 'vitest'

import { requestIP } from '@/services/audit/record-audit'

const req = (headers: Record<string, string>) => ({ headers: new Headers(headers) })

describe('the audit log’s request IP', () => {
  it('takes the entry our proxy appended, not the one the client sent', () => {
    expect(requestIP(req({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7' }), 1)).toBe('203.0.113.7')
    expect(requestIP(req({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.2' }), 2)).toBe('203.0.113.7')
    expect(requestIP(req({ 'x-forwarded-for': '203.0.113.7' }), 3)).toBe('203.0.113.7')
    expect(requestIP(req({ 'x-forwarded-for': ' , ' }), 1)).toBeNull()
  })

  it('falls back to X-Real-IP, and trusts no header at all with zero hops', () => {
    expect(requestIP(req({ 'x-real-ip': '198.51.100.1' }), 1)).toBe('198.51.100.1')
    expect(requestIP(req({ 'x-forwarded-for': '203.0.113.7', 'x-real-ip': '198.51.100.1' }), 0)).toBeNull()
    expect(requestIP(req({}), 1)).toBeNull()
  })
})
