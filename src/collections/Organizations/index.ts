import { DATE_LOCALES, DEFAULT_DATE_SETTINGS, validateTimeZone } from '@/services/vocabulary/dates'
import type { CollectionConfig } from 'payload'

import { authenticated, orgScoped, superAdminOnly } from '@/access/orgAccess'
import { slugField } from '@/fields/slug'
import { DEFAULT_OPT_OUT_KEYWORDS } from '@/services/suppressions/match-opt-out-keyword'

import { refuseOrgDeleteWithData } from '@/services/organizations/refuse-org-delete-with-data'

import { rotateInboundSecretEndpoint, testEmailEndpoint, testSmsEndpoint } from './endpoints'
import { auditSettingsChange, seedDefaultTemplateForNewOrg } from './hooks'
import { sendingSettings } from './sendingSettings'
import { ensureInboundSecret, inboundSettings } from './inboundSettings'
import { smsSettings } from './smsSettings'
import { assistantSettings } from './assistantSettings'
import { reindexOnLanguageChange } from './hooks'

/** The tenants. The multi-tenant plugin limits every non-super user to the orgs they belong to. */
export const Organizations: CollectionConfig = {
  slug: 'organizations',
  labels: { singular: 'Organisation', plural: 'Organisations' },
  // The API keeps the names it always had (GraphQL `Organization`, `Organizations`; the generated type).
  graphQL: { singularName: 'Organization', pluralName: 'Organizations' },
  typescript: { interface: 'Organization' },
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
  hooks: {
    afterChange: [ensureInboundSecret, auditSettingsChange, seedDefaultTemplateForNewOrg, reindexOnLanguageChange],
    beforeDelete: [async ({ id, req }) => {
      const org = await req.payload.findByID({ collection: 'organizations', id, depth: 0, req, disableErrors: true })
      if (org) await refuseOrgDeleteWithData(req.payload, id, org.name)
    }],
  },
  endpoints: [testEmailEndpoint, testSmsEndpoint, rotateInboundSecretEndpoint],
  fields: [
    {
      type: 'tabs',
      tabs: [
        {
          label: 'General',
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
              type: 'row',
              fields: [
                {
                  name: 'locale',
                  type: 'select',
                  label: 'Date and number style',
                  defaultValue: DEFAULT_DATE_SETTINGS.locale,
                  options: DATE_LOCALES.map((l) => ({ value: l.value, label: l.label })),
                  admin: { description: 'How dates and times read in the admin for this organisation’s people (each may choose their own).' },
                },
                {
                  name: 'timeZone',
                  type: 'text',
                  label: 'Time zone',
                  defaultValue: DEFAULT_DATE_SETTINGS.timeZone,
                  maxLength: 64,
                  admin: { description: 'An IANA time zone, e.g. Europe/London or America/New_York.' },
                  validate: validateTimeZone,
                },
              ],
            },
            {
              name: 'requireFourEyes',
              type: 'checkbox',
              defaultValue: true,
              label: 'Four-eyes approval',
              admin: { description: 'Nobody approves a template they submitted themselves.' },
            },
          ],
        },
        { label: 'Sending', fields: [sendingSettings] },
        { label: 'SMS', fields: [smsSettings] },
        { label: 'Inbox', fields: [inboundSettings] },
        { label: 'Assistant', fields: [assistantSettings] },
        {
          label: 'Bookings',
          fields: [
            {
              name: 'bookingsCalendar',
              type: 'group',
              label: 'Connected calendars',
              fields: [
                {
                  name: 'sendUpdates',
                  type: 'select',
                  label: 'Google Calendar emails attendees',
                  defaultValue: 'none',
                  options: [
                    { value: 'none', label: 'Never (Outpost sends its own .ics invitations)' },
                    { value: 'externalOnly', label: 'Only attendees outside Google Workspace' },
                    { value: 'all', label: 'Always' },
                  ],
                  admin: { description: 'Whether Google also emails attendees when a booking is written to a connected Google calendar (its sendUpdates). Microsoft calendars always send their own invitations.' },
                },
              ],
            },
          ],
        },
        {
          label: 'Unsubscribe and opt-out',
          description:
            'Every message carries a signed one-click unsubscribe link and List-Unsubscribe headers (UNSUBSCRIBE_URL or SITE_URL on the server); an unsubscribe suppresses the address in this organisation at once.',
          fields: [
            {
              name: 'optOutKeywords',
              type: 'group',
              label: 'Opt-out keywords',
              admin: {
                description:
                  'Replies that consist of exactly one of these words suppress the sender at once; replies that only contain one (or a near miss) go to the suppression review queue. Empty: the defaults.',
              },
              fields: [
                {
                  type: 'row',
                  fields: [
                    { name: 'sms', type: 'text', hasMany: true, maxRows: 50, maxLength: 40, label: 'SMS', defaultValue: [...DEFAULT_OPT_OUT_KEYWORDS.sms] },
                    { name: 'email', type: 'text', hasMany: true, maxRows: 50, maxLength: 40, label: 'Email replies', defaultValue: [...DEFAULT_OPT_OUT_KEYWORDS.email] },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  ],
}
