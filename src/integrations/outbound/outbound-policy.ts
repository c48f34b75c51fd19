import { lookup } from 'node:dns/promises'
import net from 'node:net'

/**
 * Where Outpost may open connections that an organisation configures (its SMTP host, and every provider
 * URL an org can set later). Public internet addresses only, unless the operator allows named hosts or
 * ranges with OUTBOUND_ALLOWED_HOSTS (an on-premise relay, a loopback sink in development). The check
 * runs on the addresses a name resolves to, and the caller connects to the address that was checked,
 * so a name that resolves differently a moment later (DNS rebinding) gains nothing.
 */
export type OutboundPolicy = {
  /** Host names allowed whatever they resolve to (lower-case). */
  hosts: ReadonlySet<string>
  /** Addresses and ranges allowed although private. */
  ranges: net.BlockList
  /** The policy as configured, for messages and cache keys. */
  describe: string
}

/** Not on the public internet: loopback, private, link-local (cloud metadata), shared, reserved and documentation ranges. */
const INTERNAL = new net.BlockList()
for (const [address, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) INTERNAL.addSubnet(address, prefix, 'ipv4')
for (const [address, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 32], ['2001:db8::', 32], ['2002::', 16],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) INTERNAL.addSubnet(address, prefix, 'ipv6')

const familyOf = (address: string): 'ipv4' | 'ipv6' => (net.isIPv4(address) ? 'ipv4' : 'ipv6')

/** An IPv4 address written as IPv6 (::ffff:10.0.0.1) is that IPv4 address. */
const unmapped = (address: string): string => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  return mapped ? mapped[1]! : address
}

export const isInternalAddress = (address: string): boolean => {
  const plain = unmapped(address)
  return INTERNAL.check(plain, familyOf(plain))
}

const DEV_DEFAULT = '127.0.0.1,::1,localhost'

/**
 * The policy from OUTBOUND_ALLOWED_HOSTS: comma-separated host names, addresses and CIDR ranges
 * (`smtp.internal,10.20.0.0/16,127.0.0.1`). Unset or empty: nothing internal in production, and the
 * loopback (the local SMTP sink) elsewhere. `none`: nothing internal anywhere.
 */
export const outboundPolicyFromEnv = (env: Record<string, string | undefined> = process.env): OutboundPolicy => {
  const raw = env.OUTBOUND_ALLOWED_HOSTS?.trim() || (env.NODE_ENV === 'production' ? '' : DEV_DEFAULT)
  const hosts = new Set<string>()
  const ranges = new net.BlockList()
  for (const entry of raw.split(',').map((item) => item.trim().toLowerCase()).filter(Boolean)) {
    if (entry === 'none') continue
    const [address, bits] = entry.split('/') as [string, string | undefined]
    if (net.isIP(address)) {
      const family = familyOf(address)
      const prefix = bits === undefined ? (family === 'ipv4' ? 32 : 128) : Number(bits)
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 'ipv4' ? 32 : 128)) throw new Error(`OUTBOUND_ALLOWED_HOSTS: "${entry}" is not an address range.`)
      ranges.addSubnet(address, prefix, family)
    } else if (/^[a-z0-9.-]+$/.test(entry)) hosts.add(entry.replace(/\.$/, ''))
    else throw new Error(`OUTBOUND_ALLOWED_HOSTS: "${entry}" is neither a host name, an address nor a range.`)
  }
  return { hosts, ranges, describe: raw }
}

/** A connection the policy refuses; its message is a sentence for the person who configured the host. */
export class OutboundRefused extends Error {
  static readonly CODE = 'EOUTBOUND'
  code = OutboundRefused.CODE
}

const allowedAddress = (address: string, policy: OutboundPolicy) => {
  const plain = unmapped(address)
  return !isInternalAddress(plain) || policy.ranges.check(plain, familyOf(plain))
}

export type Resolve = (host: string) => Promise<{ address: string }[]>
const systemResolve: Resolve = (host) => lookup(host, { all: true, verbatim: true })

/**
 * The address to connect to for `host`: resolved once, every address checked. A host that resolves to
 * any internal address the operator did not allow is refused (a name with one public and one internal
 * address must not be a way in). Named hosts on the allow-list pass whatever they resolve to.
 */
export const resolveOutboundAddress = async (host: string, policy: OutboundPolicy, resolve: Resolve = systemResolve): Promise<string> => {
  const name = host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '')
  if (net.isIP(name)) {
    if (!allowedAddress(name, policy)) {
      throw new OutboundRefused(`${host} is a private, loopback or link-local address, which Outpost does not connect to for an organisation. Ask the operator to allow it (OUTBOUND_ALLOWED_HOSTS) if it is your own server.`)
    }
    return name
  }
  let addresses: { address: string }[]
  try {
    addresses = await resolve(name)
  } catch {
    throw Object.assign(new Error(`The host name ${host} could not be resolved.`), { code: 'ENOTFOUND' })
  }
  if (!addresses.length) throw Object.assign(new Error(`The host name ${host} could not be resolved.`), { code: 'ENOTFOUND' })
  if (policy.hosts.has(name)) return addresses[0]!.address
  if (addresses.some(({ address }) => !allowedAddress(address, policy))) {
    throw new OutboundRefused(`${host} resolves to a private, loopback or link-local address, which Outpost does not connect to for an organisation. Ask the operator to allow it (OUTBOUND_ALLOWED_HOSTS) if it is your own server.`)
  }
  return addresses[0]!.address
}
