import type { Access, CollectionBeforeChangeHook, CollectionSlug, PayloadRequest, Where } from 'payload'

import { AppError } from '@/services/errors/app-error'

import { isSuperAdmin, relationID, sameID } from './orgAccess'

export const LOCKED_DOCUMENTS = 'payload-locked-documents'

type Lock = { id: number; document?: { relationTo?: string; value?: unknown } | null; globalSlug?: null | string; user?: { value?: unknown } | null }
type Need = 'read' | 'update'

/** Matches no row (every row has an id): an empty answer instead of a 403 the admin's lock reads would trip on. */
const NOTHING: Where = { id: { exists: false } }

/**
 * Ids of the documents of one collection (among `ids`) that the user may read or update, decided by that
 * collection's own access function (tenant rules included) evaluated for this user.
 */
const permittedIDs = async (req: PayloadRequest, collection: string, ids: number[], need: Need): Promise<Set<number>> => {
  const config = req.payload.collections[collection as CollectionSlug]?.config
  const access = config?.access?.[need]
  if (!config || !access || !ids.length) return new Set()
  const result = await access({ req } as never)
  if (!result) return new Set()
  const where: Where = result === true ? { id: { in: ids } } : { and: [{ id: { in: ids } }, result as Where] }
  const { docs } = await req.payload.find({ collection: collection as CollectionSlug, where, depth: 0, limit: ids.length, pagination: false, req, overrideAccess: true, select: {} })
  return new Set(docs.map((doc) => Number(doc.id)))
}

/** The lock rows this user may see (`read`) or change (`update`): their own, and locks on documents they may read or update. */
const permittedLocks = async (req: PayloadRequest, need: Need): Promise<number[]> => {
  const { docs } = await req.payload.find({
    collection: LOCKED_DOCUMENTS as CollectionSlug,
    depth: 0,
    pagination: false,
    req,
    overrideAccess: true,
    select: { document: true, globalSlug: true, user: true } as never,
  })
  const locks = docs as unknown as Lock[]
  const byCollection = new Map<string, number[]>()
  for (const lock of locks) {
    const collection = lock.document?.relationTo
    const id = Number(relationID(lock.document?.value as never))
    if (collection && Number.isInteger(id)) byCollection.set(collection, [...(byCollection.get(collection) ?? []), id])
  }
  const allowed = new Map<string, Set<number>>()
  for (const [collection, ids] of byCollection) allowed.set(collection, await permittedIDs(req, collection, [...new Set(ids)], need))
  return locks
    .filter((lock) => {
      if (sameID(lock.user?.value as never, req.user?.id)) return true
      const collection = lock.document?.relationTo
      return Boolean(collection && allowed.get(collection)?.has(Number(relationID(lock.document?.value as never))))
    })
    .map((lock) => lock.id)
}

const lockAccess =
  (need: Need): Access =>
  async ({ req }) => {
    if (!req.user) return false
    if (isSuperAdmin(req.user)) return true
    const ids = await permittedLocks(req, need)
    return ids.length ? { id: { in: ids } } : NOTHING
  }

/**
 * Document locks (Payload's "someone is editing this" markers) follow the locked document: a user sees a
 * lock only on a document they may read, and takes over, releases or creates one only on a document they
 * may update, always in their own name. Locks on globals are the super admin's.
 */
export const lockedDocumentsAccess = {
  read: lockAccess('read'),
  update: lockAccess('update'),
  delete: lockAccess('update'),
  create: (async ({ req, data }) => {
    if (!req.user) return false
    if (isSuperAdmin(req.user)) return true
    const document = (data as Lock | undefined)?.document
    const id = Number(relationID(document?.value as never))
    if (!document?.relationTo || !Number.isInteger(id)) return false
    return (await permittedIDs(req, document.relationTo, [id], 'update')).has(id)
  }) satisfies Access,
}

/** A lock names its holder: nobody but a super admin creates or moves one into another user's name, or onto another document. */
export const keepLocksHonest: CollectionBeforeChangeHook = ({ data, operation, originalDoc, req }) => {
  if (!req.user || isSuperAdmin(req.user)) return data
  const user = (data as Lock).user
  if (user !== undefined && !sameID(user?.value as never, req.user.id)) throw new AppError('FORBIDDEN', 'A lock can only be held in your own name.')
  if (operation === 'update' && originalDoc && (data as Lock).document !== undefined) {
    const before = (originalDoc as Lock).document
    const after = (data as Lock).document
    if (before?.relationTo !== after?.relationTo || !sameID(before?.value as never, after?.value as never)) throw new AppError('FORBIDDEN', 'A lock cannot be moved to another document.')
  }
  if ((data as Lock).globalSlug) throw new AppError('FORBIDDEN', 'Only a super admin locks a global.')
  return data
}
