import type { Payload } from 'payload'
import type { PoolClient } from 'pg'

import { reservedPool } from '@/db/reserved-pool'
import { inTransactionOn } from '@/db/transaction'

import { type SuppressionCandidate, suppressAddresses } from '../suppressions/suppress-addresses'
import { moveReplyStatuses } from '../inbox/move-reply-statuses'
import { moveJobCounters, moveRecipients } from './move-recipient-states'
import type { SendgridEvent } from './parse-sendgrid-events'

export type EventsApplied = {
  /** Events stored now (new); the rest were already stored (replays, duplicates). */
  stored: number
  duplicates: number
  /** Recipients newly marked failed. */
  failedUpdated: number
  /** Recipients newly updated otherwise (sent/delivered). */
  updated: number
  suppressed: number
  review: number
  unmatched: number
}

type Outcome = 'failed' | 'no_change' | 'recorded' | 'review' | 'suppressed' | 'unmatched' | 'updated'
type Mapped = SendgridEvent & { recipient: null | number; reply: null | number; job: null | number; org: null | number; outcome: Outcome }
type Target = {
  recipient: number
  status: 'delivered' | 'failed'
  error: null | string
  code: null | string
  at: Date
  /** The earliest `delivered` event of the post for this recipient, whatever wins: a complaint implies a delivery. */
  deliveredAt: Date | null
  event: Mapped
}

const WEBHOOK_ACTOR = { id: null, label: 'SendGrid webhook' }
const FAILING = new Set(['bounce', 'dropped', 'spamreport'])
const RANK: Record<string, number> = { failed: 3, delivered: 2 }

const failureText = (event: SendgridEvent): string => {
  const detail = event.detail ? `: ${event.detail}` : ''
  if (event.type === 'spamreport') return 'The recipient reported the message as spam.'
  if (event.type === 'dropped') return `SendGrid did not deliver the message (dropped)${detail}`
  return event.bounceType === 'blocked' ? `The receiving server blocked the message (soft bounce)${detail}` : `The receiving server rejected the address (bounce)${detail}`
}

const suppressionFor = (event: Mapped): null | SuppressionCandidate => {
  if (event.org === null) return null
  const base = { org: event.org, channel: 'email' as const, address: event.address, source: 'sendgrid webhook' }
  const note = event.detail ? `${event.detail} (event ${event.eventID})` : `Event ${event.eventID}`
  switch (event.type) {
    case 'bounce':
      return { ...base, reason: 'bounce', status: event.bounceType === 'blocked' ? 'pending_review' : 'active', note }
    case 'dropped':
      return { ...base, reason: 'dropped', status: 'active', note }
    case 'spamreport':
      return { ...base, reason: 'spamreport', status: 'active', note }
    case 'unsubscribe':
    case 'group_unsubscribe':
      return { ...base, reason: 'unsubscribe', status: 'active', note }
    default:
      return null
  }
}

class StoreRace extends Error {
  code = 'outpost:store-race'
}

/**
 * Stores the applied events once, mapped and with their outcome (one write per event). Each raw payload
 * is taken from the post's own JSON text (parsed once by PostgreSQL), not serialised again here. An event
 * a concurrent post stored after mapStoredAndRecipients conflicts here: the caller rolls back and runs again.
 */
const insertEvents = async (client: PoolClient, events: Mapped[], source: string, receivedAt: Date): Promise<void> => {
  const { rowCount } = await client.query(
    `WITH post AS MATERIALIZED (SELECT ordinality - 1 AS idx, value FROM jsonb_array_elements($7::jsonb) WITH ORDINALITY)
     INSERT INTO webhook_events (provider, channel, event_i_d, type, address, message_i_d, detail, occurred_at, received_at, payload, org_id, job_id, recipient_id, outcome)
     SELECT 'sendgrid', 'email', e.id, e.type::enum_webhook_events_type, e.address, e.mid, e.detail, e.at, $8, post.value,
            e.org, e.job, e.recipient, e.outcome::enum_webhook_events_outcome
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $13::int[], $9::int[], $10::int[], $11::int[], $12::text[])
         AS e(id, type, address, mid, detail, at, idx, org, job, recipient, outcome)
       JOIN post ON post.idx = e.idx
     ON CONFLICT DO NOTHING`,
    [
      events.map((e) => e.eventID),
      events.map((e) => e.type),
      events.map((e) => e.address),
      events.map((e) => e.messageID),
      events.map((e) => e.detail),
      events.map((e) => e.occurredAt),
      source,
      receivedAt,
      events.map((e) => e.org),
      events.map((e) => e.job),
      events.map((e) => e.recipient),
      events.map((e) => e.outcome),
      events.map((e) => e.index),
    ],
  )
  if (rowCount !== events.length) throw new StoreRace('A concurrent post stored some of these events first.')
}

type Stored = { stored: boolean; id: null | number; job_id: null | number; org_id: null | number }

/**
 * In one statement, for each event of the post: whether an earlier (committed) post already stored it
 * (replays, retries), and else its recipient, never outside the organisation of the message it names:
 * 1. our recipient id from custom_args, if that recipient exists and has the event's address;
 * 2. else the message id (one id covers a whole API request, so one job), if one of its recipients has
 *    the event's address and the recipient id (if any) names the same organisation;
 * 3. else the latest send to the address within the one organisation that the recipient id and the
 *    message id name (an event whose id and message id name two organisations names none).
 * Without any of these the event is unmatched: stored and counted, and it changes nothing.
 */
const mapStoredAndRecipients = async (client: PoolClient, events: SendgridEvent[]): Promise<Stored[]> => {
  const { rows } = await client.query<Stored & { row_id: number }>(
    `SELECT ev.row_id, s.stored, m.id, m.job_id, m.org_id
       FROM unnest($1::int[], $2::text[], $3::int[], $4::text[], $5::text[]) AS ev(row_id, event_id, rid, mid, addr)
       CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM webhook_events w WHERE w.provider = 'sendgrid' AND w.event_i_d = ev.event_id) AS stored) s
       -- The branches run in order and stop at the first row (LIMIT 1 over UNION ALL): almost every event
       -- carries our recipient id, so the others are rarely evaluated.
       LEFT JOIN LATERAL (
         (SELECT r.id, r.job_id, r.org_id FROM email_recipients r WHERE r.id = ev.rid AND r.email = ev.addr)
         UNION ALL
         (SELECT r.id, r.job_id, r.org_id FROM email_recipients r
           WHERE ev.mid IS NOT NULL AND r.provider_message_i_d = ev.mid AND r.email = ev.addr
             AND NOT EXISTS (SELECT 1 FROM email_recipients x WHERE x.id = ev.rid AND x.org_id <> r.org_id)
           ORDER BY r.id DESC LIMIT 1)
         UNION ALL
         (SELECT r.id, r.job_id, r.org_id FROM email_recipients r
           WHERE r.email = ev.addr AND r.status <> 'excluded' AND (r.sent_at IS NOT NULL OR r.attempts > 0)
             AND r.org_id = (
               -- The one organisation the recipient id and the message id name (none if they name two).
               SELECT CASE WHEN a.org IS NOT NULL AND b.org IS NOT NULL AND a.org <> b.org THEN NULL ELSE coalesce(a.org, b.org) END
                 FROM (SELECT (SELECT x.org_id FROM email_recipients x WHERE x.id = ev.rid) AS org) a,
                      (SELECT (SELECT x.org_id FROM email_recipients x WHERE ev.mid IS NOT NULL AND x.provider_message_i_d = ev.mid LIMIT 1) AS org) b)
           ORDER BY r.sent_at DESC NULLS LAST, r.id DESC LIMIT 1)
         LIMIT 1
       ) m ON NOT s.stored`,
    [
      events.map((_, i) => i),
      events.map((e) => e.eventID),
      events.map((e) => e.recipientID),
      events.map((e) => e.messageID?.split('.')[0] ?? null),
      events.map((e) => e.address),
    ],
  )
  const byRow: Stored[] = new Array(events.length)
  for (const row of rows) byRow[row.row_id] = row
  return byRow
}

/**
 * Per recipient (or per inbox reply, with `keyOf`), the strongest new event decides: failed outranks
 * delivered, which outranks sent; nothing goes back. The delivery time is kept apart, so a message
 * delivered and then reported as spam (in one post, or the complaint first) still counts as delivered.
 */
const pickTargets = (events: Mapped[], keyOf: (event: Mapped) => null | number = (event) => event.recipient): Target[] => {
  const best = new Map<number, Target>()
  const deliveredAt = new Map<number, Date>()
  for (const event of events) {
    const key = keyOf(event)
    if (key === null) continue
    const status = FAILING.has(event.type) ? 'failed' : event.type === 'delivered' ? 'delivered' : null
    if (!status) continue
    if (status === 'delivered') {
      const earliest = deliveredAt.get(key)
      if (!earliest || event.occurredAt < earliest) deliveredAt.set(key, event.occurredAt)
    }
    const current = best.get(key)
    if (current && (RANK[current.status]! > RANK[status]! || (current.status === status && current.at >= event.occurredAt))) continue
    best.set(key, {
      recipient: key,
      status,
      error: status === 'failed' ? failureText(event).slice(0, 1000) : null,
      code: status === 'failed' ? (event.providerCode ?? `sendgrid:${event.type}`) : null,
      at: event.occurredAt,
      deliveredAt: null,
      event,
    })
  }
  for (const target of best.values()) target.deliveredAt = deliveredAt.get(target.recipient) ?? null
  return [...best.values()]
}

/**
 * Events of inbox replies (no job recipient, our reply id in custom_args): the reply, if it is an outbound
 * email of ours to the event's address; its org then takes the event (suppressions included).
 */
const mapReplies = async (client: PoolClient, events: Mapped[]): Promise<void> => {
  const candidates = events.filter((e) => e.recipient === null && e.replyID !== null)
  if (!candidates.length) return
  const { rows } = await client.query<{ id: number; org_id: number; addr: string }>(
    `SELECT m.id, m.org_id, lower(m."to") AS addr FROM messages m
      WHERE m.id = ANY($1::int[]) AND m.direction = 'outbound' AND m.channel = 'email'`,
    [candidates.map((e) => e.replyID)],
  )
  const byID = new Map(rows.map((r) => [r.id, r]))
  for (const event of candidates) {
    const reply = byID.get(event.replyID!)
    if (!reply || reply.addr !== event.address) continue
    event.reply = reply.id
    event.org = reply.org_id
    event.outcome = 'no_change'
  }
}

const applyInTransaction = async (client: PoolClient, events: SendgridEvent[], source: string, receivedAt: Date): Promise<EventsApplied> => {
  const found = await mapStoredAndRecipients(client, events)
  const fresh: Mapped[] = []
  events.forEach((event, i) => {
    const match = found[i]!
    if (match.stored) return
    const recipient = match.id ?? null
    fresh.push({ ...event, recipient, reply: null, job: match.job_id ?? null, org: match.org_id ?? null, outcome: recipient === null ? 'unmatched' : 'no_change' })
  })
  await mapReplies(client, fresh)
  const result: EventsApplied = { stored: fresh.length, duplicates: events.length - fresh.length, failedUpdated: 0, updated: 0, suppressed: 0, review: 0, unmatched: 0 }
  if (!fresh.length) return result

  const targets = pickTargets(fresh)
  const moves = await moveRecipients(client, targets)
  const moved = new Set(moves.map((m) => m.id))
  for (const target of targets) {
    if (moved.has(target.recipient)) target.event.outcome = target.status === 'failed' ? 'failed' : 'updated'
  }
  result.failedUpdated = moves.filter((m) => m.new === 'failed').length
  result.updated = moves.length - result.failedUpdated

  // Inbox replies: their status in the thread moves forwards only, like a recipient's.
  const replyTargets = pickTargets(fresh, (event) => event.reply)
  const movedReplies = await moveReplyStatuses(
    client,
    replyTargets.map((t) => ({ message: t.recipient, status: t.status, error: t.error })),
  )
  for (const target of replyTargets.filter((t) => movedReplies.has(t.recipient))) {
    target.event.outcome = target.status === 'failed' ? 'failed' : 'updated'
    if (target.status === 'failed') result.failedUpdated += 1
    else result.updated += 1
  }

  const candidates = fresh.map((event) => ({ event, candidate: suppressionFor(event) })).filter((c) => c.candidate !== null)
  const created = await suppressAddresses(client, candidates.map((c) => c.candidate!), WEBHOOK_ACTOR)
  const key = (s: { org: null | number; address: string; status: string }) => `${s.org}|${s.address}|${s.status}`
  const createdKeys = new Set(created.map(key))
  for (const { event, candidate } of candidates) {
    if (!createdKeys.delete(key(candidate!))) continue
    if (event.outcome === 'no_change') event.outcome = candidate!.status === 'active' ? 'suppressed' : 'review'
  }
  result.suppressed = created.filter((s) => s.status === 'active').length
  result.review = created.length - result.suppressed

  for (const event of fresh) {
    if (event.outcome === 'no_change' && ['open', 'click', 'processed', 'deferred', 'group_resubscribe'].includes(event.type)) event.outcome = 'recorded'
  }
  result.unmatched = fresh.filter((e) => e.outcome === 'unmatched').length
  await insertEvents(client, fresh, source, receivedAt)
  // Last: the job rows are what concurrent posts of one job queue on, so they are held only until COMMIT.
  await moveJobCounters(client, moves)
  return result
}

/**
 * Applies one post of SendGrid events in one transaction: every event is stored once (a replay is a
 * no-op), mapped to its recipient, and applied — `delivered` marks the recipient delivered; `bounce`,
 * `dropped`, `spamreport` mark it failed with the reason, raise its job's failed count and suppress
 * the address in its org (a `blocked` bounce goes to the review queue instead); unsubscribes suppress;
 * opens and clicks are kept for engagement. A late event never turns a failed recipient back.
 */
export const applySendgridEvents = async ({
  payload,
  events,
  source,
  receivedAt = new Date(),
}: {
  payload: Payload
  events: SendgridEvent[]
  /** The post's JSON array text the events were parsed from (each event's `index` points into it): stored as their raw payloads. */
  source: string
  receivedAt?: Date
}): Promise<EventsApplied> => {
  if (!events.length) return { stored: 0, duplicates: 0, failedUpdated: 0, updated: 0, suppressed: 0, review: 0, unmatched: 0 }
  for (let attempt = 1; ; attempt += 1) {
    try {
      // On the reserved connections: events keep being applied while the admin's lists use every other one.
      return await inTransactionOn(reservedPool(payload), (client) => applyInTransaction(client, events, source, receivedAt))
    } catch (error) {
      // A deadlock with a concurrent post (PostgreSQL aborts one side), or a concurrent post that stored
      // some of these events first: run it again, which then sees them as stored.
      if (!['40P01', 'outpost:store-race'].includes((error as { code?: string }).code ?? '') || attempt >= 3) throw error
    }
  }
}
