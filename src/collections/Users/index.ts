import type { Access, CollectionConfig, Where } from 'payload'

import { isSuperAdmin, orgIDsAllowing, superAdminField } from '@/access/orgAccess'
import { parsePhoneNumber } from '@/services/contacts/parse-phone-number'

import { auditRoleChanges, auditUnlock, guardMembershipChanges, guardSuperAdminFlag, guardUserDelete } from './hooks/guardMembershipChanges'

const isProduction = process.env.NODE_ENV === 'production'

const canManageSomeOrg: Access = ({ req }) =>
  Boolean(req.user) && (isSuperAdmin(req.user) || orgIDsAllowing(req.user, 'users.manage').length > 0)

/** Yourself, or the members of orgs you administer (the plugin adds the membership filter). */
const selfOrManaged: Access = ({ req }) => {
  if (!req.user) return false
  if (isSuperAdmin(req.user)) return true
  const managed = orgIDsAllowing(req.user, 'users.manage')
  const self: Where = { id: { equals: req.user.id } }
  return managed.length > 0 ? { or: [self, { 'orgs.org': { in: managed } }] } : self
}

const managedOnly: Access = ({ req }) => {
  if (!req.user) return false
  if (isSuperAdmin(req.user)) return true
  const managed = orgIDsAllowing(req.user, 'users.manage')
  return managed.length > 0 ? { 'orgs.org': { in: managed } } : false
}

export const Users: CollectionConfig = {
  slug: 'users',
  admin: {
    useAsTitle: 'email',
    defaultColumns: ['name', 'email', 'orgs', 'updatedAt'],
    group: 'Settings',
  },
  auth: {
    useAPIKey: true,
    maxLoginAttempts: 5,
    lockTime: 15 * 60 * 1000,
    tokenExpiration: 8 * 60 * 60,
    cookies: { secure: isProduction, sameSite: 'Lax' },
  },
  access: {
    admin: ({ req }) => Boolean(req.user),
    read: ({ req }) => Boolean(req.user),
    create: canManageSomeOrg,
    update: selfOrManaged,
    delete: managedOnly,
    // Resetting failed logins is an admin's act on a member of their org (Payload's default: any logged-in user).
    unlock: managedOnly,
  },
  hooks: {
    beforeOperation: [guardSuperAdminFlag],
    beforeChange: [guardMembershipChanges],
    beforeDelete: [guardUserDelete],
    afterChange: [auditRoleChanges],
    afterOperation: [auditUnlock],
  },
  fields: [
    { name: 'name', type: 'text', maxLength: 120 },
    {
      name: 'phone',
      type: 'text',
      label: 'Mobile number',
      maxLength: 20,
      admin: { description: 'Yours, in E.164 (+447400123456): “Send test SMS” in an organisation’s SMS settings texts it.' },
      validate: (value: null | string | undefined) => {
        if (!value) return true
        const parsed = parsePhoneNumber(value)
        if (!parsed.ok) return `"${value}" is not a phone number we can use: ${parsed.reason}.`
        return parsed.e164 === value.trim() ? true : `Write the number in E.164, as ${parsed.e164}.`
      },
    },
    {
      name: 'isSuperAdmin',
      type: 'checkbox',
      defaultValue: false,
      saveToJWT: true,
      label: 'Super admin',
      admin: { position: 'sidebar', description: 'Sees and manages every organisation.' },
      access: { create: superAdminField, update: superAdminField },
    },
  ],
}
