import type { Payload } from 'payload'
import type { PoolClient } from 'pg'

import { reservedPool } from '@/db/reserved-pool'

import { AppError } from '../errors/app-error'
import { suppressAddresses } from '../suppressions/suppress-addresses'
import { type UnsubscribeClaim, verifyUnsubscribeToken } from './unsubscribe-token'

export type UnsubscribeTarget = UnsubscribeClaim & { orgName: string }

const claimOf = (token: string): UnsubscribeClaim => {
  const claim = verifyUnsubscribeToken(token)
  if (!claim) throw new AppError('INVALID_INPUT', 'This unsubscribe link is not valid. It may have been cut short by your email program: open it from the message again.')
  return claim
}

// Org names for the pages, kept a minute: a mailing's unsubscribes all name the same org.
const NAME_TTL_MS = 60_000
const names = new Map<number, { name: string; at: number }>()

const orgNameOf = async (client: PoolClient, org: number): Promise<string> => {
  const cached = names.get(org)
  if (cached && Date.now() - cached.at < NAME_TTL_MS) return cached.name
  const { rows } = await client.query<{ name: string }>('SELECT name FROM organizations WHERE id = $1', [org])
  if (!rows[0]) throw new AppError('INVALID_INPUT', 'This unsubscribe link belongs to an organisation that no longer exists.')
  if (names.size >= 1000) names.delete(names.keys().next().value as number)
  names.set(org, { name: rows[0].name, at: Date.now() })
  return rows[0].name
}

/** What a token unsubscribes (its org must exist); a bad, tampered or stale token is a 400 with a reason. */
export const resolveUnsubscribeToken = async (payload: Payload, token: string): Promise<UnsubscribeTarget> => {
  const claim = claimOf(token)
  const client = await reservedPool(payload).connect()
  try {
    return { ...claim, orgName: await orgNameOf(client, claim.org) }
  } finally {
    client.release()
  }
}

/**
 * Unsubscribes the address a signed token names from its org on its channel: an active `unsubscribe`
 * suppression, audited, which every later message of every job — also those already queued or
 * sending — honours. Idempotent and safe under simultaneous clicks: an address already suppressed
 * stays so, once.
 */
export const unsubscribeByToken = async ({ payload, token, source }: { payload: Payload; token: string; source: string }) => {
  const claim = claimOf(token)
  const client = await reservedPool(payload).connect()
  try {
    const orgName = await orgNameOf(client, claim.org)
    const created = await suppressAddresses(
      client,
      [{ org: claim.org, channel: claim.channel, address: claim.address, reason: 'unsubscribe', status: 'active', source }],
      { id: null, label: source },
    ).catch((error: unknown) => {
      // The org was deleted after its name was cached: the same answer as for an unknown org.
      if ((error as { code?: string }).code !== '23503') throw error
      names.delete(claim.org)
      throw new AppError('INVALID_INPUT', 'This unsubscribe link belongs to an organisation that no longer exists.')
    })
    return { ...claim, orgName, alreadySuppressed: created.length === 0 }
  } finally {
    client.release()
  }
}
