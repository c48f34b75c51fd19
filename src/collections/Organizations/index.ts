import type { CollectionConfig } from 'payload'

import { authenticated, orgScoped, superAdminOnly } from '@/access/orgAccess'
import { slugField } from '@/fields/slug'

import { auditSettingsChange, seedDefaultTemplateForNewOrg } from './hooks'
import { sendingSettings } from './sendingSettings'

/** The tenants. The multi-tenant plugin limits every non-super user to the orgs they belong to. */
export const Organizations: CollectionConfig = {
  slug: 'organizations',
  labels: { singular: 'Organization', plural: 'Organizations' },
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'slug', 'updatedAt'],
    group: 'Settings',
  },
  access: {
    read: authenticated,
    create: superAdminOnly,
    update: orgScoped('org.settings', 'id'),
    delete: superAdminOnly,
  },
  hooks: { afterChange: [auditSettingsChange, seedDefaultTemplateForNewOrg] },
  fields: [
    { name: 'name', type: 'text', required: true, maxLength: 120 },
    slugField('name'),
    {
      name: 'postalAddress',
      type: 'textarea',
      maxLength: 500,
      admin: { description: 'Printed in the footer of every email (required by anti-spam law).' },
    },
    {
      name: 'requireFourEyes',
      type: 'checkbox',
      defaultValue: true,
      label: 'Four-eyes approval',
      admin: { description: 'Nobody approves a template they submitted themselves.' },
    },
    sendingSettings,
  ],
}
