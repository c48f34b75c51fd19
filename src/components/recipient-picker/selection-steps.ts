/**
 * The picker's unsaved changes to a job's explicit selection, as the steps the API takes in the job's
 * `selection` field (see src/services/audiences/selection-change.ts): ids chosen or dropped one by one
 * (one trailing `{ add, remove }` step, applied after everything before it, so the last click wins),
 * "select all matching" and "clear matching" filters, and "clear everything".
 */
export type PickerFilter = { search?: string; tag?: string; segment?: number }
export type Step = { add?: number[]; remove?: number[] } | { addMatching: PickerFilter } | { removeMatching: PickerFilter } | { clear: true }

const isIDStep = (step: Step | undefined): step is { add?: number[]; remove?: number[] } => Boolean(step) && !('addMatching' in step!) && !('removeMatching' in step!) && !('clear' in step!)

/** The steps with the contacts in `ids` chosen (`chosen`) or dropped, in the trailing id step. */
export const withIDs = (steps: readonly Step[], ids: readonly number[], chosen: boolean): Step[] => {
  if (!ids.length) return [...steps]
  const last = steps[steps.length - 1]
  const head = isIDStep(last) ? steps.slice(0, -1) : [...steps]
  const add = new Set(isIDStep(last) ? (last.add ?? []) : [])
  const remove = new Set(isIDStep(last) ? (last.remove ?? []) : [])
  for (const id of ids) {
    if (chosen) {
      remove.delete(id)
      add.add(id)
    } else {
      add.delete(id)
      remove.add(id)
    }
  }
  const tail: { add?: number[]; remove?: number[] } = {}
  if (add.size) tail.add = [...add]
  if (remove.size) tail.remove = [...remove]
  return tail.add || tail.remove ? [...head, tail] : head
}

/** The steps with a filter's contacts all chosen or all dropped (the server resolves the filter on save). */
export const withMatching = (steps: readonly Step[], filter: PickerFilter, chosen: boolean): Step[] => [...steps, chosen ? { addMatching: filter } : { removeMatching: filter }]

/** The steps of a selection emptied: everything before no longer matters. */
export const cleared = (): Step[] => [{ clear: true }]

/** Steps as the form holds them (an unknown value from the form state: anything malformed is no step). */
export const stepsOf = (value: unknown): Step[] => (Array.isArray(value) ? (value.filter((step) => step && typeof step === 'object' && !Array.isArray(step)) as Step[]) : [])

/**
 * The chosen ids once the steps apply to `base`, when every step is known locally (ids and clears):
 * for the picker that holds all contacts. Matching steps are resolved by `matches` (the loaded rows).
 */
export const foldSelection = (base: Iterable<number>, steps: readonly Step[], matches: (filter: PickerFilter) => Iterable<number>): Set<number> => {
  const chosen = new Set(base)
  for (const step of steps) {
    if ('clear' in step) chosen.clear()
    else if ('addMatching' in step) for (const id of matches(step.addMatching)) chosen.add(id)
    else if ('removeMatching' in step) for (const id of matches(step.removeMatching)) chosen.delete(id)
    else {
      for (const id of step.add ?? []) chosen.add(id)
      for (const id of step.remove ?? []) chosen.delete(id)
    }
  }
  return chosen
}
