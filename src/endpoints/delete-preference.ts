import type { PayloadHandler } from 'payload'

import { AppError } from '@/services/errors/app-error'

/**
 * DELETE /api/payload-preferences/:key, the user's own preference of that key. Replaces Payload's
 * handler, whose single-row delete on PostgreSQL builds an invalid query (the polymorphic `user`
 * condition joins a table it never names) and answers 500 for every call.
 */
export const deletePreferenceHandler: PayloadHandler = async (req) => {
  if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in to change your preferences.')
  const key = String(req.routeParams?.key ?? '')
  const { docs } = await req.payload.find({
    collection: 'payload-preferences',
    where: { and: [{ key: { equals: key } }, { 'user.value': { equals: req.user.id } }, { 'user.relationTo': { equals: req.user.collection } }] },
    depth: 0,
    limit: 1,
    req,
    overrideAccess: true,
  })
  if (!docs[0]) throw new AppError('NOT_FOUND', `You have no saved preference "${key.slice(0, 80)}".`)
  await req.payload.delete({ collection: 'payload-preferences', id: docs[0].id, req, overrideAccess: true })
  return Response.json({ message: 'Deleted successfully.' })
}
