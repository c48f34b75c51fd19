import { type CollectionAfterChangeHook, type CollectionBeforeChangeHook, type CollectionBeforeDeleteHook, type CollectionConfig, type FieldAccess, ValidationError } from 'payload'

import { isSuperAdmin, orgCreate, orgScoped, relationID, rolesInOrg } from '@/access/orgAccess'
import { statusCell } from '@/fields/status-cell'
import { withdrawDeletedBooking } from '@/services/calendar/withdraw-deleted-booking'
import { enforceOrgPermission } from '@/hooks/enforceOrgPermission'
import { findOverlaps } from '@/services/bookings/find-overlaps'
import { queueBookingInvitations } from '@/services/bookings/queue-booking-invitations'
import { queueBookingCalendarSync } from '@/services/calendar/queue-booking-calendar-sync'
import { planBookingChange } from '@/services/bookings/plan-booking-change'
import { AppError } from '@/services/errors/app-error'
import { DEFAULT_DATE_SETTINGS, validateTimeZone, resolveDateSettings } from '@/services/vocabulary/dates'
import { statusOptions } from '@/services/vocabulary/statuses'

import { agendaEndpoint } from './endpoints'

const systemOnly: FieldAccess = () => false

const HTTPS_URL = /^https:\/\/[^\s/$.?#][^\s]*$/i

/** A date the save carries, or null (none, or not a date: the field's own validation says so). */
const when = (value: unknown) => {
  const date = value ? new Date(value as string) : null
  return date && !Number.isNaN(date.getTime()) ? date : null
}

/**
 * The rules of a save: a cancelled booking stays so; a moved one becomes `rescheduled`; the iCalendar
 * SEQUENCE grows with every change attendees see; the time zone defaults to the org's; the staff member
 * must belong to the org; and an overlap with the same staff member's other bookings in the org is an
 * error on Start until "Book anyway" is ticked (it is cleared again after each save).
 */
const applyBookingRules: CollectionBeforeChangeHook = async ({ data, originalDoc, operation, req }) => {
  const merged = { ...originalDoc, ...data }
  const plan = planBookingChange(operation === 'update' ? originalDoc : null, merged)
  if (plan.error) throw new AppError('CONFLICT', plan.error)
  data.status = plan.status
  data.sequence = plan.sequence
  const org = relationID(merged.org)
  if (!merged.timeZone && org !== undefined) {
    const organisation = await req.payload.findByID({ collection: 'organizations', id: org, depth: 0, req, disableErrors: true })
    data.timeZone = organisation?.timeZone || DEFAULT_DATE_SETTINGS.timeZone
  }
  const owner = relationID(merged.owner)
  if (owner !== undefined && org !== undefined) {
    const staff = await req.payload.findByID({ collection: 'users', id: owner, depth: 0, req, disableErrors: true, overrideAccess: true })
    if (!staff || (!isSuperAdmin(staff) && rolesInOrg(staff, org).length === 0)) {
      throw new ValidationError({ collection: 'bookings', errors: [{ path: 'owner', message: 'Choose a staff member of this organisation.' }] })
    }
  }
  const start = when(merged.start)
  const end = when(merged.end)
  // Only a new booking, or one whose time or staff member changes, is checked: answering, retitling or a
  // change pulled from a calendar never trips over an overlap someone already accepted.
  const moved =
    operation === 'create' ||
    originalDoc?.status === 'cancelled' ||
    when(originalDoc?.start)?.getTime() !== start?.getTime() ||
    when(originalDoc?.end)?.getTime() !== end?.getTime() ||
    relationID(originalDoc?.owner) !== owner
  if (moved && plan.status !== 'cancelled' && start && end && owner !== undefined && org !== undefined && !merged.allowOverlap) {
    const others = await req.payload.find({
      collection: 'bookings',
      where: { and: [{ org: { equals: org } }, { owner: { equals: owner } }, { status: { not_equals: 'cancelled' } }, { start: { less_than: end.toISOString() } }, { end: { greater_than: start.toISOString() } }] },
      depth: 0,
      limit: 5,
      req,
      overrideAccess: true,
      select: { title: true, start: true, end: true, status: true },
    })
    const overlaps = findOverlaps(
      { id: originalDoc?.id, start, end },
      others.docs.map((d) => ({ id: d.id, start: new Date(d.start), end: new Date(d.end), status: d.status, title: d.title })),
    ) as { id: number; title?: string; start: Date; end: Date }[]
    if (overlaps.length > 0) {
      const zone = (data.timeZone as string) || (merged.timeZone as string) || DEFAULT_DATE_SETTINGS.timeZone
      const format = new Intl.DateTimeFormat('en-GB', { timeZone: resolveDateSettings({ timeZone: zone }).timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })
      const list = overlaps.map((o) => `"${o.title}" (${format.format(o.start)}–${format.format(o.end)})`).join(', ')
      throw new ValidationError({
        collection: 'bookings',
        errors: [{ path: 'start', message: `This overlaps ${list} for the same staff member. Tick "Book anyway" to keep both.` }],
      })
    }
  }
  data.allowOverlap = false
  return data
}

/** A save that changed what attendees see queues their .ics invitations (in the save's transaction). */
const queueInvitations: CollectionAfterChangeHook = async ({ doc, previousDoc, operation, req }) => {
  await queueBookingInvitations({ req, booking: doc, previous: operation === 'create' ? null : previousDoc })
  return doc
}

/** A save that changed what a calendar shows or whose calendar it is (or a new booking) queues it for its connected calendars. */
const queueCalendarSync: CollectionAfterChangeHook = async ({ doc, previousDoc, operation, req }) => {
  const movedOwner = operation === 'update' && String(relationID(doc.owner)) !== String(relationID(previousDoc?.owner))
  await queueBookingCalendarSync({ req, booking: doc, changed: operation === 'create' || movedOwner || (doc.sequence ?? 0) !== (previousDoc?.sequence ?? 0) })
  return doc
}

/** A deleted booking takes its invitation log with it (cancel a booking to withdraw it from calendars). */
const dropInvitations: CollectionBeforeDeleteHook = async ({ id, req }) => {
  await req.payload.db.deleteMany({ collection: 'booking-invitations', where: { booking: { equals: id } }, req })
  // Its events leave the connected calendars (the calendar rows outlive it until they are removed).
  await withdrawDeletedBooking({ req, bookingID: Number(id) })
}

/**
 * Appointments of the organisation's staff with contacts: who, when (with its IANA time zone), where,
 * attendees and reminders. Attendees get an iCalendar invitation; connected Google or Microsoft
 * calendars are kept in step (see README, Bookings).
 */
export const Bookings: CollectionConfig = {
  slug: 'bookings',
  labels: { singular: 'Booking', plural: 'Bookings' },
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'start', 'owner', 'status', 'updatedAt'],
    group: 'Bookings',
    components: { beforeListTable: ['@/components/bookings/BookingsViewSwitch#BookingsViewSwitch'] },
    description: 'Appointments with contacts. Moving a booking marks it rescheduled; overlapping bookings of one staff member need "Book anyway".',
  },
  defaultSort: '-start',
  access: {
    read: orgScoped('org.read'),
    create: orgCreate('bookings.edit'),
    update: orgScoped('bookings.edit'),
    delete: orgScoped('bookings.edit'),
  },
  indexes: [{ fields: ['org', 'start'] }, { fields: ['org', 'end'] }, { fields: ['owner', 'start'] }],
  endpoints: [agendaEndpoint],
  hooks: { beforeChange: [enforceOrgPermission('bookings.edit'), applyBookingRules], afterChange: [queueInvitations, queueCalendarSync], beforeDelete: [dropInvitations] },
  fields: [
    { name: 'title', type: 'text', required: true, maxLength: 200 },
    {
      type: 'row',
      fields: [
        { name: 'start', type: 'date', required: true, index: true, admin: { date: { pickerAppearance: 'dayAndTime', timeIntervals: 15 }, width: '50%' } },
        {
          name: 'end',
          type: 'date',
          required: true,
          admin: { date: { pickerAppearance: 'dayAndTime', timeIntervals: 15 }, width: '50%' },
          validate: (value: unknown, { siblingData }: { siblingData: Record<string, unknown> }) => {
            if (!value) return 'Give the end of the booking.'
            const start = when(siblingData.start)
            return !start || new Date(value as string).getTime() > start.getTime() ? true : 'The booking must end after it starts.'
          },
        },
      ],
    },
    {
      name: 'timeZone',
      type: 'text',
      label: 'Time zone',
      maxLength: 64,
      admin: { description: 'The IANA zone the times are meant in (e.g. Europe/London). Empty: the organisation’s.' },
      validate: validateTimeZone,
    },
    { name: 'times', type: 'ui', admin: { components: { Field: '@/components/bookings/BookingTimes#BookingTimes' } } },
    {
      name: 'allowOverlap',
      type: 'checkbox',
      label: 'Book anyway if it overlaps another booking of the same staff member',
      defaultValue: false,
    },
    {
      name: 'owner',
      type: 'relationship',
      relationTo: 'users',
      required: true,
      label: 'Staff member',
      defaultValue: ({ user }: { user?: { id?: number | string } | null }) => user?.id,
      admin: { position: 'sidebar' },
    },
    { name: 'contacts', type: 'relationship', relationTo: 'contacts', hasMany: true, maxRows: 50, admin: { description: 'Whom the booking is with.' } },
    { type: 'row', fields: [{ name: 'location', type: 'text', maxLength: 300 }, { name: 'videoLink', type: 'text', label: 'Video link', maxLength: 2000, validate: (v: null | string | undefined) => (!v || HTTPS_URL.test(v) ? true : 'A video link must be an https:// address.') }] },
    { name: 'description', type: 'textarea', maxLength: 10_000 },
    {
      name: 'attendees',
      type: 'array',
      maxRows: 100,
      labels: { singular: 'Attendee', plural: 'Attendees' },
      admin: { description: 'A contact, or any email address. Each gets an invitation; their answers show here.' },
      fields: [
        {
          type: 'row',
          fields: [
            { name: 'contact', type: 'relationship', relationTo: 'contacts' },
            {
              name: 'email',
              type: 'email',
              validate: (value: null | string | undefined, { siblingData }: { siblingData: Record<string, unknown> }) =>
                value || siblingData.contact ? true : 'Choose a contact or write an email address.',
            },
            { name: 'name', type: 'text', maxLength: 200 },
            { name: 'optional', type: 'checkbox', label: 'Optional' },
            {
              name: 'response',
              type: 'select',
              options: statusOptions('attendeeResponse'),
              defaultValue: 'needs-action',
              access: { create: systemOnly, update: systemOnly },
              admin: { readOnly: true },
            },
          ],
        },
      ],
    },
    {
      name: 'reminders',
      type: 'array',
      maxRows: 10,
      labels: { singular: 'Reminder', plural: 'Reminders' },
      fields: [
        {
          type: 'row',
          fields: [
            { name: 'method', type: 'select', required: true, defaultValue: 'popup', options: [{ value: 'popup', label: 'Notification' }, { value: 'email', label: 'Email' }] },
            { name: 'minutesBefore', type: 'number', required: true, min: 0, max: 40_320, label: 'Minutes before', defaultValue: 30 },
          ],
        },
      ],
    },
    {
      name: 'sendInvitations',
      type: 'checkbox',
      label: 'Email calendar invitations (.ics) to attendees',
      defaultValue: true,
      admin: { position: 'sidebar', description: 'A new invitation goes out whenever the time, place, title, description or attendees change, and a cancellation when it is cancelled.' },
    },
    {
      name: 'status',
      type: 'select',
      required: true,
      defaultValue: 'scheduled',
      options: statusOptions('booking'),
      admin: { position: 'sidebar', description: 'Set to Cancelled to cancel; a moved booking becomes Rescheduled by itself.', components: statusCell('booking') },
    },
    {
      name: 'invitations',
      type: 'join',
      collection: 'booking-invitations',
      on: 'booking',
      label: 'Invitations sent',
      defaultSort: '-createdAt',
      defaultLimit: 10,
      admin: { allowCreate: false, defaultColumns: ['email', 'method', 'sequence', 'status', 'sentAt'], description: 'The .ics invitations and cancellations attendees were sent, newest first.' },
    },
    { name: 'calendarSync', type: 'ui', admin: { position: 'sidebar', components: { Field: '@/components/calendar/BookingSyncState#BookingSyncState' } } },
    { name: 'sequence', type: 'number', defaultValue: 0, access: { create: systemOnly, update: systemOnly }, admin: { hidden: true } },
  ],
}
