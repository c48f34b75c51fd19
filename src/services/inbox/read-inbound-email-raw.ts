import type { PayloadRequest } from 'payload'

import { dbPool } from '@/db/pool'

import { AppError, nullIfNotFound } from '../errors/app-error'

/** The raw post of an inbound email the user may read (the collection's access: org admins), or 404. */
export const readInboundEmailRaw = async ({ req, id }: { req: PayloadRequest; id: number }): Promise<{ body: Buffer; contentType: string }> => {
  if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in to read inbound emails.')
  const visible = await req.payload.findByID({ collection: 'inbound-emails', id, depth: 0, req, user: req.user, overrideAccess: false }).catch(nullIfNotFound)
  if (!visible) throw new AppError('NOT_FOUND', 'No such inbound email, or you cannot see it.')
  const { rows } = await dbPool(req.payload).query<{ body: Buffer; content_type: string }>('SELECT body, content_type FROM inbound_email_bodies WHERE inbound_email_id = $1', [id])
  if (!rows[0]) throw new AppError('NOT_FOUND', 'The raw post of this email is no longer kept.')
  return { body: rows[0].body, contentType: rows[0].content_type }
}
