import type { CollectionConfig } from 'payload'

import { orgCreate, orgScoped } from '@/access/orgAccess'
import { enforceOrgPermission } from '@/hooks/enforceOrgPermission'
import { isValidPhone, normalizePhone } from '@/services/contacts/normalize-address'
import { isValidEmail, normalizeEmail } from '@/services/contacts/normalize-email'

import { ensureUniqueEmailInOrg } from './hooks/ensureUniqueEmailInOrg'
import { contactEngagementEndpoint } from './engagement-endpoint'
import { contactPickerEndpoint, contactPickerSearchEndpoint, contactTagsEndpoint } from './picker-endpoint'

const PHONE_PATTERN = /^\+?[0-9 ()./-]{5,32}$/

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
  indexes: [{ fields: ['org', 'email'], unique: true }],
  endpoints: [contactPickerEndpoint, contactPickerSearchEndpoint, contactTagsEndpoint, contactEngagementEndpoint],
  hooks: {
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
      validate: (value: null | string | undefined) =>
        !value || (PHONE_PATTERN.test(value) && isValidPhone(normalizePhone(value))) ? true : 'Use digits, spaces and + ( ) - . only, e.g. +44 20 7946 0958.',
    },
    {
      name: 'tags',
      type: 'text',
      hasMany: true,
      maxRows: 50,
      admin: { description: 'Press Enter after each tag.', components: { Cell: '@/components/TagsCell#TagsCell', Field: '@/components/tags/OrgTagsField#OrgTagsField' } },
    },
    { name: 'activity', type: 'ui', admin: { components: { Field: '@/components/contact-activity/ContactActivity#ContactActivity' } } },
  ],
}
