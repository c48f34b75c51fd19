import type { PayloadRequest } from 'payload'

import { hasOrgPermission, isSuperAdmin, relationID } from '@/access/orgAccess'
import { inTransaction } from '@/db/transaction'

import { recordAudit } from '../audit/record-audit'
import { AppError } from '../errors/app-error'

export type ReviewDecision = 'confirm' | 'dismiss'

export type ReviewResult = { id: number; status: 'active' | 'lifted'; note: null | string }

/**
 * Decides one candidate of the review queue (`pending_review`), as the user of `req`: `confirm` makes
 * it an active suppression (or, when the address is already actively suppressed, closes it as a
 * duplicate), `dismiss` lifts it with the reviewer's reason. Approvers and admins of the entry's org
 * may decide (`suppressions.review`); the global list is the super admin's. Audited.
 */
export const reviewSuppression = async ({ req, id, decision, note }: { req: PayloadRequest; id: number; decision: ReviewDecision; note?: unknown }): Promise<ReviewResult> => {
  if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in to review suppressions.')
  const reason = typeof note === 'string' ? note.trim().slice(0, 1000) : ''
  if (decision === 'dismiss' && !reason) throw new AppError('INVALID_INPUT', 'Say why the candidate is dismissed (note).')
  // Reading through access control: another org's entry does not exist for this user.
  const entry = await req.payload.findByID({ collection: 'suppressions', id, depth: 0, req, user: req.user, overrideAccess: false, disableErrors: true })
  if (!entry) throw new AppError('NOT_FOUND', 'No such suppression, or you cannot see it.')
  const org = relationID(entry.org) ?? null
  const allowed = org === null ? isSuperAdmin(req.user) : hasOrgPermission(req.user, org, 'suppressions.review')
  if (!allowed) throw new AppError('FORBIDDEN', 'Your role cannot review suppressions in this organisation.')

  const result = await inTransaction(req.payload, async (client): Promise<ReviewResult> => {
    const locked = await client.query<{ status: string }>('SELECT status::text FROM suppressions WHERE id = $1 FOR NO KEY UPDATE', [id])
    if (locked.rows[0]?.status !== 'pending_review') {
      throw new AppError('CONFLICT', `This suppression is ${String(locked.rows[0]?.status ?? 'gone').replace('_', ' ')}, not waiting for review.`)
    }
    // Only a confirmation can collide with an active entry of the same address.
    const alreadyActive = async () =>
      Boolean(
        (
          await client.query(
            `SELECT 1 FROM suppressions WHERE coalesce(org_id, 0) = coalesce($1::int, 0) AND channel = $2 AND address = $3 AND status = 'active'`,
            [org, entry.channel, entry.address],
          )
        ).rowCount,
      )
    const duplicate = decision === 'confirm' && (await alreadyActive())
    const status = decision === 'confirm' && !duplicate ? 'active' : 'lifted'
    const finalNote = duplicate ? `Confirmed; the address was already suppressed.${reason ? ` ${reason}` : ''}` : reason || entry.note || null
    await client.query(`UPDATE suppressions SET status = $2, note = $3, updated_at = now() WHERE id = $1`, [id, status, finalNote])
    return { id, status, note: finalNote }
  })
  await recordAudit(req, {
    action: decision === 'confirm' ? 'suppression.confirm' : 'suppression.dismiss',
    org,
    target: { collection: 'suppressions', id },
    summary: `${decision === 'confirm' ? 'Confirmed' : 'Dismissed'} review candidate ${entry.address} (${entry.reason}, ${entry.channel})${result.note ? `: ${result.note.slice(0, 120)}` : ''}`,
  })
  return result
}
