import { parseStoredID } from './stored-id'

/**
 * Checks of the query parameters Payload's REST API reads (`limit`, `page`, `depth`, `pagination`,
 * `where`), before they reach the database: what would fail there as a 500 (or quietly return every
 * row) is refused here with a sentence. Pure functions; the endpoint guard throws their answers.
 */

export const MAX_LIST_LIMIT = 1000
export const MAX_PAGE = 1_000_000
export const MAX_DEPTH = 10
const MAX_WHERE_NODES = 200
const MAX_WHERE_DEPTH = 8

export const OPERATORS = ['equals', 'contains', 'not_equals', 'in', 'all', 'not_in', 'exists', 'greater_than', 'greater_than_equal', 'less_than', 'less_than_equal', 'like', 'not_like', 'within', 'intersects', 'near'] as const
type Operator = (typeof OPERATORS)[number]

/** The shape of a field as far as filtering goes (Payload's flattened field, reduced). */
export type FilterField = {
  name: string
  type: string
  hasMany?: boolean
  options?: string[]
  relationTo?: string | string[]
}

const COMPARE: Operator[] = ['equals', 'not_equals', 'in', 'not_in', 'exists', 'greater_than', 'greater_than_equal', 'less_than', 'less_than_equal']
const TEXT: Operator[] = [...COMPARE, 'like', 'not_like', 'contains']
const BY_TYPE: Record<string, Operator[]> = {
  number: COMPARE,
  date: COMPARE,
  text: TEXT,
  textarea: TEXT,
  email: TEXT,
  code: TEXT,
  json: [...TEXT],
  richText: TEXT,
  select: ['equals', 'not_equals', 'in', 'not_in', 'exists', 'all', 'like', 'not_like', 'contains'],
  radio: ['equals', 'not_equals', 'in', 'not_in', 'exists', 'like', 'not_like', 'contains'],
  checkbox: ['equals', 'not_equals', 'exists', 'in', 'not_in'],
  relationship: ['equals', 'not_equals', 'in', 'not_in', 'exists', 'all'],
  upload: ['equals', 'not_equals', 'in', 'not_in', 'exists', 'all'],
  point: ['equals', 'not_equals', 'exists', 'near', 'within', 'intersects'],
}
// Text with hasMany is stored as rows: `all` and the range operators have no meaning there.
const TEXT_MANY: Operator[] = ['equals', 'not_equals', 'in', 'not_in', 'exists', 'like', 'not_like', 'contains']
const NUMBER_MANY: Operator[] = ['equals', 'not_equals', 'in', 'not_in', 'exists', 'greater_than', 'greater_than_equal', 'less_than', 'less_than_equal']

export class QueryInputError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message)
    this.name = 'QueryInputError'
  }
}

const fail = (message: string): never => {
  throw new QueryInputError(message)
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value))
const shown = (value: unknown) => `"${asText(value).slice(0, 40)}"`

/** A whole number within [min, max], or undefined when absent; anything else is refused. */
export const intParam = (name: string, value: unknown, min: number, max: number): number | undefined => {
  if (value === undefined) return undefined
  const text = Array.isArray(value) ? fail(`Give "${name}" once.`) : asText(value).trim()
  if (!/^-?\d{1,10}$/.test(text)) fail(`"${name}" must be a whole number from ${min} to ${max}, not ${shown(value)}.`)
  const number = Number(text)
  if (number < min || number > max) fail(`"${name}" must be a whole number from ${min} to ${max}, not ${shown(value)}.`)
  return number
}

/** limit, page, depth and pagination of a REST request. `bulk`: an update or delete by `where` (limit 0 = all matching). */
export const checkPaging = (query: Record<string, unknown>, { bulk }: { bulk: boolean }) => {
  const limit = intParam('limit', query.limit, bulk ? 0 : 1, bulk ? MAX_LIST_LIMIT * 10 : MAX_LIST_LIMIT)
  intParam('page', query.page, 1, MAX_PAGE)
  intParam('depth', query.depth, 0, MAX_DEPTH)
  if (query.pagination !== undefined) {
    const text = asText(query.pagination)
    if (text !== 'true' && text !== 'false') fail(`"pagination" must be true or false, not ${shown(query.pagination)}.`)
    if (text === 'false' && !bulk && limit === undefined) fail(`"pagination=false" needs a "limit" (at most ${MAX_LIST_LIMIT}).`)
  }
}

const isDBID = (value: unknown) => parseStoredID(typeof value === 'number' ? value : asText(value)) !== null

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value])

const checkValue = (path: string, field: FilterField | undefined, operator: Operator, value: unknown) => {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && operator !== 'near' && operator !== 'within' && operator !== 'intersects') {
    fail(`The filter on "${path}" (${operator}) takes a value, not an object.`)
  }
  if (operator === 'exists') {
    if (!['true', 'false'].includes(asText(value))) fail(`"exists" on "${path}" takes true or false, not ${shown(value)}.`)
    return
  }
  if (!field) return
  const values = operator === 'in' || operator === 'not_in' || operator === 'all' ? listOf(value) : [value]
  for (const item of values) {
    if (item === null || item === undefined || item === '' || item === 'null') continue
    switch (field.type) {
      case 'id':
      case 'relationship':
      case 'upload':
        if (!Array.isArray(field.relationTo) && !isDBID(item)) fail(`${shown(item)} is not an id (filter on "${path}").`)
        break
      case 'number':
        if (!/^-?\d+(\.\d+)?(e[+-]?\d{1,3})?$/i.test(asText(item).trim()) || !Number.isFinite(Number(item))) fail(`${shown(item)} is not a number (filter on "${path}").`)
        break
      case 'date':
        if (Number.isNaN(new Date(asText(item)).getTime())) fail(`${shown(item)} is not a date (filter on "${path}"); use ISO 8601, e.g. 2026-12-06T09:30:00Z.`)
        break
      case 'checkbox':
        if (!['true', 'false'].includes(asText(item))) fail(`"${path}" is true or false, not ${shown(item)}.`)
        break
      case 'select':
      case 'radio':
        if (field.options && (operator === 'equals' || operator === 'not_equals' || operator === 'in' || operator === 'not_in' || operator === 'all') && !field.options.includes(asText(item))) {
          fail(`${shown(item)} is not a value of "${path}"; use one of: ${field.options.join(', ')}.`)
        }
        break
      default:
        break
    }
  }
}

const operatorsFor = (field: FilterField): Operator[] => {
  if (field.type === 'id') return COMPARE
  if (field.hasMany && (field.type === 'text' || field.type === 'textarea' || field.type === 'email')) return TEXT_MANY
  if (field.hasMany && field.type === 'number') return NUMBER_MANY
  return BY_TYPE[field.type] ?? [...OPERATORS]
}

/**
 * A `where` filter: known operators only, each allowed for the type of the top-level field it names
 * (deeper paths are left to Payload's own path checks), and values of the field's kind (ids, numbers,
 * dates, choices). Bounded in size and nesting.
 */
export const checkWhere = (where: unknown, fields: ReadonlyMap<string, FilterField>) => {
  let nodes = 0
  const walk = (node: unknown, depth: number) => {
    if (node === undefined || node === null || node === '') return
    if (typeof node !== 'object' || Array.isArray(node)) fail('"where" must be an object of field filters.')
    if (depth > MAX_WHERE_DEPTH) fail(`"where" is nested more than ${MAX_WHERE_DEPTH} levels deep.`)
    for (const [key, condition] of Object.entries(node as Record<string, unknown>)) {
      nodes += 1
      if (nodes > MAX_WHERE_NODES) fail(`"where" has more than ${MAX_WHERE_NODES} conditions.`)
      if (key === 'and' || key === 'or') {
        const list = Array.isArray(condition) ? condition : condition && typeof condition === 'object' ? Object.values(condition) : fail(`"${key}" takes a list of filters.`)
        for (const child of list as unknown[]) walk(child, depth + 1)
        continue
      }
      if (!condition || typeof condition !== 'object' || Array.isArray(condition)) fail(`The filter on "${key}" needs an operator, e.g. where[${key}][equals]=…`)
      const top = key.split('.')[0]!
      const field = fields.get(top)
      const leaf = key.includes('.') ? undefined : field
      for (const [operator, value] of Object.entries(condition as Record<string, unknown>)) {
        if (!(OPERATORS as readonly string[]).includes(operator)) fail(`"${operator}" is not a filter operator; use one of: ${OPERATORS.join(', ')}.`)
        if (leaf && !operatorsFor(leaf).includes(operator as Operator)) {
          fail(`"${operator}" cannot filter "${key}" (${leaf.hasMany ? 'a list of ' : /^[aeiou]/.test(leaf.type) || leaf.type === 'id' ? 'an ' : 'a '}${leaf.type} field); use one of: ${operatorsFor(leaf).join(', ')}.`)
        }
        checkValue(key, leaf, operator as Operator, value)
      }
    }
  }
  walk(where, 0)
}
