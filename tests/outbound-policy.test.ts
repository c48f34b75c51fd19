import { describe, expect, it } from 'vitest'

import { isInternalAddress, OutboundRefused, outboundPolicyFromEnv, resolveOutboundAddress } from '@/integrations/outbound/outbound-policy'

const production = (allowed?: string) => outboundPolicyFromEnv({ NODE_ENV: 'production', OUTBOUND_ALLOWED_HOSTS: allowed })
const resolver = (table: Record<string, string[]>) => async (host: string) => {
  if (!table[host]) throw new Error('ENOTFOUND')
  return table[host].map((address) => ({ address }))
}

describe('outbound policy', () => {
  it('knows the internal ranges: loopback, private, link-local (metadata), shared, reserved, IPv6 local and mapped forms', () => {
    for (const address of ['127.0.0.1', '127.9.9.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1', '64:ff9b::a9fe:a9fe']) {
      expect(isInternalAddress(address), address).toBe(true)
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isInternalAddress(address), address).toBe(false)
    }
  })

  it('refuses an internal address or a name that resolves to one, in production by default', async () => {
    const policy = production()
    await expect(resolveOutboundAddress('127.0.0.1', policy)).rejects.toBeInstanceOf(OutboundRefused)
    await expect(resolveOutboundAddress('169.254.169.254', policy)).rejects.toThrow(/private, loopback or link-local/)
    await expect(resolveOutboundAddress('[::1]', policy)).rejects.toBeInstanceOf(OutboundRefused)
    const dns = resolver({ 'metadata.google.internal': ['169.254.169.254'], 'mail.example.com': ['93.184.216.34'], 'rebind.example': ['93.184.216.34', '10.0.0.5'] })
    await expect(resolveOutboundAddress('metadata.google.internal', policy, dns)).rejects.toThrow(/resolves to a private/)
    // One public and one internal address: refused as a whole (no picking the other one later).
    await expect(resolveOutboundAddress('rebind.example', policy, dns)).rejects.toBeInstanceOf(OutboundRefused)
    // The caller connects to the address that was checked.
    expect(await resolveOutboundAddress('MAIL.example.com.', policy, dns)).toBe('93.184.216.34')
    await expect(resolveOutboundAddress('nowhere.example', policy, dns)).rejects.toMatchObject({ code: 'ENOTFOUND' })
  })

  it('lets the operator allow named hosts and ranges; development allows the loopback sink; "none" allows nothing', async () => {
    const dns = resolver({ 'relay.corp': ['10.20.0.7'], 'other.corp': ['10.30.0.1'] })
    const allowed = production('relay.corp, 192.168.5.0/24, 127.0.0.1')
    expect(await resolveOutboundAddress('relay.corp', allowed, dns)).toBe('10.20.0.7')
    expect(await resolveOutboundAddress('192.168.5.40', allowed)).toBe('192.168.5.40')
    expect(await resolveOutboundAddress('127.0.0.1', allowed)).toBe('127.0.0.1')
    await expect(resolveOutboundAddress('other.corp', allowed, dns)).rejects.toBeInstanceOf(OutboundRefused)
    await expect(resolveOutboundAddress('192.168.6.1', allowed)).rejects.toBeInstanceOf(OutboundRefused)
    expect(await resolveOutboundAddress('127.0.0.1', outboundPolicyFromEnv({ NODE_ENV: 'development' }))).toBe('127.0.0.1')
    await expect(resolveOutboundAddress('127.0.0.1', outboundPolicyFromEnv({ NODE_ENV: 'development', OUTBOUND_ALLOWED_HOSTS: 'none' }))).rejects.toBeInstanceOf(OutboundRefused)
    expect(() => production('relay corp')).toThrow(/neither a host name/)
    expect(() => production('10.0.0.0/33')).toThrow(/not an address range/)
  })
})
