import type { FieldAccess } from 'payload'

import { hasOrgPermission, orgIDsAllowing, relationID } from './orgAccess'
import type { OrgAction } from './roles'

/**
 * Marks a field whose access function the API enforces loudly: a write of a changed value the user may
 * not make is a 403 with the reason (refuseDeniedFieldWrites), not Payload's silent drop. The admin
 * shows the same field read-only, because it reads the same access function.
 */
export const LOUD_ACCESS = { refuseDeniedWrites: true } as const

export type LoudFieldCustom = { refuseDeniedWrites?: boolean; deniedMessage?: string }

/**
 * Field access from the role table: only users whose role in the document's organisation allows
 * `action` create or change the field. Userless (system) writes pass.
 * Exported as `{ create, update }` for a field's `access`.
 */
export const roleFieldAccess = (action: OrgAction, field = 'org'): { create: FieldAccess; update: FieldAccess } => {
  const allowed: FieldAccess = ({ req, data, doc }) => {
    if (!req.user) return true
    const org = (doc as Record<string, unknown> | undefined)?.[field] ?? (data as Record<string, unknown> | undefined)?.[field]
    // A new document whose org is not chosen yet: the user's role somewhere (the org is checked on save).
    if (relationID(org as never) === undefined) return orgIDsAllowing(req.user, action).length > 0
    return hasOrgPermission(req.user, org as never, action)
  }
  return { create: allowed, update: allowed }
}

/**
 * The same marker for a field whose config another plugin builds (so `custom` cannot be set): the access
 * function carries it. `message` is the 403's sentence.
 */
export const loudAccess = <T extends FieldAccess>(access: T, message: string): T =>
  Object.assign(access, { refuseDeniedWrites: true, deniedMessage: message } satisfies LoudFieldCustom)
