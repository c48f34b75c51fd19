import type { Payload, PayloadRequest } from 'payload'

import { relationID } from '@/access/orgAccess'
import type { Booking } from '@/payload-types'

import type { InvitedPerson } from './plan-booking-invitations'

/** A relationship's id as a number, or null (relationID reads it populated or not). */
const idOf = (value: unknown): null | number => {
  const id = Number(relationID(value as never))
  return Number.isInteger(id) ? id : null
}

export type ResolvedAttendee = InvitedPerson & { optional: boolean; response: string }

/**
 * A booking's attendees with their addresses: a free address as written, a contact's own (looked up in
 * the booking's organisation only, so a contact of another org never yields an address); a contact
 * without an address is left out, having nowhere to receive an invitation; an address listed twice
 * counts once (its first mention).
 */
export const resolveBookingAttendees = async ({ payload, booking, req }: { payload: Payload; booking: Pick<Booking, 'attendees' | 'org'>; req?: Partial<PayloadRequest> }): Promise<ResolvedAttendee[]> => {
  const rows = booking.attendees ?? []
  const org = idOf(booking.org)
  const contactIDs = [...new Set(rows.map((a) => idOf(a.contact)).filter((id): id is number => id !== null))]
  const contacts = new Map<number, { email?: null | string; name: string }>()
  if (contactIDs.length && org !== null) {
    const { docs } = await payload.find({
      collection: 'contacts',
      where: { and: [{ id: { in: contactIDs } }, { org: { equals: org } }] },
      depth: 0,
      limit: contactIDs.length,
      pagination: false,
      overrideAccess: true,
      req,
      select: { email: true, firstName: true, lastName: true },
    })
    for (const c of docs) contacts.set(c.id, { email: c.email, name: [c.firstName, c.lastName].filter(Boolean).join(' ') })
  }
  const resolved: ResolvedAttendee[] = []
  const seen = new Set<string>()
  for (const row of rows) {
    const contact = idOf(row.contact) !== null ? contacts.get(idOf(row.contact) as number) : undefined
    const email = row.email?.trim() || contact?.email?.trim()
    if (!email || seen.has(email.toLowerCase())) continue
    seen.add(email.toLowerCase())
    resolved.push({ email, name: row.name?.trim() || contact?.name || null, optional: Boolean(row.optional), response: row.response ?? 'needs-action' })
  }
  return resolved
}
