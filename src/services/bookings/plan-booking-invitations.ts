export const INVITATION_SEND_STATUSES = ['queued', 'sending', 'sent', 'failed', 'unknown', 'superseded'] as const

/** An attendee as the booking names them, with the contact's address already looked up. */
export type InvitedPerson = { email: string; name?: null | string }

export type PlannedInvitation = InvitedPerson & { method: 'request' | 'cancel' }

const key = (email: string) => email.trim().toLowerCase()

/** People by address, first mention kept (one invitation per address however often it is listed). */
const byAddress = (people: InvitedPerson[]) => {
  const seen = new Map<string, InvitedPerson>()
  for (const person of people) {
    const email = person.email?.trim()
    if (email && !seen.has(key(email))) seen.set(key(email), { email, name: person.name ?? null })
  }
  return seen
}

/**
 * Which invitations a save of a booking sends: nothing when nothing attendees see changed; a REQUEST to
 * every attendee of a new or changed booking; a CANCEL to every attendee when it is cancelled, and to an
 * attendee who was removed (so their calendar drops it). One per address.
 */
export const planBookingInvitations = ({
  before,
  after,
  changed,
  cancelled,
  wasCancelled,
}: {
  before: InvitedPerson[] | null
  after: InvitedPerson[]
  /** What attendees see changed (planBookingChange's `changed`): a new SEQUENCE. */
  changed: boolean
  cancelled: boolean
  wasCancelled?: boolean
}): PlannedInvitation[] => {
  if (!changed || wasCancelled) return []
  const now = byAddress(after)
  if (cancelled) return [...byAddress([...(before ?? []), ...after]).values()].map((p) => ({ ...p, method: 'cancel' as const }))
  const removed = [...byAddress(before ?? []).entries()].filter(([address]) => !now.has(address)).map(([, p]) => ({ ...p, method: 'cancel' as const }))
  return [...[...now.values()].map((p) => ({ ...p, method: 'request' as const })), ...removed]
}
