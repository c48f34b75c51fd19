import { z } from 'zod'

import { AppError } from '../errors/app-error'
import { parseStoredID } from '../http/stored-id'

/**
 * A change to a job's explicit selection (the contacts chosen one by one, kept in
 * `job_audience_contacts`, never as one relationship array): steps applied in order: replace it, add or
 * remove ids, clear it, or add or remove every contact matching a picker filter ("Select all matching",
 * without listing a million ids in the browser). Written as one step object (`{ add: [1, 2] }`; keys of
 * one object apply as set, clear, add, remove, addMatching, removeMatching) or a list of them.
 */
export const MAX_IDS_PER_CHANGE = 100_000
export const MAX_STEPS_PER_CHANGE = 200

export type PickerFilter = { search?: string; tag?: string; segment?: number }
export type SelectionStep =
  | { op: 'set'; ids: number[] }
  | { op: 'add'; ids: number[] }
  | { op: 'remove'; ids: number[] }
  | { op: 'clear' }
  | { op: 'addMatching'; filter: PickerFilter }
  | { op: 'removeMatching'; filter: PickerFilter }
export type SelectionChange = SelectionStep[]

const ids = z.array(z.union([z.number(), z.string()]))
const filterSchema = z
  .object({
    search: z.string().trim().max(200, 'A search is at most 200 characters.').optional(),
    tag: z.string().trim().max(100, 'A tag is at most 100 characters.').optional(),
    segment: z.union([z.number(), z.string()]).optional(),
  })
  .strict()
const stepSchema = z
  .object({
    set: ids.optional(),
    clear: z.boolean().optional(),
    add: ids.optional(),
    remove: ids.optional(),
    addMatching: filterSchema.optional(),
    removeMatching: filterSchema.optional(),
  })
  .strict()
const changeSchema = z.union([stepSchema, z.array(stepSchema).max(MAX_STEPS_PER_CHANGE, `At most ${MAX_STEPS_PER_CHANGE} steps at once.`)])

const idList = (values: (number | string)[], what: string): number[] => {
  const parsed = values.map((value) => parseStoredID(value))
  const bad = values.find((_, index) => parsed[index] === null)
  if (bad !== undefined) throw new AppError('INVALID_INPUT', `${what}: "${String(bad).slice(0, 40)}" is not a contact id.`)
  return [...new Set(parsed as number[])]
}

const filterOf = (value: z.infer<typeof filterSchema>, allowEmpty = false): PickerFilter => {
  const segment = value.segment === undefined || value.segment === '' ? undefined : parseStoredID(value.segment)
  if (segment === null) throw new AppError('INVALID_INPUT', '`segment` must be a segment id.')
  const filter: PickerFilter = { search: value.search || undefined, tag: value.tag || undefined, segment }
  if (!allowEmpty && !filter.search && !filter.tag && filter.segment === undefined) throw new AppError('INVALID_INPUT', 'A filter needs a search, a tag or a segment.')
  return filter
}

/** A picker filter as a search sends it (every part optional), checked; a 400 names what is wrong. */
export const parsePickerFilter = (value: unknown): PickerFilter => {
  const result = filterSchema.safeParse(value ?? {})
  if (!result.success) throw new AppError('INVALID_INPUT', `The filter is not valid: ${result.error.issues.map((issue) => `${issue.path.join('.') || 'filter'}: ${issue.message}`).join('; ')}.`)
  return filterOf(result.data, true)
}

/** The change, checked: ids are stored ids, filters have something to match, sizes are bounded. A 400 names what is wrong. */
export const parseSelectionChange = (value: unknown): SelectionChange => {
  if (Array.isArray(value) && value.length > MAX_STEPS_PER_CHANGE) throw new AppError('INVALID_INPUT', `At most ${MAX_STEPS_PER_CHANGE} steps at once.`)
  const result = changeSchema.safeParse(value)
  if (!result.success) {
    throw new AppError('INVALID_INPUT', `The selection change is not valid: ${result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ')}.`)
  }
  const steps: SelectionChange = []
  for (const step of Array.isArray(result.data) ? result.data : [result.data]) {
    if (step.set) steps.push({ op: 'set', ids: idList(step.set, '`set`') })
    if (step.clear) steps.push({ op: 'clear' })
    if (step.add) steps.push({ op: 'add', ids: idList(step.add, '`add`') })
    if (step.remove) steps.push({ op: 'remove', ids: idList(step.remove, '`remove`') })
    if (step.addMatching) steps.push({ op: 'addMatching', filter: filterOf(step.addMatching) })
    if (step.removeMatching) steps.push({ op: 'removeMatching', filter: filterOf(step.removeMatching) })
  }
  const total = steps.reduce((sum, step) => sum + ('ids' in step ? step.ids.length : 0), 0)
  if (total > MAX_IDS_PER_CHANGE) {
    throw new AppError('INVALID_INPUT', `At most ${MAX_IDS_PER_CHANGE.toLocaleString('en')} ids at once: use "Select all matching" for more.`)
  }
  return steps
}

/** The ids a change chooses (set or add): each must be a contact of the job's org. */
export const chosenIDs = (change: SelectionChange): number[] => [...new Set(change.flatMap((step) => (step.op === 'set' || step.op === 'add' ? step.ids : [])))]

/** The segments a change's filters name (read as the user before it applies). */
export const filterSegmentIDs = (change: SelectionChange): number[] => [
  ...new Set(change.flatMap((step) => (step.op === 'addMatching' || step.op === 'removeMatching') && step.filter.segment !== undefined ? [step.filter.segment] : [])),
]

export const isEmptyChange = (change: SelectionChange) => change.every((step) => (step.op === 'add' || step.op === 'remove') && step.ids.length === 0)
