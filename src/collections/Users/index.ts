import type { Access, CollectionConfig, Where } from 'payload'

import { isSuperAdmin, orgIDsAllowing, superAdminField } from '@/access/orgAccess'
import { parsePhoneNumber } from '@/services/contacts/parse-phone-number'
import { DATE_LOCALES, validateTimeZone } from '@/services/vocabulary/dates'
import { statusOptions } from '@/services/vocabulary/statuses'

import { auditRoleChanges, auditUnlock, guardMembershipChanges, guardSuperAdminFlag, guardUserDelete } from './hooks/guardMembershipChanges'
import { acceptInvitationOnReset } from './hooks/acceptInvitationOnReset'
import { invitationEndpoints } from './invitation-endpoints'

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
    defaultColumns: ['name', 'email', 'orgs', 'invitation', 'updatedAt'],
    group: 'Settings',
    components: { beforeListTable: ['@/components/users/Invitations#Invitations'] },
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
    afterOperation: [auditUnlock, acceptInvitationOnReset],
  },
  endpoints: invitationEndpoints,
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
      type: 'row',
      fields: [
        {
          name: 'locale',
          type: 'select',
          label: 'My date style',
          options: DATE_LOCALES.map((l) => ({ value: l.value, label: l.label })),
          admin: { description: 'Leave empty to use your organisation’s.' },
        },
        {
          name: 'timeZone',
          type: 'text',
          label: 'My time zone',
          maxLength: 64,
          admin: { description: 'Leave empty to use your organisation’s (e.g. Europe/London).' },
          validate: validateTimeZone,
        },
      ],
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
    {
      name: 'invitation',
      type: 'group',
      label: 'Invitation',
      // Written by the invitation services only (system writes); everyone who may read the user reads it.
      access: { create: () => false, update: () => false },
      admin: { position: 'sidebar', readOnly: true, condition: (data) => Boolean(data?.invitation?.status), components: { Cell: '@/components/users/InvitationCell#InvitationCell' } },
      fields: [
        { name: 'status', type: 'select', options: statusOptions('invitation'), admin: { readOnly: true } },
        { name: 'invitedAt', type: 'date', label: 'Invited', admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } } },
        { name: 'expiresAt', type: 'date', label: 'Link expires', admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } } },
        { name: 'acceptedAt', type: 'date', label: 'Joined', admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } } },
        { name: 'invitedBy', type: 'relationship', relationTo: 'users', label: 'Invited by', admin: { readOnly: true } },
      ],
    },
  ],
}
