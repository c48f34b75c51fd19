import type { CollectionConfig } from 'payload'

import { nobody, orgScoped } from '@/access/orgAccess'
import { statusCell } from '@/fields/status-cell'
import { statusOptions } from '@/services/vocabulary/statuses'

import { retryBookingSyncEndpoint } from './endpoints'

const readOnly = { readOnly: true }

/**
 * Where each booking stands in each connected calendar: synced, pending or failed, the provider's event
 * id, the last error as a sentence with the provider's code, and a Retry. The list filtered to failures
 * is the organisation's "Sync problems". Written by the sync worker under its own claim; read-only.
 */
export const BookingSyncs: CollectionConfig = {
  slug: 'booking-syncs',
  labels: { singular: 'Calendar sync', plural: 'Calendar syncs' },
  admin: {
    useAsTitle: 'providerEventID',
    defaultColumns: ['booking', 'connection', 'status', 'lastError', 'lastSyncedAt'],
    group: 'Bookings',
    description: 'Each booking in each connected calendar. Filter by Failed for the sync problems; open one to retry it.',
    components: { beforeListTable: ['@/components/calendar/SyncProblemsLink#SyncProblemsLink'] },
  },
  disableDuplicate: true,
  access: { read: orgScoped('org.read'), create: nobody, update: nobody, delete: nobody },
  endpoints: [retryBookingSyncEndpoint],
  indexes: [{ fields: ['booking', 'connection'], unique: true }, { fields: ['status', 'nextAttemptAt'] }],
  fields: [
    { name: 'org', type: 'relationship', relationTo: 'organizations', required: true, label: 'Organisation', admin: readOnly },
    // Empty once the booking was deleted, until its event has left this calendar (then the row goes too).
    { name: 'booking', type: 'relationship', relationTo: 'bookings', index: true, admin: readOnly },
    { name: 'connection', type: 'relationship', relationTo: 'calendar-connections', required: true, index: true, label: 'Calendar', admin: readOnly },
    { name: 'status', type: 'select', required: true, defaultValue: 'pending', options: statusOptions('calendarSync'), admin: { ...readOnly, components: statusCell('calendarSync') } },
    { name: 'providerEventID', type: 'text', label: 'Event id', admin: readOnly },
    { name: 'syncedSequence', type: 'number', admin: { ...readOnly, description: 'The booking version the calendar has.' } },
    { name: 'lastError', type: 'text', label: 'Last error', admin: readOnly },
    { name: 'providerCode', type: 'text', label: 'Provider code', admin: readOnly },
    { name: 'note', type: 'textarea', admin: { ...readOnly, description: 'What the calendar could not keep (reminders), and conflicts resolved.' } },
    { name: 'lastSyncedAt', type: 'date', admin: { ...readOnly, date: { pickerAppearance: 'dayAndTime' } } },
    { name: 'attempts', type: 'number', defaultValue: 0, admin: readOnly },
    { name: 'nextAttemptAt', type: 'date', admin: { hidden: true } },
    { name: 'claimToken', type: 'text', hidden: true },
    { name: 'leaseExpiresAt', type: 'date', hidden: true },
  ],
}
