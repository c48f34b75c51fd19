import fs from 'node:fs'

import { describe, expect, it } from 'vitest'

import { membershipChangeViolation, superAdminChangeViolation } from '@/access/membershipChanges'
import { hasOrgPermission, orgIDsAllowing, orgScoped } from '@/access/orgAccess'
import { ORG_ACTIONS, ORG_ROLES, ROLE_MATRIX, roleAllows } from '@/access/roles'

import { withRoleMatrix } from '../scripts/render-role-matrix'

const user = (orgs: { org: number; roles: any[] }[], extra: Record<string, unknown> = {}) => ({
  collection: 'users',
  id: 99,
  orgs,
  ...extra,
})

describe('role matrix', () => {
  it('README.md prints exactly the matrix in the code (run npm run docs:roles after changing it)', () => {
    const readme = fs.readFileSync('README.md', 'utf8')
    expect(withRoleMatrix(readme)).toBe(readme)
  })

  it('gives admins every action and viewers only reads', () => {
    for (const action of ORG_ACTIONS) expect(roleAllows('admin', action), action).toBe(true)
    const viewerActions = ORG_ACTIONS.filter((a) => roleAllows('viewer', a))
    expect(viewerActions).toEqual(['org.read', 'contacts.read', 'metrics.read'])
  })

  it('keeps approving apart from sending', () => {
    expect(ROLE_MATRIX['templates.approve'].roles).not.toContain('sender')
    expect(ROLE_MATRIX['jobs.queue'].roles).not.toContain('approver')
    expect(ROLE_MATRIX['users.manage'].roles).toEqual(['admin'])
  })
})

describe('org access helpers', () => {
  const multi = user([
    { org: 1, roles: ['sender'] },
    { org: 2, roles: ['viewer'] },
  ])

  it('resolves permissions per org', () => {
    expect(hasOrgPermission(multi, 1, 'contacts.edit')).toBe(true)
    expect(hasOrgPermission(multi, 2, 'contacts.edit')).toBe(false)
    expect(hasOrgPermission(multi, { id: 1 }, 'contacts.edit')).toBe(true)
    expect(hasOrgPermission(multi, 3, 'contacts.read')).toBe(false)
    expect(orgIDsAllowing(multi, 'contacts.read')).toEqual([1, 2])
    expect(hasOrgPermission(user([], { isSuperAdmin: true }), 3, 'users.manage')).toBe(true)
  })

  it('builds a where on the allowed orgs, false for none and true for super admins', () => {
    const access = orgScoped('contacts.edit')
    const call = (u: unknown) => access({ req: { user: u } } as any)
    expect(call(multi)).toEqual({ org: { in: [1] } })
    expect(call(user([{ org: 2, roles: ['viewer'] }]))).toBe(false)
    expect(call(null)).toBe(false)
    expect(call(user([], { isSuperAdmin: true }))).toBe(true)
    // a token from another auth collection never counts
    expect(call({ collection: 'customers', isSuperAdmin: true, orgs: [{ org: 1, roles: ['admin'] }] })).toBe(false)
    for (const role of ORG_ROLES) {
      expect(Boolean(call(user([{ org: 5, roles: [role] }])))).toBe(roleAllows(role, 'contacts.edit'))
    }
  })
})

describe('membership changes', () => {
  const admin = user([{ org: 1, roles: ['admin'] }])
  const member = { id: 7, email: 'm@x.test', name: 'M', orgs: [{ org: 1, roles: ['viewer' as const] }] }

  it('lets an org admin change roles in their org', () => {
    const after = { orgs: [{ org: 1, roles: ['sender' as const] }] }
    expect(membershipChangeViolation({ actor: admin, before: member, after, operation: 'update' })).toBeNull()
  })

  it('refuses adding anyone to an org the actor does not administer', () => {
    const after = { orgs: [...member.orgs, { org: 2, roles: ['admin' as const] }] }
    expect(membershipChangeViolation({ actor: admin, before: member, after, operation: 'update' })).toMatch(/only change/)
  })

  it('refuses a member raising their own role', () => {
    const self = { ...member, collection: 'users' }
    const after = { orgs: [{ org: 1, roles: ['admin' as const] }] }
    expect(membershipChangeViolation({ actor: self, before: member, after, operation: 'update' })).toMatch(/only change/)
    expect(membershipChangeViolation({ actor: self, before: member, after: { name: 'New' }, operation: 'update' })).toBeNull()
  })

  it('treats role order and duplicates as no change', () => {
    const before = { ...member, orgs: [{ org: 1, roles: ['sender' as const, 'approver' as const] }] }
    const after = { orgs: [{ org: 1, roles: ['approver' as const, 'sender' as const, 'sender' as const] }] }
    const viewer = user([{ org: 1, roles: ['viewer'] }])
    expect(membershipChangeViolation({ actor: viewer, before, after, operation: 'update' })).toBeNull()
  })

  it("protects the identity of users who also belong to another admin's org", () => {
    const shared = { ...member, orgs: [...member.orgs, { org: 2, roles: ['sender' as const] }] }
    expect(membershipChangeViolation({ actor: admin, before: shared, after: { email: 'new@x.test' }, operation: 'update' })).toMatch(
      /only they can change/,
    )
    expect(membershipChangeViolation({ actor: admin, before: member, after: { email: 'new@x.test' }, operation: 'update' })).toBeNull()
  })

  it('requires a membership on create', () => {
    expect(membershipChangeViolation({ actor: admin, after: { orgs: [] }, operation: 'create' })).toMatch(/at least one/)
  })

  it('lets only super admins change the super-admin flag', () => {
    expect(superAdminChangeViolation({ actor: admin, current: false, requested: true })).toMatch(/Only a super admin/)
    expect(superAdminChangeViolation({ actor: admin, current: true, requested: false })).toMatch(/Only a super admin/)
    expect(superAdminChangeViolation({ actor: admin, current: false, requested: false })).toBeNull()
    expect(superAdminChangeViolation({ actor: user([], { isSuperAdmin: true }), current: false, requested: true })).toBeNull()
  })
})
