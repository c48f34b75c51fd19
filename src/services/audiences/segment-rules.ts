import { z } from 'zod'

/**
 * A segment: a saved, named filter over an organisation's contacts. The same rules serve email and SMS
 * jobs; they are compiled to SQL by compileSegmentRules. Every part is bounded (lengths, counts, days),
 * so a stored rule can never become an unbounded query.
 */
const text = z.string().trim().min(1, 'Give a value.').max(200, 'At most 200 characters.')
const days = z.number().int('Days are whole numbers.').min(1, 'At least 1 day.').max(3650, 'At most 3,650 days (ten years).')

export const TEXT_FIELDS = ['firstName', 'lastName', 'email', 'phone'] as const
export const TEXT_OPERATORS = ['is', 'is_not', 'contains', 'not_contains', 'starts_with', 'ends_with', 'is_empty', 'is_not_empty'] as const

const tagsCondition = z.object({
  field: z.literal('tags'),
  op: z.enum(['any', 'all', 'none']),
  values: z.array(text).min(1, 'Choose at least one tag.').max(50, 'At most 50 tags.'),
})
const textCondition = z
  .object({ field: z.enum(TEXT_FIELDS), op: z.enum(TEXT_OPERATORS), value: z.string().trim().max(200, 'At most 200 characters.').optional() })
  .refine((c) => c.op === 'is_empty' || c.op === 'is_not_empty' || Boolean(c.value), { message: 'Give a value to compare with.', path: ['value'] })
const createdCondition = z.union([
  z.object({ field: z.literal('createdAt'), op: z.enum(['before', 'after']), date: z.iso.date('Use a date like 2026-12-31.').refine((date) => date >= '1900-01-01' && date <= '2999-12-31', 'Use a date between 1900 and 2999.') }),
  z.object({ field: z.literal('createdAt'), op: z.enum(['within_days', 'older_than_days']), days }),
])
const engagementCondition = z.union([
  z.object({ field: z.literal('engagement'), op: z.enum(['opened_within', 'clicked_within', 'not_opened_within']), days }),
  z.object({ field: z.literal('engagement'), op: z.literal('never_opened') }),
])
const suppressedCondition = z.object({ field: z.literal('suppressed'), channel: z.enum(['email', 'sms']), op: z.enum(['is', 'is_not']) })
const contactedCondition = z.union([
  z.object({ field: z.literal('lastContacted'), op: z.enum(['within_days', 'not_within_days']), days }),
  z.object({ field: z.literal('lastContacted'), op: z.literal('never') }),
])

export const segmentCondition = z.union([tagsCondition, textCondition, createdCondition, engagementCondition, suppressedCondition, contactedCondition])
export const segmentRules = z.object({
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(segmentCondition).min(1, 'Add at least one condition.').max(20, 'At most 20 conditions.'),
})

export type SegmentCondition = z.infer<typeof segmentCondition>
export type SegmentRules = z.infer<typeof segmentRules>

type Issue = { path: PropertyKey[]; message: string; code?: string; errors?: Issue[][] }

/**
 * A union's "Invalid input" said as the problem of the kind of condition that was meant: the branches
 * whose `field` and `op` matched (their other issues are the real ones), the closest of them first.
 */
const explainIssue = (issue: Issue, nested = false): Issue[] => {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return [issue]
  const branches = issue.errors
    .map((branch) => branch.flatMap((inner) => explainIssue(inner, true)))
    .filter((branch) => branch.length && !branch.some((inner) => ['field', 'op', 'channel'].includes(String(inner.path[0])) && inner.path.length === 1))
  // Inside another union, a union none of whose branches was meant is a mismatch of its own `field`.
  if (!branches.length) return [nested ? { ...issue, path: ['field'] } : { ...issue, message: 'This kind of condition is not known: check its field and operator.' }]
  const closest = branches.sort((a, b) => a.length - b.length)[0]!
  return closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }))
}

/** The rules, checked, or the reasons they are not valid (one sentence per problem, naming the condition). */
export const parseSegmentRules = (value: unknown): { ok: true; rules: SegmentRules } | { ok: false; problems: string[] } => {
  const result = segmentRules.safeParse(value)
  if (result.success) return { ok: true, rules: result.data }
  const problems = result.error.issues.flatMap((issue) => explainIssue(issue)).map((issue) => {
    const [first, index] = issue.path
    const where = first === 'conditions' && typeof index === 'number' ? `Condition ${index + 1}: ` : ''
    return `${where}${issue.message}`
  })
  return { ok: false, problems: [...new Set(problems)] }
}
