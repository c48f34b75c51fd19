import { describe, expect, it } from 'vitest'

import { CONVERSATION_STATUSES } from '@/collections/Conversations'
import { JOB_STATUSES } from '@/collections/EmailJobs'
import { RECIPIENT_STATUSES } from '@/collections/EmailRecipients'
import { INBOUND_EMAIL_STATUSES } from '@/collections/InboundEmails'
import { MESSAGE_STATUSES } from '@/collections/Messages'
import { EXPORT_STATUSES } from '@/services/exports/export-definitions'
import { IMPORT_STATUSES } from '@/services/imports/import-definitions'
import { TEMPLATE_STATUSES } from '@/services/templates/plan-template-change'
import { ATTENDEE_RESPONSES, BOOKING_STATUSES } from '@/services/bookings/plan-booking-change'
import { INVITATION_SEND_STATUSES } from '@/services/bookings/plan-booking-invitations'
import { ASSISTANT_OUTCOMES } from '@/services/knowledge/knowledge-settings'
import { STATUS_VOCABULARY, statusLabel, statusOptions, statusTone } from '@/services/vocabulary/statuses'

/** The one vocabulary of statuses covers every value each collection stores, and nothing else. */
describe('status vocabulary', () => {
  it.each([
    ['job', JOB_STATUSES],
    ['recipient', RECIPIENT_STATUSES],
    ['template', TEMPLATE_STATUSES],
    ['suppression', ['active', 'pending_review', 'lifted']],
    ['conversation', CONVERSATION_STATUSES],
    ['message', MESSAGE_STATUSES],
    ['inboundEmail', INBOUND_EMAIL_STATUSES],
    ['import', IMPORT_STATUSES],
    ['export', EXPORT_STATUSES],
    ['kbArticle', ['draft', 'published']],
    ['booking', BOOKING_STATUSES],
    ['attendeeResponse', ATTENDEE_RESPONSES],
    ['invitationSend', INVITATION_SEND_STATUSES],
    ['assistantOutcome', ASSISTANT_OUTCOMES],
  ] as const)('%s: one label per stored value', (kind, values) => {
    expect(Object.keys(STATUS_VOCABULARY[kind]).sort()).toEqual([...values].sort())
    expect(statusOptions(kind).map((o) => o.value).sort()).toEqual([...values].sort())
    for (const value of values) expect(statusLabel(kind, value)).toMatch(/^[A-Z]/)
  })

  it('says the same words wherever one status is shown, and shows an unknown value as it is', () => {
    expect(statusLabel('template', 'pending')).toBe('Waiting for approval')
    expect(statusLabel('suppression', 'pending_review')).toBe('Waiting for review')
    expect(statusLabel('job', 'completed_with_errors')).toBe('Completed with errors')
    expect(statusTone('job', 'failed')).toBe('error')
    expect(statusLabel('job', 'exploded')).toBe('exploded')
    expect(statusTone('job', 'exploded')).toBe('muted')
  })
})
