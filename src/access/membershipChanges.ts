import { hasOrgPermission, isSuperAdmin, type OrgMembership, relationID } from './orgAccess'

type UserShape = {
  email?: null | string
  id?: number | string
  name?: null | string
  orgs?: null | OrgMembership[]
  password?: null | string
}

// Payload accepts a single value for a hasMany select; read it the same way.
const rolesOf = (roles: unknown): string[] =>
  Array.isArray(roles) ? roles.filter((r) => typeof r === 'string') : typeof roles === 'string' ? [roles] : []

const rolesByOrg = (orgs: null | OrgMembership[] | undefined): Map<string, string> => {
  const map = new Map<string, string[]>()
  // Only well-formed rows count here; Payload's own validation refuses the rest with a field error.
  for (const row of Array.isArray(orgs) ? orgs : []) {
    if (!row || typeof row !== 'object') continue
    const id = relationID(row.org)
    if (id === undefined) continue
    map.set(String(id), [...(map.get(String(id)) ?? []), ...rolesOf(row.roles)])
  }
  return new Map([...map].map(([id, roles]) => [id, [...new Set(roles)].sort().join(',')]))
}

/** Org IDs whose membership row (presence or roles) differs between two versions of a user. */
export const changedMembershipOrgs = (before: UserShape | undefined, after: Pick<UserShape, 'orgs'>): string[] => {
  if (after.orgs === undefined) return []
  const prev = rolesByOrg(before?.orgs)
  const next = rolesByOrg(after.orgs)
  return [...new Set([...prev.keys(), ...next.keys()])].filter((id) => prev.get(id) !== next.get(id))
}

/**
 * Why `actor` may not make this change to a user, or null when allowed. Super admins may do anything.
 * Others: only org admins change memberships and roles, and only in orgs they administer; and a user's identity (email, password, name) is changed only by
 * that user or by someone who administers every org the user belongs to.
 */
export const membershipChangeViolation = ({
  actor,
  after,
  before,
  operation,
}: {
  actor: unknown
  after: UserShape
  before?: UserShape
  operation: 'create' | 'update'
}): null | string => {
  if (isSuperAdmin(actor)) return null
  if (operation === 'create' && !(Array.isArray(after.orgs) && after.orgs.length > 0)) {
    return 'A new user must belong to at least one organisation you administer.'
  }
  const forbidden = changedMembershipOrgs(before, after).filter((org) => !hasOrgPermission(actor, org, 'users.manage'))
  if (forbidden.length > 0) {
    return 'You can only change memberships and roles in organisations where you are an admin.'
  }
  const isSelf = before?.id !== undefined && String(before.id) === String((actor as { id?: unknown })?.id)
  if (operation === 'update' && !isSelf) {
    const identityChanged =
      (after.email !== undefined && after.email !== before?.email) ||
      (after.name !== undefined && after.name !== before?.name) ||
      Boolean(after.password)
    const administersAll = [...rolesByOrg(before?.orgs).keys()].every((org) =>
      hasOrgPermission(actor, org, 'users.manage'),
    )
    if (identityChanged && !administersAll) {
      return "This user also belongs to an organisation you don't administer: only they can change their email, name or password."
    }
  }
  return null
}

/** Only a super admin grants or removes super admin (checked on the raw request, before field access drops it). */
export const superAdminChangeViolation = ({
  actor,
  current,
  requested,
}: {
  actor: unknown
  current?: boolean | null
  requested: unknown
}): null | string => {
  if (requested === undefined || isSuperAdmin(actor)) return null
  return Boolean(requested) === Boolean(current) ? null : 'Only a super admin can grant or remove super admin.'
}
