import type { PayloadRequest } from 'payload'

import { AppError } from '@/services/errors/app-error'
import { parseStoredID } from '@/services/http/stored-id'

/** A database id as the routes and bodies accept it (see parseStoredID). */
export const parseID = parseStoredID

/** The route's `:id`; anything but a plain id is "no such thing" and never reaches the database. */
export const routeID = (req: PayloadRequest, notFound: string): number => {
  const id = parseID(req.routeParams?.id)
  if (id === null) throw new AppError('NOT_FOUND', notFound)
  return id
}

/**
 * The request's JSON object body (empty: `{}`). Refused with a 400 and the reason when it is larger
 * than `maxBytes` (checked on Content-Length before reading), not JSON, or not an object.
 */
export const readJSONObject = async (req: PayloadRequest, maxBytes = 2_000_000): Promise<Record<string, unknown>> => {
  const tooLarge = () => new AppError('INVALID_INPUT', `The request is too large (at most ${Math.round(maxBytes / 1_000_000)} MB).`)
  if (Number(req.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge()
  const text = req.text ? await req.text() : ''
  if (text.length > maxBytes) throw tooLarge()
  if (!text.trim()) return {}
  try {
    const body: unknown = JSON.parse(text)
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>
  } catch {
    // reported below
  }
  throw new AppError('INVALID_INPUT', 'The request body must be a JSON object.')
}
