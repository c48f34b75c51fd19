import type { Where } from 'payload'
import { transformWhereQuery } from 'payload/shared'

/** The dimensions the quick filters set; each is one condition in every branch of the list's `where`. */
export type QuickFilterKey = 'channel' | 'reason' | 'scope' | 'status'
export type QuickFilters = Partial<Record<QuickFilterKey, string>>

const EQUALS_FIELDS = ['channel', 'reason', 'status'] as const

// `exists` as the strings 'true'/'false', as Payload's filter builder writes it: given a boolean `false`,
// the builder reads the condition as empty and rewrites the URL without it.
const conditionOf = (key: QuickFilterKey, value: string): Where =>
  key === 'scope' ? { org: { exists: value === 'global' ? 'false' : 'true' } } : { [key]: { equals: value } }

/** Which quick filter a single `where` condition is, with its value, or null for anything else. */
const readCondition = (condition: Where): null | [QuickFilterKey, string] => {
  const keys = Object.keys(condition)
  if (keys.length !== 1) return null
  const field = keys[0]!
  const operand = condition[field] as Record<string, unknown> | undefined
  if (!operand || typeof operand !== 'object' || Object.keys(operand).length !== 1) return null
  if ((EQUALS_FIELDS as readonly string[]).includes(field) && typeof operand.equals === 'string') return [field as QuickFilterKey, operand.equals]
  if (field === 'org' && 'exists' in operand) return ['scope', operand.exists === false || operand.exists === 'false' ? 'global' : 'org']
  return null
}

/** The list's `where` as OR-branches of AND-conditions (the filter builder's own shape). */
const branchesOf = (where: undefined | Where): Where[][] => {
  if (!where || Object.keys(where).length === 0) return []
  const shaped = transformWhereQuery(where)
  if (shaped.and || !Array.isArray(shaped.or)) return [[where]]
  return shaped.or.map((branch) => (Array.isArray(branch.and) ? branch.and : [branch]))
}

/** The quick filters in force: a value counts when every branch of the query holds it. */
export const readQuickFilters = (where: undefined | Where): QuickFilters => {
  const branches = branchesOf(where)
  const found: QuickFilters = {}
  if (branches.length === 0) return found
  for (const key of ['channel', 'reason', 'scope', 'status'] as const) {
    const values = branches.map((conditions) => conditions.map(readCondition).find((hit) => hit?.[0] === key)?.[1])
    if (values[0] !== undefined && values.every((value) => value === values[0])) found[key] = values[0]
  }
  return found
}

/**
 * Sets one quick filter (or clears it with `undefined`) in every branch of the query and keeps every
 * other condition, so the chips and Payload's own filter builder edit the same `where`.
 */
export const applyQuickFilter = (where: undefined | Where, key: QuickFilterKey, value: string | undefined): Where => {
  const current = branchesOf(where)
  const branches = (current.length ? current : [[]]).map((conditions) => [
    ...conditions.filter((condition) => readCondition(condition)?.[0] !== key),
    ...(value === undefined ? [] : [conditionOf(key, value)]),
  ])
  // A branch without conditions matches everything, and so does the whole OR.
  if (branches.some((conditions) => conditions.length === 0)) return {}
  return { or: branches.map((conditions) => ({ and: conditions })) }
}

/** `where` as a list URL's query string (`?where[or][0][and][0][status][equals]=…`), for real links. */
export const whereToSearch = (where: Where): string => {
  const params = new URLSearchParams()
  const walk = (value: unknown, prefix: string) => {
    if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, `${prefix}[${key}]`)
    } else if (value !== undefined) params.append(prefix, String(value))
  }
  for (const [key, value] of Object.entries(where)) walk(value, `where[${key}]`)
  const search = params.toString()
  return search ? `?${search}` : '?'
}
