import type { CollectionConfig } from 'payload'

import { nobody, orgScoped } from '@/access/orgAccess'
import { statusCell } from '@/fields/status-cell'
import { statusOptions } from '@/services/vocabulary/statuses'

const readOnly = { readOnly: true }

/**
 * The iCalendar invitations a booking sent (or will send) through the organisation's email provider:
 * one row per attendee and version of the booking (its SEQUENCE), REQUEST for a new or changed booking,
 * CANCEL when it is cancelled or the attendee is removed. Written by the booking's save and sent by the
 * worker under its own claim (see deliverBookingInvitation); read-only through every API.
 */
export const BookingInvitations: CollectionConfig = {
  slug: 'booking-invitations',
  labels: { singular: 'Booking invitation', plural: 'Booking invitations' },
  admin: {
    useAsTitle: 'email',
    defaultColumns: ['email', 'booking', 'method', 'sequence', 'status', 'sentAt'],
    group: 'Bookings',
    description: 'Calendar invitations (.ics) sent to attendees by email: a new one for every change they see, and a cancellation.',
  },
  defaultSort: '-createdAt',
  disableDuplicate: true,
  access: { read: orgScoped('org.read'), create: nobody, update: nobody, delete: nobody },
  indexes: [{ fields: ['booking', 'sequence', 'email', 'method'], unique: true }, { fields: ['status', 'nextAttemptAt'] }],
  fields: [
    { name: 'org', type: 'relationship', relationTo: 'organizations', required: true, admin: readOnly },
    { name: 'booking', type: 'relationship', relationTo: 'bookings', required: true, index: true, admin: readOnly },
    { name: 'email', type: 'email', required: true, label: 'To', admin: readOnly },
    { name: 'name', type: 'text', admin: readOnly },
    {
      name: 'method',
      type: 'select',
      required: true,
      options: [
        { value: 'request', label: 'Invitation' },
        { value: 'cancel', label: 'Cancellation' },
      ],
      admin: readOnly,
    },
    { name: 'sequence', type: 'number', required: true, admin: { ...readOnly, description: 'The version of the booking this invitation carries (iCalendar SEQUENCE).' } },
    {
      name: 'status',
      type: 'select',
      required: true,
      defaultValue: 'queued',
      options: statusOptions('invitationSend'),
      admin: { ...readOnly, components: statusCell('invitationSend') },
    },
    { name: 'attempts', type: 'number', defaultValue: 0, admin: readOnly },
    { name: 'error', type: 'text', label: 'Last error', admin: readOnly },
    { name: 'providerMessageID', type: 'text', label: 'Provider message id', admin: readOnly },
    { name: 'sentAt', type: 'date', admin: { ...readOnly, date: { pickerAppearance: 'dayAndTime' } } },
    { name: 'nextAttemptAt', type: 'date', admin: { hidden: true } },
    { name: 'claimToken', type: 'text', hidden: true },
    { name: 'leaseExpiresAt', type: 'date', hidden: true },
    { name: 'handedOffAt', type: 'date', hidden: true },
  ],
}
