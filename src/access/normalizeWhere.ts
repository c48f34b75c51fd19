import type { Access, Where } from 'payload'

/**
 * A filter with every single-valued `in` written as `equals` (`org in [7]` → `org = 7`). Payload turns a
 * relationship's `in` list into `IN (7, '7')`, and PostgreSQL 15 cannot walk an index in order under an
 * IN list: every sorted page of a large list then sorted all of the org's rows. With `=`, the
 * org-leading indexes (contacts_org_first_idx, …) serve each sort in order. Same rows either way.
 */
export const normalizeWhere = (where: Where): Where => {
  const out: Where = {}
  for (const [key, value] of Object.entries(where)) {
    if ((key === 'and' || key === 'or') && Array.isArray(value)) {
      out[key] = value.map((child) => normalizeWhere(child as Where))
      continue
    }
    if (value && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as { in?: unknown }).in)) {
      const { in: list, ...rest } = value as { in: unknown[] }
      const distinct = list.filter((item, index) => list.findIndex((other) => String(other) === String(item)) === index)
      out[key] = (distinct.length === 1 && !('equals' in rest) ? { ...rest, equals: distinct[0] } : { ...rest, in: list }) as Where[string]
      continue
    }
    out[key] = value as Where[string]
  }
  return out
}

/** An access function whose filter is normalised (see normalizeWhere); true and false pass unchanged. */
export const withNormalizedWhere =
  (access: Access): Access =>
  async (args) => {
    const result = await access(args)
    return result && typeof result === 'object' ? normalizeWhere(result as Where) : result
  }
