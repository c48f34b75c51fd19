/**
 * SendGrid Event Webhook traffic for benchmarks: events for recipients Outpost has sent to, in the mix
 * of a newsletter (70% delivered, 15% open, 8% click, 4% bounce — a quarter of them soft `blocked` —,
 * 2% dropped, 1% spam report), each with our `outpost_recipient_id` custom arg, its `sg_message_id`
 * and the fields SendGrid adds (about 0.5 KB an event), in an order SendGrid might post them.
 * Also what applying them must leave behind, for the benchmark's checks.
 */
import { sendgridEvent, type SendGridEventJSON } from '../../tests/fakes/sendgrid-events'

export type SentRecipient = { id: number; email: string; messageID: string }

const SHARES = { open: 0.15, click: 0.08, bounce: 0.04, dropped: 0.02, spamreport: 0.01 } as const
const FAILING = new Set(['bounce', 'dropped', 'spamreport'])

export type MixCounts = { delivered: number; open: number; click: number; bounce: number; dropped: number; spamreport: number }

/** How many events of each type `events` events hold (delivered takes the rounding). */
export const mixCounts = (events: number): MixCounts => {
  const open = Math.round(events * SHARES.open)
  const click = Math.round(events * SHARES.click)
  const bounce = Math.round(events * SHARES.bounce)
  const dropped = Math.round(events * SHARES.dropped)
  const spamreport = Math.round(events * SHARES.spamreport)
  return { delivered: events - open - click - bounce - dropped - spamreport, open, click, bounce, dropped, spamreport }
}

/** Recipients `events` events are about: each has one final event (delivered, bounce or dropped). */
export const recipientsFor = (events: number): number => {
  const c = mixCounts(events)
  return c.delivered + c.bounce + c.dropped
}

/** A small seeded PRNG (mulberry32): the same run shape every time. */
export const seededRandom = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const shuffle = <T>(items: T[], random: () => number): T[] => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
  return items
}

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
]

/**
 * `count` events of the mix about `recipients` (at least `recipientsFor(count)` of them), shuffled:
 * SendGrid batches by time and does not keep the order of one message's events.
 */
export const generateEvents = (recipients: SentRecipient[], count: number, seed: number): SendGridEventJSON[] => {
  const c = mixCounts(count)
  const needed = c.delivered + c.bounce + c.dropped
  if (recipients.length < needed) throw new Error(`${count} events need ${needed} recipients, got ${recipients.length}`)
  const random = seededRandom(seed)
  const people = shuffle(recipients.slice(0, needed), random)
  const sentAt = Math.floor(Date.now() / 1000) - 3600
  const events: SendGridEventJSON[] = []
  const add = (r: SentRecipient, n: number, type: string, at: number, extra: Record<string, unknown> = {}) =>
    events.push(
      sendgridEvent({ to: r.email, messageID: r.messageID, customArgs: { outpost_recipient_id: String(r.id) } }, type, {
        timestamp: at,
        category: ['outpost', 'newsletter'],
        sg_message_id: `${r.messageID}.filterdrecv-5bd8c8c6b-2x9fq-1-6560B4E2-${n}.0`,
        ...extra,
      }),
    )
  const client = (n: number) => ({ useragent: USER_AGENTS[n % USER_AGENTS.length], ip: `203.0.113.${n % 250}` })
  for (let n = 0; n < needed; n++) {
    const r = people[n]!
    const at = sentAt + (n % 600)
    if (n < c.delivered) {
      add(r, n, 'delivered', at, { ip: '149.72.154.231', tls: 1, pool: { name: 'outpost-news', id: 31842 } })
      if (n < c.open) add(r, n, 'open', at + 300, { ...client(n), sg_machine_open: false })
      if (n < c.click) {
        add(r, n, 'click', at + 330, {
          ...client(n),
          url: `https://example.org/news/2026/spring-programme?utm_source=outpost&utm_medium=email&utm_campaign=spring-update&utm_content=cta-${n % 3}`,
          url_offset: { index: n % 3, type: 'html' },
        })
      }
      if (n >= c.delivered - c.spamreport) add(r, n, 'spamreport', at + 900)
    } else if (n < c.delivered + c.bounce) {
      const isBlocked = (n - c.delivered) % 4 === 3
      add(r, n, 'bounce', at, {
        ip: '149.72.154.231',
        tls: 1,
        ...(isBlocked
          ? { type: 'blocked', status: '4.7.1', reason: '421 4.7.1 Temporarily deferred due to unexpected volume or user complaints', bounce_classification: 'Reputation' }
          : {}),
      })
    } else {
      add(r, n, 'dropped', at)
    }
  }
  return shuffle(events, random)
}

/**
 * The longest prefix of `events` whose JSON array is at most `bytes` long — one post as SendGrid
 * sends it when its batch reaches 768 KB.
 */
export const takeUpToBytes = (events: SendGridEventJSON[], bytes: number): SendGridEventJSON[] => {
  let size = 2
  let n = 0
  for (; n < events.length; n++) {
    const next = Buffer.byteLength(JSON.stringify(events[n])) + (n ? 1 : 0)
    if (size + next > bytes) break
    size += next
  }
  return events.slice(0, n)
}

export type Expected = { delivered: number; failed: number; sent: number; activeSuppressions: number; reviewSuppressions: number }

/**
 * What the events leave behind when every recipient was `sent` before: failed wins over delivered
 * over sent; a hard bounce, drop or spam report suppresses the address, a soft (`blocked`) bounce
 * only asks for review (unless the address is suppressed anyway).
 */
export const expectedOutcome = (recipients: number, events: SendGridEventJSON[]): Expected => {
  const failed = new Set<string>()
  const delivered = new Set<string>()
  const active = new Set<string>()
  const review = new Set<string>()
  for (const e of events) {
    const id = String(e.outpost_recipient_id)
    if (FAILING.has(e.event)) failed.add(id)
    if (e.event === 'delivered') delivered.add(id)
    if (FAILING.has(e.event)) (e.event === 'bounce' && e.type === 'blocked' ? review : active).add(e.email)
  }
  for (const id of failed) delivered.delete(id)
  for (const address of active) review.delete(address)
  return {
    delivered: delivered.size,
    failed: failed.size,
    sent: recipients - delivered.size - failed.size,
    activeSuppressions: active.size,
    reviewSuppressions: review.size,
  }
}
