import type { Access, CollectionConfig, Where } from 'payload'

import { isSuperAdmin, nobody, orgIDsAllowing } from '@/access/orgAccess'
import { statusCell } from '@/fields/status-cell'
import { statusOptions } from '@/services/vocabulary/statuses'

import { calendarConnectionEndpoints } from './endpoints'

/**
 * A member sees their own connections and the org's shared ones; with `calendars.shared` (org admins),
 * every connection of the org. Changing or removing one: its owner, or an org admin.
 */
const connectionAccess =
  (write: boolean): Access =>
  ({ req }) => {
    if (!req.user) return false
    if (isSuperAdmin(req.user)) return true
    const all = orgIDsAllowing(req.user, 'calendars.shared')
    const member = orgIDsAllowing(req.user, write ? 'calendars.connect' : 'org.read')
    const own: Where = { and: [{ org: { in: member } }, { or: [{ owner: { equals: req.user.id } }, ...(write ? [] : [{ shared: { equals: true } }])] }] }
    const clauses: Where[] = [...(all.length ? [{ org: { in: all } }] : []), ...(member.length ? [own] : [])]
    return clauses.length ? { or: clauses } : false
  }

const hidden = { hidden: true } as const

/**
 * Google or Microsoft calendars connected to an organisation's bookings: a staff member's own (their
 * bookings go there) or the organisation's shared calendar (every booking goes there). Made only by the
 * OAuth flow (GET /api/calendar-connections/connect); tokens are Fernet-encrypted and never leave the
 * server. A revoked grant marks it "Reconnect required" and its sync stops until its owner reconnects.
 */
export const CalendarConnections: CollectionConfig = {
  slug: 'calendar-connections',
  labels: { singular: 'Calendar connection', plural: 'Calendar connections' },
  admin: {
    useAsTitle: 'accountEmail',
    defaultColumns: ['accountEmail', 'provider', 'owner', 'shared', 'status', 'lastSyncedAt'],
    group: 'Bookings',
    description: 'Google or Microsoft calendars that bookings are kept in step with, both ways.',
    components: { beforeListTable: ['@/components/calendar/ConnectCalendar#ConnectCalendar'] },
  },
  disableDuplicate: true,
  // Made and kept up to date only by the OAuth flow and the sync (as the system): nobody edits one, its
  // owner or an org admin may disconnect it.
  access: { read: connectionAccess(false), create: nobody, update: nobody, delete: connectionAccess(true) },
  endpoints: calendarConnectionEndpoints,
  hooks: {
    // The connection's sync rows go with it (its events stay in the calendar, which is no longer ours to write).
    beforeDelete: [async ({ id, req }) => void (await req.payload.db.deleteMany({ collection: 'booking-syncs', where: { connection: { equals: id } }, req }))],
  },
  indexes: [{ fields: ['org', 'provider', 'accountEmail', 'owner'], unique: true }],
  fields: [
    { name: 'org', type: 'relationship', relationTo: 'organizations', required: true, label: 'Organisation', admin: { readOnly: true } },
    { name: 'provider', type: 'select', required: true, options: [{ value: 'google', label: 'Google Calendar' }, { value: 'microsoft', label: 'Microsoft Outlook' }], admin: { readOnly: true } },
    { name: 'accountEmail', type: 'text', required: true, label: 'Account', admin: { readOnly: true } },
    { name: 'owner', type: 'relationship', relationTo: 'users', required: true, label: 'Connected by', admin: { readOnly: true } },
    { name: 'shared', type: 'checkbox', label: 'Shared', defaultValue: false, admin: { readOnly: true, description: 'The organisation’s shared calendar: every booking of the organisation goes there. A personal one (not shared) gets its owner’s bookings.' } },
    { name: 'calendarID', type: 'text', defaultValue: 'primary', label: 'Calendar', admin: { readOnly: true } },
    { name: 'status', type: 'select', required: true, defaultValue: 'connected', options: statusOptions('calendarConnection'), admin: { readOnly: true, components: statusCell('calendarConnection') } },
    { name: 'lastError', type: 'text', label: 'Last problem', admin: { readOnly: true } },
    { name: 'lastSyncedAt', type: 'date', label: 'Last synced', admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } } },
    { name: 'accessTokenEncrypted', type: 'text', ...hidden },
    { name: 'refreshTokenEncrypted', type: 'text', ...hidden },
    { name: 'accessTokenExpiresAt', type: 'date', ...hidden },
    { name: 'syncCursor', type: 'text', ...hidden },
    { name: 'pullLeaseUntil', type: 'date', ...hidden },
  ],
}
