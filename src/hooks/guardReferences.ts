import type { CollectionSlug, PayloadRequest, Validate } from 'payload'

import { relationID } from '@/access/orgAccess'
import { parseStoredID } from '@/services/http/stored-id'

type Ref = { collection: string; id: number | string }
type RelationTo = string | string[]

/** Top-level `org` relationship to the tenants: the collections whose documents belong to one organisation. */
export const ORG_FIELD = 'org'

const refsOf = (value: unknown, relationTo: RelationTo): Ref[] => {
  const values = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]
  const refs: Ref[] = []
  for (const entry of values) {
    if (entry === null || entry === undefined || entry === '') continue
    if (Array.isArray(relationTo)) {
      // Polymorphic: { relationTo, value } (value may be populated).
      if (typeof entry === 'object' && 'relationTo' in entry) {
        const id = relationID((entry as { value?: never }).value)
        if (id !== undefined) refs.push({ collection: String((entry as { relationTo: unknown }).relationTo), id })
      }
      continue
    }
    const id = relationID(entry as never)
    if (id !== undefined) refs.push({ collection: relationTo, id })
  }
  return refs
}

const keyOf = (ref: Ref) => `${ref.collection}:${ref.id}`

export type ReferenceGuardOptions = {
  /** The collection the field belongs to (so the document's own org can be read on update). */
  sourceCollection: string
  /** Whether that collection's documents carry an `org`. */
  sourceHasOrg: boolean
  /** Collections whose documents carry an `org` (a referenced one must be in the document's org). */
  orgScopedCollections: ReadonlySet<string>
}

const labelOf = (req: PayloadRequest, collection: string): string => {
  const labels = req.payload.collections[collection as CollectionSlug]?.config.labels
  const singular = labels?.singular
  return typeof singular === 'string' ? singular.toLowerCase() : collection
}

/** The organisation the document being written belongs to: the incoming value, else the stored one. */
const documentOrg = async (req: PayloadRequest, options: ReferenceGuardOptions, data: Record<string, unknown> | undefined, id: number | string | undefined) => {
  if (!options.sourceHasOrg) return undefined
  if (data && ORG_FIELD in data) return relationID(data[ORG_FIELD] as never) ?? null
  if (id === undefined) return undefined
  return relationID((await storedDocument(req, options, id))?.[ORG_FIELD] as never) ?? null
}

/** The document as stored (read by the system: the guard compares, access decides elsewhere). */
const storedDocument = async (req: PayloadRequest, options: ReferenceGuardOptions, id: number | string) =>
  (await req.payload.findByID({
    collection: options.sourceCollection as CollectionSlug,
    id,
    depth: 0,
    req,
    overrideAccess: true,
    disableErrors: true,
  })) as Record<string, unknown> | null

/** Every reference the stored document holds at a schema path (array rows included, whatever their index). */
const storedRefs = async (
  req: PayloadRequest,
  options: ReferenceGuardOptions,
  id: number | string,
  path: (number | string)[],
  relationTo: RelationTo,
): Promise<Set<string>> => {
  const stored = await storedDocument(req, options, id)
  const names = path.filter((segment) => typeof segment === 'string' && !/^\d+$/.test(segment)) as string[]
  const collect = (value: unknown, rest: string[]): unknown[] => {
    if (Array.isArray(value) && rest.length) return value.flatMap((row) => collect(row, rest))
    if (!rest.length) return [value]
    return value && typeof value === 'object' ? collect((value as Record<string, unknown>)[rest[0]!], rest.slice(1)) : []
  }
  return new Set(collect(stored, names).flatMap((value) => refsOf(value, relationTo).map(keyOf)))
}

/**
 * Wraps a relationship or upload field's validation: when a user writes a reference, every document it
 * newly points at must be one that user can read (Payload access control, as the user), and, where both
 * sides belong to an organisation, one of the same organisation. System writes (no user, or access
 * overridden) pass, as do references the document already had. The answer is a field error, so the
 * admin shows it on the field and the API answers 400 naming it.
 */
export const guardReferences =
  (validate: Validate, relationTo: RelationTo, options: ReferenceGuardOptions): Validate =>
  async (value, validateOptions) => {
    // The tenant check speaks first (its sentence names the document), then the field's own validation.
    const guarded = await checkReferences(value, validateOptions, relationTo, options)
    return guarded === true ? validate(value, validateOptions) : guarded
  }

const checkReferences = async (
  value: unknown,
  validateOptions: Parameters<Validate>[1],
  relationTo: RelationTo,
  options: ReferenceGuardOptions,
): Promise<string | true> => {
  const { req, overrideAccess, previousValue, data, id, path } = validateOptions
  if (!req?.user || overrideAccess === true) return true
  const before = new Set(refsOf(previousValue, relationTo).map(keyOf))
  const fresh = refsOf(value, relationTo).filter((ref) => !before.has(keyOf(ref)))
  if (!fresh.length) return true

  const byCollection = new Map<string, number[]>()
  for (const ref of fresh) {
    if (Array.isArray(relationTo) ? !relationTo.includes(ref.collection) : ref.collection !== relationTo) {
      return `"${ref.collection}" cannot be referenced here.`
    }
    const storedID = parseStoredID(ref.id)
    if (storedID === null) return `"${String(ref.id).slice(0, 40)}" is not a valid ${labelOf(req, ref.collection)} id.`
    byCollection.set(ref.collection, [...(byCollection.get(ref.collection) ?? []), storedID])
  }
  const failures: { ref: Ref; message: string }[] = []
  let org: null | number | string | undefined
  let orgRead = false
  for (const [collection, ids] of byCollection) {
    const unique = [...new Set(ids)]
    const targetHasOrg = options.orgScopedCollections.has(collection)
    const { docs } = await req.payload.find({
      collection: collection as CollectionSlug,
      where: { id: { in: unique } },
      depth: 0,
      limit: unique.length,
      pagination: false,
      req,
      user: req.user,
      overrideAccess: false,
      select: targetHasOrg ? { [ORG_FIELD]: true } : {},
    })
    const found = new Map(docs.map((doc) => [String(doc.id), doc as unknown as Record<string, never>]))
    for (const refID of unique) {
      const doc = found.get(String(refID))
      if (!doc) {
        failures.push({ ref: { collection, id: refID }, message: `There is no ${labelOf(req, collection)} with id ${refID}, or you cannot see it.` })
        continue
      }
      if (!targetHasOrg) continue
      if (!orgRead) {
        org = await documentOrg(req, options, data as Record<string, unknown> | undefined, id)
        orgRead = true
      }
      if (org !== undefined && String(relationID(doc[ORG_FIELD]) ?? '') !== String(org ?? '')) {
        failures.push({ ref: { collection, id: refID }, message: `The ${labelOf(req, collection)} with id ${refID} belongs to another organisation.` })
      }
    }
  }
  if (!failures.length) return true
  // Inside array rows Payload cannot pair a value with its previous one: what the stored document
  // already referenced there (e.g. a membership in an org this admin cannot see) stays allowed.
  const kept = id !== undefined ? await storedRefs(req, options, id, path ?? [], relationTo) : new Set<string>()
  return failures.find((failure) => !kept.has(keyOf(failure.ref)))?.message ?? true
}
