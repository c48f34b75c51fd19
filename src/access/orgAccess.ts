import type { Access, FieldAccess, Where } from 'payload'

import { type OrgAction, type OrgRole, roleAllows } from './roles'

type IDLike = number | string
type Relation = IDLike | { id: IDLike } | null | undefined

export type OrgMembership = { org?: Relation; roles?: OrgRole[] | null }
export type AccessUser = {
  collection?: string
  id?: IDLike
  isSuperAdmin?: boolean | null
  orgs?: OrgMembership[] | null
}

export const relationID = (value: Relation): IDLike | undefined => {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'object') return value.id
  return value
}

export const sameID = (a: Relation, b: Relation): boolean => {
  const left = relationID(a)
  const right = relationID(b)
  return left !== undefined && right !== undefined && String(left) === String(right)
}

const asUser = (user: unknown): AccessUser | null =>
  user && typeof user === 'object' && (user as AccessUser).collection === 'users' ? (user as AccessUser) : null

export const isSuperAdmin = (user: unknown): boolean => Boolean(asUser(user)?.isSuperAdmin)

/** Roles the user holds in one org (empty when not a member). */
export const rolesInOrg = (user: unknown, org: Relation): OrgRole[] =>
  (asUser(user)?.orgs ?? []).filter((m) => sameID(m.org, org)).flatMap((m) => m.roles ?? [])

/** IDs of the orgs in which the user may perform `action`. */
export const orgIDsAllowing = (user: unknown, action: OrgAction): IDLike[] => {
  const ids = (asUser(user)?.orgs ?? [])
    .filter((m) => (m.roles ?? []).some((role) => roleAllows(role, action)))
    .map((m) => relationID(m.org))
    .filter((id): id is IDLike => id !== undefined)
  return [...new Set(ids)]
}

export const memberOrgIDs = (user: unknown): IDLike[] =>
  [...new Set((asUser(user)?.orgs ?? []).map((m) => relationID(m.org)).filter((id): id is IDLike => id !== undefined))]

export const hasOrgPermission = (user: unknown, org: Relation, action: OrgAction): boolean =>
  isSuperAdmin(user) || rolesInOrg(user, org).some((role) => roleAllows(role, action))

/**
 * Read/update/delete access for an org-scoped collection: a `where` on the org field limited to the
 * orgs where the user's roles allow `action`. The multi-tenant plugin ANDs its membership filter on top.
 */
export const orgScoped =
  (action: OrgAction, field = 'org'): Access =>
  ({ req }) => {
    if (!req.user) return false
    if (isSuperAdmin(req.user)) return true
    const ids = orgIDsAllowing(req.user, action)
    if (ids.length === 0) return false
    return { [field]: { in: ids } } as Where
  }

/** Like `orgScoped`, for a write any of several actions allows (a hook then checks which one). */
export const orgScopedAny =
  (actions: OrgAction[], field = 'org'): Access =>
  ({ req }) => {
    if (!req.user) return false
    if (isSuperAdmin(req.user)) return true
    const ids = [...new Set(actions.flatMap((action) => orgIDsAllowing(req.user, action)))]
    if (ids.length === 0) return false
    return { [field]: { in: ids } } as Where
  }

/**
 * Create access: when the payload names its org, the user needs the role there; without one the
 * user needs the role somewhere, and `enforceOrgPermission` checks the org the document ends up in.
 */
export const orgCreate =
  (action: OrgAction, field = 'org'): Access =>
  ({ req, data }) => {
    if (!req.user) return false
    if (isSuperAdmin(req.user)) return true
    const target = (data as Record<string, Relation> | undefined)?.[field]
    if (relationID(target) !== undefined) return hasOrgPermission(req.user, target, action)
    return orgIDsAllowing(req.user, action).length > 0
  }

export const authenticated: Access = ({ req }) => Boolean(req.user)
export const superAdminOnly: Access = ({ req }) => isSuperAdmin(req.user)
export const nobody: Access = () => false

export const authenticatedField: FieldAccess = ({ req }) => Boolean(req.user)
export const superAdminField: FieldAccess = ({ req }) => isSuperAdmin(req.user)
