import type { Payload } from 'payload'

import { reservedPool } from '@/db/reserved-pool'
import { inTransactionOn } from '@/db/transaction'
import { describeTwilioDeliveryError, type TwilioStatus, twilioStatusOutcome } from '@/integrations/sms'

import { moveJobCounters, moveRecipients } from '../events/move-recipient-states'
import { moveReplyStatuses } from '../inbox/move-reply-statuses'
import { suppressAddresses } from '../suppressions/suppress-addresses'
import type { SmsMessageTarget } from './find-sms-message'

export type TwilioStatusReport = {
  messageSid: string
  status: TwilioStatus
  errorCode: null | string
  to: null | string
  /** When the carrier reported it (RawDlrDoneDate), else when we received it. */
  occurredAt: Date
  params: Record<string, string>
}

export type TwilioStatusOutcome = 'duplicate' | 'failed' | 'no_change' | 'recorded' | 'suppressed' | 'unmatched' | 'updated'

/** How each status is kept among the provider events (the metrics read these types for every channel). */
const EVENT_TYPE: Record<ReturnType<typeof twilioStatusOutcome>, string> = { progress: 'processed', sent: 'processed', delivered: 'delivered', failed: 'bounce' }

class Duplicate extends Error {}

/**
 * Applies one Twilio status callback in one transaction: the event is stored once (a replay of the same
 * message and status is a no-op), its recipient moves forwards only (sent, delivered, or failed with the
 * reason as a sentence; never back), the job's counters move with it, and a number that is unknown, a
 * landline or has replied STOP is suppressed for SMS in the recipient's org.
 */
export const applyTwilioStatus = async ({ payload, report, target, receivedAt = new Date() }: { payload: Payload; report: TwilioStatusReport; target: SmsMessageTarget; receivedAt?: Date }): Promise<TwilioStatusOutcome> => {
  const outcome = twilioStatusOutcome(report.status)
  const failure = outcome === 'failed' ? describeTwilioDeliveryError(report.status, report.errorCode) : null
  const recipient = target.recipient
  try {
    return await inTransactionOn(reservedPool(payload), async (client) => {
      const stored = await client.query<{ id: number }>(
        `INSERT INTO webhook_events (provider, channel, event_i_d, type, address, message_i_d, detail, occurred_at, received_at, payload, org_id, job_id, recipient_id, outcome)
         VALUES ('twilio', 'sms', $1, $2::enum_webhook_events_type, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12::enum_webhook_events_outcome)
         ON CONFLICT DO NOTHING RETURNING id`,
        [
          `${report.messageSid}:${report.status}`,
          EVENT_TYPE[outcome],
          recipient?.address ?? report.to,
          report.messageSid,
          failure?.sentence ?? (report.status === outcome ? null : `Twilio status: ${report.status}`),
          report.occurredAt,
          receivedAt,
          JSON.stringify(report.params),
          recipient?.org ?? target.org,
          recipient?.job ?? null,
          recipient?.id ?? null,
          recipient ? 'no_change' : 'unmatched',
        ],
      )
      const eventID = stored.rows[0]?.id
      if (eventID === undefined) throw new Duplicate()
      if (!recipient && target.message && outcome !== 'progress') {
        // An inbox reply: its status in the thread moves forwards only (sent < delivered < failed).
        const moved = await moveReplyStatuses(client, [{ message: target.message.id, status: outcome, error: failure?.sentence ?? null }])
        const result: TwilioStatusOutcome = moved.size ? (outcome === 'failed' ? 'failed' : 'updated') : 'no_change'
        await client.query(`UPDATE webhook_events SET outcome = $2::enum_webhook_events_outcome, org_id = $3 WHERE id = $1`, [eventID, result, target.message.org])
        return result
      }
      if (!recipient) return 'unmatched'
      let result: TwilioStatusOutcome = outcome === 'progress' ? 'recorded' : 'no_change'
      const moves =
        outcome === 'progress'
          ? []
          : await moveRecipients(client, [
              {
                recipient: recipient.id,
                status: outcome,
                error: failure?.sentence ?? null,
                code: failure ? (report.errorCode ?? `twilio:${report.status}`) : null,
                at: report.occurredAt,
                deliveredAt: outcome === 'delivered' ? report.occurredAt : null,
              },
            ])
      if (moves.length) result = outcome === 'failed' ? 'failed' : 'updated'
      if (failure?.suppress) {
        const created = await suppressAddresses(
          client,
          [{ org: recipient.org, channel: 'sms', address: recipient.address, reason: failure.suppress, status: 'active', source: 'twilio status callback', note: `${failure.sentence} (message ${report.messageSid})` }],
          { id: null, label: 'Twilio status callback' },
        )
        if (created.length) result = 'suppressed'
      }
      await client.query(`UPDATE webhook_events SET outcome = $2::enum_webhook_events_outcome WHERE id = $1`, [eventID, result])
      // Last: the job row is what concurrent callbacks of one job queue on.
      await moveJobCounters(client, moves)
      return result
    })
  } catch (error) {
    if (error instanceof Duplicate) return 'duplicate'
    throw error
  }
}
