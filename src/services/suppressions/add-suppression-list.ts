import type { PayloadRequest } from 'payload'

import { hasOrgPermission, isSuperAdmin } from '@/access/orgAccess'
import { dbPool } from '@/db/pool'

import { auditActorOf } from '../audit/record-audit'
import { normalizeAddress } from '../contacts/normalize-address'
import { AppError } from '../errors/app-error'
import { type SuppressionChannel, suppressAddresses, type SuppressionReason } from './suppress-addresses'

export const MAX_PASTED_ADDRESSES = 10_000

export type PastedListResult = { created: number; alreadySuppressed: number; invalid: { value: string; reason: string }[] }

/** One entry per line, comma or semicolon; `Name <a@b.c>` gives its address; blank entries are ignored. */
const splitPastedList = (text: string): string[] =>
  text
    .split(/[\n\r,;\t]+/)
    .map((entry) => entry.trim())
    .map((entry) => /<([^<>]+)>\s*$/.exec(entry)?.[1]?.trim() ?? entry)
    .filter(Boolean)

/**
 * Adds a pasted list of addresses as active suppressions of one org (or, for a super admin with no
 * org, the global list), as the user of `req`, who needs `suppressions.manage` there. Invalid entries
 * are reported one by one and nothing is lost: every valid entry is added (audited), entries already
 * suppressed are counted, and a list with no valid entry at all is a 400.
 */
export const addSuppressionList = async ({
  req,
  org,
  channel,
  text,
  reason = 'manual',
  note,
}: {
  req: PayloadRequest
  org: null | number
  channel: SuppressionChannel
  text: string
  reason?: SuppressionReason
  note?: null | string
}): Promise<PastedListResult> => {
  if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in to add suppressions.')
  if (org === null ? !isSuperAdmin(req.user) : !hasOrgPermission(req.user, org, 'suppressions.manage')) {
    throw new AppError('FORBIDDEN', org === null ? 'Only a super admin manages the global opt-out list: choose your organisation.' : 'Your role cannot manage suppressions in this organisation.')
  }
  if (org !== null) {
    // Through access control: a missing org, or one the user cannot see, is a 404 (never a foreign-key error).
    const visible = await req.payload.findByID({ collection: 'organizations', id: org, depth: 0, req, user: req.user, overrideAccess: false, disableErrors: true })
    if (!visible) throw new AppError('NOT_FOUND', 'No such organisation, or you cannot see it.')
  }
  const entries = splitPastedList(text)
  if (!entries.length) throw new AppError('INVALID_INPUT', 'Paste at least one address.')
  if (entries.length > MAX_PASTED_ADDRESSES) throw new AppError('INVALID_INPUT', `Paste at most ${MAX_PASTED_ADDRESSES} addresses at a time (got ${entries.length}).`)
  const invalid: PastedListResult['invalid'] = []
  const addresses = new Set<string>()
  for (const value of entries) {
    const address = normalizeAddress(channel, value)
    if (address === null) {
      invalid.push({ value: value.slice(0, 254), reason: channel === 'email' ? 'not a valid email address' : 'not a valid phone number' })
    } else addresses.add(address)
  }
  if (!addresses.size) throw new AppError('INVALID_INPUT', `None of the ${entries.length} entries is a valid ${channel === 'email' ? 'email address' : 'phone number'}.`, { invalid })
  const client = await dbPool(req.payload).connect()
  try {
    const created = await suppressAddresses(
      client,
      [...addresses].map((address) => ({ org, channel, address, reason, status: 'active' as const, source: 'pasted list', note: note?.trim() || null })),
      auditActorOf(req),
    )
    return { created: created.length, alreadySuppressed: addresses.size - created.length, invalid }
  } finally {
    client.release()
  }
}
