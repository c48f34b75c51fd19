export type TimeSlot = { id?: number | string; start: Date; end: Date; status?: null | string }

/** Two bookings overlap when each starts before the other ends (touching ends do not overlap). */
export const slotsOverlap = (a: TimeSlot, b: TimeSlot): boolean => a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime()

/** The bookings among `others` (cancelled ones aside, and the booking itself) that overlap `slot`. */
export const findOverlaps = (slot: TimeSlot, others: TimeSlot[]): TimeSlot[] =>
  others.filter((o) => o.status !== 'cancelled' && (slot.id === undefined || String(o.id) !== String(slot.id)) && slotsOverlap(slot, o))
