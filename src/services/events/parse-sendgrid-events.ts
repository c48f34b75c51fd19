import { isValidEmail, normalizeEmail } from '../contacts/normalize-email'

/** SendGrid's event types we store; anything else in a post is skipped and counted. */
export const WEBHOOK_EVENT_TYPES = [
  'processed',
  'deferred',
  'delivered',
  'open',
  'click',
  'bounce',
  'dropped',
  'spamreport',
  'unsubscribe',
  'group_unsubscribe',
  'group_resubscribe',
] as const

/** What applying an event did. */
export const WEBHOOK_EVENT_OUTCOMES = ['updated', 'failed', 'suppressed', 'review', 'recorded', 'no_change', 'unmatched'] as const

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

/** One event of a SendGrid post, checked and normalised. */
export type SendgridEvent = {
  /** Position in the posted array: the stored raw payload is that element of the post's JSON text. */
  index: number
  eventID: string
  type: WebhookEventType
  address: string
  occurredAt: Date
  /** `sg_message_id`: its part before the first `.` is the X-Message-Id of our API request. */
  messageID: null | string
  /** Our recipient id from `custom_args` (SendGrid flattens custom args into the event). */
  recipientID: null | number
  /** Our inbox reply (a `messages` row) from `custom_args.outpost_reply_id`, for replies sent from the inbox. */
  replyID: null | number
  /** For bounces: `bounce` (hard) or `blocked` (soft). */
  bounceType: null | string
  /** The provider's reason and status code, for bounces and drops. */
  detail: null | string
  providerCode: null | string
  raw: Record<string, unknown>
}

export type ParsedEvents = { received: number; events: SendgridEvent[]; skipped: number; problems: string[] }

const KNOWN = new Set<string>(WEBHOOK_EVENT_TYPES)
/** SendGrid started in 2009; a day of clock skew ahead is the most we believe. */
const EARLIEST = Date.UTC(2009, 0, 1) / 1000
const MAX_PROBLEMS = 20

const text = (value: unknown, max: number): null | string =>
  typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : typeof value === 'number' ? String(value) : null

const NUL = /\u0000/g
/** JSON escapes PostgreSQL's jsonb refuses: NUL, and UTF-16 surrogates (a lone one cannot be stored; pairs are checked by the cleaning). */
const UNSTORABLE_ESCAPE = /\\u0000|\\u[dD][89a-fA-F]/

/** Whether a post's JSON text may hold a value PostgreSQL cannot store (see `storable`); false for nearly every post. */
export const needsCleaning = (jsonText: string): boolean => UNSTORABLE_ESCAPE.test(jsonText)

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

const clean = (text: string): string => text.replace(NUL, '').replace(LONE_SURROGATE, '\ufffd')

/**
 * A JSON value PostgreSQL can store: NUL characters removed and lone UTF-16 surrogates replaced by
 * U+FFFD in every string and key. Text and jsonb cannot hold either; one such character would fail a
 * whole post (and SendGrid would retry it forever). JSON text can only carry them escaped, so callers
 * clean a body only when `needsCleaning` says so.
 */
export const storable = (value: unknown): unknown => {
  if (typeof value === 'string') return clean(value)
  if (Array.isArray(value)) return value.map(storable)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [clean(key), storable(item)]))
  return value
}

/** One of our row ids echoed in custom_args (SendGrid gives them back as strings), or null. */
const ourID = (raw: unknown): null | number => {
  const id = typeof raw === 'string' || typeof raw === 'number' ? Number(raw) : NaN
  return Number.isInteger(id) && id > 0 && id < 2 ** 31 ? id : null
}

const checkEvent = (value: unknown, index: number, now: number): SendgridEvent | string => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'an entry is not an object'
  const event = value as Record<string, unknown>
  const eventID = typeof event.sg_event_id === 'string' ? event.sg_event_id.trim() : ''
  if (!eventID || eventID.length > 255) return 'an event has no sg_event_id'
  const type = event.event
  if (typeof type !== 'string' || !KNOWN.has(type)) return `event ${eventID.slice(0, 40)}: unknown type ${JSON.stringify(String(type).slice(0, 40))}`
  const address = typeof event.email === 'string' ? normalizeEmail(event.email) : ''
  if (!isValidEmail(address)) return `event ${eventID.slice(0, 40)}: no valid email`
  const timestamp = event.timestamp
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < EARLIEST || timestamp > now / 1000 + 86_400) {
    return `event ${eventID.slice(0, 40)}: timestamp is not a Unix time`
  }
  const recipientID = ourID(event.outpost_recipient_id)
  const replyID = ourID(event.outpost_reply_id)
  const status = text(event.status, 40)
  return {
    index,
    eventID,
    type: type as WebhookEventType,
    address,
    occurredAt: new Date(Math.floor(timestamp * 1000)),
    messageID: text(event.sg_message_id, 255),
    recipientID,
    replyID,
    bounceType: type === 'bounce' ? (text(event.type, 40)?.toLowerCase() ?? 'bounce') : null,
    detail: text(event.reason, 500) ?? text(event.response, 500),
    providerCode: status,
    raw: event,
  }
}

/**
 * Checks a parsed webhook body: it must be an array (else `null`); each entry that is not a valid event
 * of a known type is skipped and counted, never failing the rest. Repeats of one event id in the same
 * post keep the first.
 */
export const parseSendgridEvents = (body: unknown, now = Date.now()): null | ParsedEvents => {
  if (!Array.isArray(body)) return null
  const events: SendgridEvent[] = []
  const seen = new Set<string>()
  const problems: string[] = []
  let skipped = 0
  for (const [index, entry] of body.entries()) {
    const checked = checkEvent(entry, index, now)
    if (typeof checked === 'string') {
      skipped += 1
      if (problems.length < MAX_PROBLEMS) problems.push(checked)
    } else if (!seen.has(checked.eventID)) {
      seen.add(checked.eventID)
      events.push(checked)
    }
  }
  return { received: body.length, events, skipped, problems }
}
