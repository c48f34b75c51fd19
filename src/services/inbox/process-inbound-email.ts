import { convert } from 'html-to-text'
import type { Payload } from 'payload'

import { dbPool } from '@/db/pool'

import { normalizeAddress } from '../contacts/normalize-address'
import { applyOptOutReply } from '../suppressions/apply-opt-out-reply'
import { automatedReason, normalizeInboundEmail } from './normalize-inbound-email'
import { parseInboundPost } from './parse-inbound-post'
import { readReplyAddress } from './reply-token'
import { sanitizeEmailHtml } from './sanitize-email-html'
import { storeInboundAttachments } from './store-inbound-attachments'
import { threadInboundMessage } from './thread-inbound-message'

export const MAX_INBOUND_EMAIL_BYTES = 30 * 1024 * 1024

/** The reply itself: the text above the quoted history ("On … wrote:", "-----Original Message-----", "> …"). */
export const replyPart = (text: string): string => {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  const end = lines.findIndex(
    (line, i) =>
      /^>/.test(line) ||
      /^-{2,}\s*Original Message\s*-{2,}/i.test(line) ||
      /^On .{4,200}wrote:\s*$/i.test(line) ||
      (/^On .{4,200}$/i.test(line) && /wrote:\s*$/i.test(lines[i + 1] ?? '')) ||
      /^From: .+/.test(line) && /^(Sent|Date): /.test(lines[i + 1] ?? ''),
  )
  return (end === -1 ? lines : lines.slice(0, end)).join('\n').trim()
}

type Outcome = { status: 'failed' | 'ignored' | 'threaded'; reason: null | string; conversation?: number }

const finish = async (payload: Payload, id: number, outcome: Outcome, fields: { from?: null | string; subject?: null | string } = {}) => {
  await dbPool(payload).query(
    `UPDATE inbound_emails SET status = $2::enum_inbound_emails_status, reason = $3, conversation_id = $4, "from" = coalesce($5, "from"), subject = coalesce($6, subject), processed_at = now(), updated_at = now() WHERE id = $1`,
    [id, outcome.status, outcome.reason?.slice(0, 500) ?? null, outcome.conversation ?? null, fields.from?.slice(0, 320) ?? null, fields.subject?.replace(/\u0000/g, '').slice(0, 500) ?? null],
  )
  return outcome
}

/**
 * The worker's part of an inbound email (the endpoint only checked and stored the post): read it in its
 * mode and charsets; leave automatic mail (auto-replies, bounces, lists, our own) with the reason; an
 * exact opt-out keyword on the reply's first line suppresses the sender for email (a near miss goes to
 * review and the reply is kept); else thread it into the org's inbox by the sender, noting the job its
 * signed reply address or In-Reply-To names (only ever this org's). Idempotent: a message is stored once
 * per Message-ID, and a row already done is left alone.
 */
export const processInboundEmail = async ({ payload, id }: { payload: Payload; id: number }): Promise<Outcome | null> => {
  const { rows } = await dbPool(payload).query<{ org: number; status: string; body: Buffer; content_type: string; message_id: string }>(
    `SELECT e.org_id AS org, e.status::text AS status, b.body, b.content_type, e.message_i_d AS message_id
       FROM inbound_emails e JOIN inbound_email_bodies b ON b.inbound_email_id = e.id WHERE e.id = $1`,
    [id],
  )
  const row = rows[0]
  if (!row || row.status !== 'queued') return null
  let email
  try {
    email = await normalizeInboundEmail(await parseInboundPost(row.body, row.content_type, MAX_INBOUND_EMAIL_BYTES))
  } catch (error) {
    return finish(payload, id, { status: 'failed', reason: `The email could not be read: ${(error as Error).message}` })
  }
  const fields = { from: email.from?.address ?? null, subject: email.subject }
  const automated = automatedReason(email)
  if (automated) return finish(payload, id, { status: 'ignored', reason: automated }, fields)
  if (!email.from) return finish(payload, id, { status: 'failed', reason: 'The email names no sender (From).' }, fields)
  // An address no contact or suppression could hold ends here: left for the worker it would fail again every sweep.
  if (normalizeAddress('email', email.from.address) === null) {
    return finish(payload, id, { status: 'failed', reason: `The sender's address "${email.from.address.slice(0, 80)}" is not a valid email address.` }, fields)
  }

  const body = email.text || (email.html ? convert(email.html, { wordwrap: false }) : '')
  const reply = replyPart(body)
  // Only this org's signed reply addresses count: a token of another org attaches nothing here.
  const tokens = email.recipients.map((address) => readReplyAddress(address)).filter((claim) => claim?.org === row.org)
  const firstLine = reply.split('\n').find((line) => line.trim()) ?? ''
  const optOut = await applyOptOutReply({ payload, org: row.org, channel: 'email', from: email.from.address, text: firstLine, source: 'email reply' })
  if (optOut.match.kind === 'exact') {
    return finish(payload, id, { status: 'ignored', reason: `An opt-out reply ("${firstLine.trim().slice(0, 40)}"): the address is suppressed for email.` }, fields)
  }
  // The job it answers: its signed reply address, else a message of one of this org's jobs it names.
  const answers = [...(email.inReplyTo ? [email.inReplyTo] : []), ...email.references].slice(0, 50)
  const { rows: jobs } = await dbPool(payload).query<{ job: number }>(
    `SELECT id AS job FROM email_jobs WHERE org_id = $1 AND id = ANY($2::int[])
     UNION ALL
     SELECT job_id FROM email_recipients WHERE org_id = $1 AND provider_message_i_d = ANY($3::varchar[])
     LIMIT 1`,
    [row.org, tokens.map((t) => t!.job), answers],
  )
  const threaded = await threadInboundMessage({
    payload,
    message: {
      org: row.org,
      channel: 'email',
      provider: 'sendgrid',
      providerMessageID: row.message_id,
      from: email.from.address,
      to: email.recipients[0] ?? null,
      subject: email.subject,
      bodyText: reply || body,
      bodyHtml: email.html ? sanitizeEmailHtml(email.html) : null,
      answers,
      job: jobs[0]?.job ?? null,
    },
  })
  const via = tokens.length ? `its signed reply address (job ${tokens[0]!.job})` : email.inReplyTo ? 'In-Reply-To' : 'the sender'
  if (threaded.duplicate) return finish(payload, id, { status: 'ignored', reason: 'This Message-ID is already in the inbox.' }, fields)
  if (email.attachments.length) await storeInboundAttachments({ payload, org: row.org, message: threaded.message, attachments: email.attachments })
  return finish(payload, id, { status: 'threaded', reason: `Threaded by ${via}${threaded.contact ? '' : '; the sender is no contact yet (unlinked)'}${optOut.match.kind === 'fuzzy' ? '; it may be an opt-out, so it waits in the review queue' : ''}.`, conversation: threaded.conversation }, fields)
}
