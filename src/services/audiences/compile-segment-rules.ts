import { normalizePhone, phoneSql } from '../contacts/normalize-address'
import type { SegmentCondition, SegmentRules } from './segment-rules'

/** A SQL condition over `contacts c` and the values of its placeholders, which start at `$<first>`. */
export type SqlFragment = { sql: string; params: unknown[] }

const COLUMN = { firstName: 'c.first_name', lastName: 'c.last_name', email: 'c.email', phone: 'c.phone' } as const

/** `%`, `_` and `\` in a user's value are literal characters, not LIKE patterns. */
const escapeLike = (value: string) => value.replace(/[\\%_]/g, (ch) => `\\${ch}`)

/** A contact's phone as suppressions store SMS addresses (normalizePhone, in SQL). */
const PHONE = phoneSql('c.phone')

/**
 * Compiles segment rules to one SQL condition over `contacts c` (the caller adds the org). Values go in
 * as parameters, never into the text. Each condition uses an index: tags by value, engagement through
 * the recipients of the contact, suppressions by address.
 */
export const compileSegmentRules = (rules: SegmentRules, first = 1): SqlFragment => {
  const params: unknown[] = []
  const param = (value: unknown) => {
    params.push(value)
    return `$${first + params.length - 1}`
  }
  const tagExists = (values: string[]) => `EXISTS (SELECT 1 FROM contacts_texts t WHERE t.parent_id = c.id AND t.path = 'tags' AND t.text = ANY(${param(values)}::text[]))`
  const daysAgo = (days: number) => `now() - make_interval(days => ${param(days)}::int)`
  const events = (type: 'click' | 'open', since: string | null) =>
    `EXISTS (SELECT 1 FROM email_recipients r JOIN webhook_events w ON w.recipient_id = r.id
              WHERE r.contact_id = c.id AND w.type = '${type}'${since ? ` AND w.occurred_at >= ${since}` : ''})`
  const sent = (since: string | null) => `EXISTS (SELECT 1 FROM email_recipients r WHERE r.contact_id = c.id AND r.sent_at IS NOT NULL${since ? ` AND r.sent_at >= ${since}` : ''})`

  const one = (condition: SegmentCondition): string => {
    switch (condition.field) {
      case 'tags': {
        const values = [...new Set(condition.values)]
        if (condition.op === 'any') return tagExists(values)
        if (condition.op === 'none') return `NOT ${tagExists(values)}`
        return `(SELECT count(DISTINCT t.text) FROM contacts_texts t WHERE t.parent_id = c.id AND t.path = 'tags' AND t.text = ANY(${param(values)}::text[])) = ${values.length}`
      }
      case 'firstName':
      case 'lastName':
      case 'email':
      case 'phone': {
        const column = condition.field === 'phone' ? PHONE : COLUMN[condition.field]
        // A phone is compared as stored for sending: digits and a leading + (normalizePhone), on both sides.
        const value = condition.field === 'phone' ? normalizePhone(condition.value ?? '') : (condition.value ?? '')
        switch (condition.op) {
          case 'is':
            return `lower(${column}) = lower(${param(value)})`
          case 'is_not':
            return `lower(coalesce(${column}, '')) <> lower(${param(value)})`
          case 'contains':
            return `${column} ILIKE ${param(`%${escapeLike(value)}%`)}`
          case 'not_contains':
            return `coalesce(${column}, '') NOT ILIKE ${param(`%${escapeLike(value)}%`)}`
          case 'starts_with':
            return `${column} ILIKE ${param(`${escapeLike(value)}%`)}`
          case 'ends_with':
            return `${column} ILIKE ${param(`%${escapeLike(value)}`)}`
          case 'is_empty':
            return `coalesce(btrim(${column}), '') = ''`
          case 'is_not_empty':
            return `coalesce(btrim(${column}), '') <> ''`
        }
        break
      }
      case 'createdAt':
        if ('date' in condition) return condition.op === 'before' ? `c.created_at < ${param(condition.date)}::date` : `c.created_at >= (${param(condition.date)}::date + 1)`
        return condition.op === 'within_days' ? `c.created_at >= ${daysAgo(condition.days)}` : `c.created_at < ${daysAgo(condition.days)}`
      case 'engagement':
        if (condition.op === 'never_opened') return `NOT ${events('open', null)}`
        if (condition.op === 'opened_within') return events('open', daysAgo(condition.days))
        if (condition.op === 'clicked_within') return events('click', daysAgo(condition.days))
        return `NOT ${events('open', daysAgo(condition.days))}`
      case 'suppressed': {
        const address = condition.channel === 'email' ? 'lower(c.email)' : PHONE
        const exists = `EXISTS (SELECT 1 FROM suppressions s
                 WHERE s.status = 'active' AND s.channel = ${param(condition.channel)}::enum_suppressions_channel
                   AND (s.org_id = c.org_id OR s.org_id IS NULL) AND s.address = ${address})`
        return condition.op === 'is' ? exists : `NOT ${exists}`
      }
      case 'lastContacted':
        if (condition.op === 'never') return `NOT ${sent(null)}`
        if (condition.op === 'within_days') return sent(daysAgo(condition.days))
        return `NOT ${sent(daysAgo(condition.days))}`
    }
    throw new Error(`Unknown segment condition ${JSON.stringify(condition)}`)
  }

  const parts = rules.conditions.map((condition) => `(${one(condition)})`)
  return { sql: `(${parts.join(rules.match === 'any' ? ' OR ' : ' AND ')})`, params }
}
