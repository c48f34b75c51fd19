import type { SegmentCondition, SegmentRules } from '@/services/audiences/segment-rules'

/** The builder's view of the server's segment rules (src/services/audiences/segment-rules.ts). */
export type Condition = SegmentCondition
export type Rules = SegmentRules

type Input = 'tags' | 'text' | 'date' | 'days' | 'none'
type Kind = {
  field: Condition['field']
  label: string
  ops: { op: string; label: string; input: Input }[]
  /** The condition with another operator, keeping what still applies. */
  withOp: (condition: Condition, op: string) => Condition
}

const TEXT_OPS = [
  { op: 'is', label: 'is', input: 'text' },
  { op: 'is_not', label: 'is not', input: 'text' },
  { op: 'contains', label: 'contains', input: 'text' },
  { op: 'not_contains', label: 'does not contain', input: 'text' },
  { op: 'starts_with', label: 'starts with', input: 'text' },
  { op: 'ends_with', label: 'ends with', input: 'text' },
  { op: 'is_empty', label: 'is empty', input: 'none' },
  { op: 'is_not_empty', label: 'is not empty', input: 'none' },
] as const

const textKind = (field: 'firstName' | 'lastName' | 'email' | 'phone', label: string): Kind => ({
  field,
  label,
  ops: [...TEXT_OPS],
  withOp: (c, op) => ({ field, op, value: 'value' in c ? c.value : '' }) as Condition,
})

const daysOr = (c: Condition) => ('days' in c && typeof c.days === 'number' ? c.days : 30)

export const CONDITION_KINDS: Kind[] = [
  {
    field: 'tags',
    label: 'Tags',
    ops: [
      { op: 'any', label: 'has any of', input: 'tags' },
      { op: 'all', label: 'has all of', input: 'tags' },
      { op: 'none', label: 'has none of', input: 'tags' },
    ],
    withOp: (c, op) => ({ field: 'tags', op, values: 'values' in c ? c.values : [] }) as Condition,
  },
  textKind('firstName', 'First name'),
  textKind('lastName', 'Last name'),
  textKind('email', 'Email'),
  textKind('phone', 'Phone'),
  {
    field: 'createdAt',
    label: 'Added',
    ops: [
      { op: 'within_days', label: 'within the last', input: 'days' },
      { op: 'older_than_days', label: 'more than … ago', input: 'days' },
      { op: 'before', label: 'before', input: 'date' },
      { op: 'after', label: 'after', input: 'date' },
    ],
    withOp: (c, op) =>
      (op === 'before' || op === 'after'
        ? { field: 'createdAt', op, date: 'date' in c ? c.date : new Date().toISOString().slice(0, 10) }
        : { field: 'createdAt', op, days: daysOr(c) }) as Condition,
  },
  {
    field: 'engagement',
    label: 'Engagement',
    ops: [
      { op: 'opened_within', label: 'opened an email within the last', input: 'days' },
      { op: 'clicked_within', label: 'clicked within the last', input: 'days' },
      { op: 'not_opened_within', label: 'opened nothing within the last', input: 'days' },
      { op: 'never_opened', label: 'never opened an email', input: 'none' },
    ],
    withOp: (c, op) => (op === 'never_opened' ? { field: 'engagement', op } : { field: 'engagement', op, days: daysOr(c) }) as Condition,
  },
  {
    field: 'suppressed',
    label: 'Suppressed',
    ops: [
      { op: 'is_not', label: 'is not suppressed', input: 'none' },
      { op: 'is', label: 'is suppressed', input: 'none' },
    ],
    withOp: (c, op) => ({ field: 'suppressed', op, channel: 'channel' in c ? c.channel : 'email' }) as Condition,
  },
  {
    field: 'lastContacted',
    label: 'Last contacted',
    ops: [
      { op: 'within_days', label: 'within the last', input: 'days' },
      { op: 'not_within_days', label: 'not within the last', input: 'days' },
      { op: 'never', label: 'never', input: 'none' },
    ],
    withOp: (c, op) => (op === 'never' ? { field: 'lastContacted', op } : { field: 'lastContacted', op, days: daysOr(c) }) as Condition,
  },
]

export const defaultCondition = (field: Condition['field']): Condition => {
  const kind = CONDITION_KINDS.find((k) => k.field === field)!
  return kind.withOp({ field } as Condition, kind.ops[0]!.op)
}

/** The condition in words, for the count's sentence. */
export const conditionSummary = (condition: Condition): string => {
  const kind = CONDITION_KINDS.find((k) => k.field === condition.field)!
  const op = kind.ops.find((o) => o.op === ('op' in condition ? condition.op : ''))
  const what = condition.field === 'suppressed' ? `suppressed for ${condition.channel === 'sms' ? 'SMS' : 'email'}` : kind.label.toLowerCase()
  const value =
    'values' in condition ? condition.values.join(', ') : 'value' in condition && condition.value ? `"${condition.value}"` : 'date' in condition ? condition.date : 'days' in condition ? `${condition.days} days` : ''
  if (condition.field === 'suppressed') return condition.op === 'is' ? what : `not ${what}`
  return [what, op?.label ?? '', value].filter(Boolean).join(' ')
}
