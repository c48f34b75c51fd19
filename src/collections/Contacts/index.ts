import type { CollectionBeforeOperationHook, CollectionConfig, PayloadRequest } from 'payload'

import { orgCreate, orgScoped, relationID } from '@/access/orgAccess'
import { enforceOrgPermission } from '@/hooks/enforceOrgPermission'
import type { Contact } from '@/payload-types'
import { phoneInOrg } from '@/services/contacts/phone-in-org'
import { isValidEmail, normalizeEmail } from '@/services/contacts/normalize-email'

import { ensureUniqueEmailInOrg } from './hooks/ensureUniqueEmailInOrg'
import { contactEngagementEndpoint } from './engagement-endpoint'
import { contactPickerEndpoint, contactPickerSearchEndpoint, contactTagsEndpoint } from './picker-endpoint'

const PHONE_PATTERN = /^\+?[0-9 ()./-]{5,32}$/

/**
 * A contact's bookings (a join) belong on its page, not in lists: a list read (find) leaves them out
 * unless the caller asks for them, so a page of contacts costs no join per row.
 */
const skipBookingsInLists: CollectionBeforeOperationHook = ({ args, operation }) => {
  if (operation !== 'read' || 'id' in args) return args
  const joins = (args as { joins?: false | Record<string, unknown> }).joins
  if (joins === false || (joins && 'bookings' in joins)) return args
  return { ...args, joins: { ...(joins ?? {}), bookings: false } }
}

export const Contacts: CollectionConfig = {
  slug: 'contacts',
  admin: {
    components: { beforeListTable: ['@/components/imports/ListActions#ContactsListActions', '@/components/ListCountNote#ListCountNote'] },
    useAsTitle: 'email',
    defaultColumns: ['firstName', 'lastName', 'email', 'tags', 'updatedAt'],
    listSearchableFields: ['firstName', 'lastName', 'email'],
    group: 'Outreach',
  },
  access: {
    read: orgScoped('contacts.read'),
    create: orgCreate('contacts.edit'),
    update: orgScoped('contacts.edit'),
    delete: orgScoped('contacts.edit'),
  },
  indexes: [{ fields: ['org', 'email'], unique: true }, { fields: ['org', 'phone'] }],
  endpoints: [contactPickerEndpoint, contactPickerSearchEndpoint, contactTagsEndpoint, contactEngagementEndpoint],
  hooks: {
    beforeOperation: [skipBookingsInLists],
    beforeValidate: [ensureUniqueEmailInOrg],
    beforeChange: [enforceOrgPermission('contacts.edit')],
  },
  fields: [
    {
      type: 'row',
      fields: [
        { name: 'firstName', type: 'text', maxLength: 100 },
        { name: 'lastName', type: 'text', maxLength: 100 },
      ],
    },
    {
      name: 'email',
      type: 'email',
      required: true,
      hooks: { beforeValidate: [({ value }) => (typeof value === 'string' ? normalizeEmail(value) : value)] },
      validate: (value: null | string | undefined) =>
        !value ? 'An email address is required.' : isValidEmail(value) ? true : `"${value}" is not a valid email address.`,
    },
    {
      name: 'phone',
      type: 'text',
      maxLength: 32,
      admin: { description: 'Stored in E.164 (+447400123456). Written without a country code, it is read in the organisation’s default country (SMS settings).' },
      hooks: {
        // Stored in E.164 whenever it can be read, so it compares with SMS suppressions and replies.
        beforeValidate: [
          async ({ value, data, originalDoc, req }) => {
            if (typeof value !== 'string' || !value.trim()) return value ? null : value
            const result = await phoneInOrg(req, relationID((data?.org ?? originalDoc?.org) as never), value)
            return result.ok ? result.e164 : value
          },
        ],
      },
      validate: async (value: null | string | undefined, { req, data }: { req: PayloadRequest; data: Partial<Contact> }) => {
        if (!value) return true
        if (!PHONE_PATTERN.test(value)) return `"${value.slice(0, 40)}" is not a phone number: use digits, spaces and + ( ) - . only, e.g. +44 20 7946 0958.`
        const result = await phoneInOrg(req, relationID(data?.org as never), value)
        return result.ok ? true : `"${value}" is not a phone number we can use: ${result.reason}.`
      },
    },
    {
      name: 'tags',
      type: 'text',
      hasMany: true,
      maxRows: 50,
      admin: { description: 'Press Enter after each tag.', components: { Cell: '@/components/TagsCell#TagsCell', Field: '@/components/tags/OrgTagsField#OrgTagsField' } },
    },
    {
      name: 'bookings',
      type: 'join',
      collection: 'bookings',
      on: 'contacts',
      label: 'Bookings',
      defaultSort: '-start',
      defaultLimit: 10,
      admin: {
        defaultColumns: ['title', 'start', 'owner', 'status'],
        disableListColumn: true,
        description: 'Appointments with this contact. "Add new" makes one with the contact filled in; open one to reschedule or cancel it.',
      },
    },
    { name: 'activity', type: 'ui', admin: { components: { Field: '@/components/contact-activity/ContactActivity#ContactActivity' } } },
  ],
}
