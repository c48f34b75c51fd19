import type { PayloadRequest } from 'payload'

import { envNumber } from '../config/server-env'

export const AUDIT_ACTIONS = [
  'template.submit',
  'template.approve',
  'template.reject',
  'template.reset_to_draft',
  'template.test_send',
  'template.default_seeded',
  'role.change',
  'user.unlock',
  'user.invite',
  'user.invitation_resend',
  'user.invitation_revoke',
  'user.invitation_accept',
  'settings.change',
  'job.queue',
  'job.cancel',
  'job.pause',
  'job.auto_pause',
  'job.resume',
  'job.resend_unknown',
  'job.retry_failed',
  'job.complete',
  'suppression.create',
  'suppression.lift',
  'suppression.confirm',
  'suppression.dismiss',
  'import.start',
  'import.stop',
  'import.resume',
  'import.complete',
  'import.fail',
  'export.create',
  'inbound.link',
  'calendar.connect',
  'calendar.reconnect_required',
  'booking.calendar_change',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

type ID = number | string

export type AuditEntry = {
  action: AuditAction
  org?: ID | null
  target: { collection: string; id: ID }
  summary: string
  changes?: Record<string, { from: unknown; to: unknown }>
}

/**
 * The client's address as the nearest trusted proxy saw it. `X-Forwarded-For` is a list each proxy
 * appends to, so only its last `TRUSTED_PROXY_HOPS` entries (default 1: our reverse proxy's) can be
 * believed; the first entry is whatever the client chose to send.
 */
export const requestIP = (req: Pick<PayloadRequest, 'headers'>, hops = envNumber('TRUSTED_PROXY_HOPS', 1, { min: 0 })): null | string => {
  const forwarded = (req.headers?.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  if (hops > 0 && forwarded.length) return forwarded[Math.max(0, forwarded.length - hops)] ?? null
  return hops > 0 ? req.headers?.get('x-real-ip')?.trim() || null : null
}

/** Who acts in a request, as the audit log names them (a logged-in user, else `fallback`). */
export const auditActorOf = (req: PayloadRequest, fallback = 'system'): { id: null | number; label: string; ip: null | string } => {
  const actor = req.user && req.user.collection === 'users' ? req.user : null
  return { id: actor ? Number(actor.id) : null, label: actor ? String((actor as { email?: string }).email ?? actor.id) : fallback, ip: requestIP(req) }
}

/** Keeps an entry small: long values are cut, so the log stays a summary, not a copy. */
const compact = (value: unknown): unknown => {
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value
  if (value && typeof value === 'object') {
    const json = JSON.stringify(value)
    return json.length > 500 ? `${json.slice(0, 500)}…` : value
  }
  return value
}

/**
 * Appends one audit entry in the caller's transaction (pass `req`). The audit log is append-only:
 * only this system write creates entries; no API can change or delete them.
 */
export const recordAudit = async (req: PayloadRequest, entry: AuditEntry): Promise<void> => {
  const actor = auditActorOf(req)
  const changes = entry.changes
    ? Object.fromEntries(Object.entries(entry.changes).map(([k, v]) => [k, { from: compact(v.from), to: compact(v.to) }]))
    : undefined
  await req.payload.create({
    collection: 'audit-logs',
    // System write: users may never create audit entries themselves.
    overrideAccess: true,
    req,
    data: {
      action: entry.action,
      actor: actor.id,
      actorLabel: actor.label,
      org: entry.org === undefined || entry.org === null ? null : Number(entry.org),
      targetCollection: entry.target.collection,
      targetID: String(entry.target.id),
      summary: entry.summary.slice(0, 300),
      changes,
      ip: actor.ip,
    },
  })
}

/** The fields whose value differs between two versions, as {from, to}. */
export const diffFields = <T extends Record<string, unknown>>(
  before: Partial<T> | undefined,
  after: Partial<T>,
  fields: readonly (keyof T & string)[],
): Record<string, { from: unknown; to: unknown }> =>
  Object.fromEntries(
    fields
      .filter((f) => f in after && JSON.stringify(after[f] ?? null) !== JSON.stringify(before?.[f] ?? null))
      .map((f) => [f, { from: before?.[f] ?? null, to: after[f] ?? null }]),
  )
