import type { CollectionBeforeOperationHook, CollectionSlug, Field, FieldAccess, PayloadRequest, Where } from 'payload'

import type { LoudFieldCustom } from '@/access/fieldAccess'
import { relationID } from '@/access/orgAccess'
import { AppError } from '@/services/errors/app-error'

type Row = Record<string, unknown>
type Loud = { path: string[]; field: Field & { name: string; access?: { create?: FieldAccess; update?: FieldAccess } } }

const markerOf = (field: Field): LoudFieldCustom | undefined => {
  const custom = field.custom as LoudFieldCustom | undefined
  if (custom?.refuseDeniedWrites) return custom
  const access = (field as { access?: { update?: LoudFieldCustom } }).access?.update
  return access?.refuseDeniedWrites ? access : undefined
}
const isLoud = (field: Field) => Boolean(markerOf(field))

/** The fields of a collection marked LOUD_ACCESS, with their data paths (through groups, tabs, rows, collapsibles). */
export const loudFields = (fields: Field[], prefix: string[] = []): Loud[] =>
  fields.flatMap((field): Loud[] => {
    const named = 'name' in field && typeof field.name === 'string' ? field.name : null
    if (isLoud(field) && named) return [{ path: [...prefix, named], field: field as Loud['field'] }]
    if (field.type === 'group') return loudFields(field.fields, named ? [...prefix, named] : prefix)
    if (field.type === 'row' || field.type === 'collapsible') return loudFields(field.fields, prefix)
    if (field.type === 'tabs') return field.tabs.flatMap((tab) => loudFields(tab.fields, 'name' in tab && tab.name ? [...prefix, tab.name] : prefix))
    return []
  })

const at = (data: unknown, path: string[]): unknown => path.reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Row)[key] : undefined), data)
const has = (data: unknown, path: string[]): boolean => {
  const parent = at(data, path.slice(0, -1))
  return Boolean(parent && typeof parent === 'object' && path[path.length - 1]! in (parent as Row))
}

/** A value as it is stored, for comparison: references by id, array rows without their row ids, empty as null. */
const normalise = (field: Field, value: unknown): unknown => {
  if (value === undefined || value === '' || value === null) return null
  if (field.type === 'relationship' || field.type === 'upload') {
    const one = (v: unknown) => (v && typeof v === 'object' && 'relationTo' in v ? `${(v as Row).relationTo}:${relationID((v as Row).value as never)}` : String(relationID(v as never)))
    return Array.isArray(value) ? value.map(one) : one(value)
  }
  if (field.type === 'array' && Array.isArray(value)) {
    return value.map((row) => Object.fromEntries(field.fields.filter((f) => 'name' in f && f.name !== 'id').map((f) => [(f as { name: string }).name, normalise(f, (row as Row)?.[(f as { name: string }).name])])))
  }
  if (field.type === 'select' && field.hasMany) return Array.isArray(value) ? [...value].map(String).sort() : [String(value)]
  return value
}

const same = (field: Field, a: unknown, b: unknown) => JSON.stringify(normalise(field, a)) === JSON.stringify(normalise(field, b))

const labelOf = (field: Loud['field']): string => (typeof (field as { label?: unknown }).label === 'string' ? String((field as { label?: unknown }).label) : field.name)

const check = async (req: PayloadRequest, fields: Loud[], data: Row, operation: 'create' | 'update', doc: Row | undefined, id?: number | string) => {
  for (const { path, field } of fields) {
    if (!has(data, path)) continue
    const access = field.access?.[operation]
    if (!access) continue
    if (operation === 'update' && same(field, at(data, path), at(doc, path))) continue
    const allowed = await access({ req, id, data, doc, siblingData: at(data, path.slice(0, -1)) as Row } as never)
    if (!allowed) {
      throw new AppError('FORBIDDEN', markerOf(field)?.deniedMessage ?? `Your role cannot change "${labelOf(field)}" here.`)
    }
  }
}

/**
 * Payload drops a field write that field access denies without a word. For the fields marked
 * LOUD_ACCESS this hook refuses it instead, with a 403 and the reason, when the value would change;
 * sending the stored value back (as the admin form does for read-only fields) passes.
 * Runs before Payload applies field access, on the request's raw data; system writes pass.
 */
export const refuseDeniedFieldWrites =
  (collectionSlug: string, fields: Loud[]): CollectionBeforeOperationHook =>
  async ({ args, operation, req }) => {
    if (!fields.length || !req.user || (operation !== 'create' && operation !== 'update')) return args
    const { data, id, where, overrideAccess } = args as { data?: Row; id?: number | string; where?: Where; overrideAccess?: boolean }
    if (overrideAccess === true || !data || typeof data !== 'object') return args
    if (operation === 'create') {
      await check(req, fields, data, 'create', undefined)
      return args
    }
    if (!fields.some(({ path }) => has(data, path))) return args
    // The documents as stored, read as the user: what the user cannot read, access answers for.
    const { docs } =
      id !== undefined
        ? { docs: [await req.payload.findByID({ collection: collectionSlug as CollectionSlug, id, depth: 0, req, overrideAccess: false, user: req.user, disableErrors: true })].filter(Boolean) }
        : await req.payload.find({ collection: collectionSlug as CollectionSlug, where, depth: 0, limit: 1000, req, overrideAccess: false, user: req.user })
    for (const doc of docs as unknown as Row[]) await check(req, fields, data, 'update', doc, doc.id as number)
    return args
  }
