import type { Endpoint, PayloadHandler, PayloadRequest, SanitizedCollectionConfig, SanitizedGlobalConfig } from 'payload'

import { AppError } from '@/services/errors/app-error'
import { checkPaging, checkWhere, type FilterField, QueryInputError } from '@/services/http/check-query'
import { parseStoredID } from '@/services/http/stored-id'

/** JSON bodies of the REST API (templates carry up to 4 × 200,000 characters): anything larger is a 413. */
export const MAX_JSON_BODY_BYTES = 2_000_000
const NUL = /\\u0000|\u0000/i

type Scope = { collection: SanitizedCollectionConfig } | { global: SanitizedGlobalConfig }

const labelOf = (collection: SanitizedCollectionConfig) => {
  const singular = collection.labels?.singular
  return typeof singular === 'string' ? singular.toLowerCase() : collection.slug
}

const filterFields = (collection: SanitizedCollectionConfig): Map<string, FilterField> => {
  const map = new Map<string, FilterField>([['id', { name: 'id', type: 'id' }]])
  for (const field of collection.flattenedFields) {
    if (!('name' in field) || !field.name) continue
    const options =
      'options' in field && Array.isArray(field.options)
        ? field.options.map((option: unknown) => (typeof option === 'string' ? option : String((option as { value: unknown }).value)))
        : undefined
    map.set(field.name, {
      name: field.name,
      type: field.type,
      hasMany: 'hasMany' in field ? Boolean(field.hasMany) : undefined,
      options,
      relationTo: 'relationTo' in field ? (field.relationTo as string | string[]) : undefined,
    })
  }
  return map
}

/** The JSON body, read once and handed on (Payload's handler reads it again from `req.text`). */
const checkJSONBody = async (req: PayloadRequest) => {
  const method = req.method?.toUpperCase()
  if (method !== 'POST' && method !== 'PATCH' && method !== 'PUT') return
  const [contentType] = (req.headers.get('content-type') ?? '').split(';', 1)
  if (contentType?.trim().toLowerCase() !== 'application/json' || !req.text) return
  const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_JSON_BODY_BYTES / 1_000_000} MB.`)
  if (Number(req.headers.get('content-length') ?? 0) > MAX_JSON_BODY_BYTES) throw tooLarge()
  const text = await req.text()
  if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES) throw tooLarge()
  ;(req as { text: () => Promise<string> }).text = () => Promise.resolve(text)
  if (!text.trim()) return
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new AppError('INVALID_INPUT', 'The request body is not valid JSON.')
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('INVALID_INPUT', 'The request body must be a JSON object.')
  if (NUL.test(text)) throw new AppError('INVALID_INPUT', 'Text may not contain NUL characters (\\u0000).')
}

const checkQuery = (req: PayloadRequest, collection: SanitizedCollectionConfig, fields: () => Map<string, FilterField>, endpoint: Endpoint) => {
  const query = (req.query ?? {}) as Record<string, unknown>
  const method = endpoint.method
  const bulk = (method === 'patch' || method === 'delete') && endpoint.path === '/'
  try {
    checkPaging(query, { bulk })
    if (query.where !== undefined) checkWhere(query.where, fields())
  } catch (error) {
    if (error instanceof QueryInputError) throw new AppError('INVALID_INPUT', error.message)
    throw error
  }
  // A bulk change needs a filter: without one it would touch every document the user may change.
  if (bulk && (query.where === undefined || query.where === '')) {
    throw new AppError('INVALID_INPUT', `Say which ${collection.labels?.plural ?? collection.slug} to change with a "where" filter.`)
  }
}

const guardCollectionRequest = async (req: PayloadRequest, collection: SanitizedCollectionConfig, fields: () => Map<string, FilterField>, endpoint: Endpoint) => {
  const params = (req.routeParams ?? {}) as Record<string, unknown>
  if (typeof params.id === 'string' && collection.slug !== 'payload-preferences' && parseStoredID(params.id) === null) {
    throw new AppError('NOT_FOUND', `No such ${labelOf(collection)}: "${params.id.slice(0, 40)}" is not an id.`)
  }
  if (endpoint.path.startsWith('/versions') && !collection.versions) {
    throw new AppError('NOT_FOUND', `${collection.labels?.plural ?? collection.slug} keep no version history.`)
  }
  checkQuery(req, collection, fields, endpoint)
  await checkJSONBody(req)
}

/**
 * Wraps one REST endpoint of a collection or global (Payload's own and ours) with the input checks:
 * route ids that are not stored ids are a 404 (Payload would read "69abc" as 69), paging and filters
 * are checked (see check-query), and JSON bodies must be objects of bounded size without NUL
 * characters. Anything refused answers 4xx with a sentence before the database is reached.
 */
export const guardEndpoint = (endpoint: Endpoint, scope: Scope): Endpoint => {
  const handler: PayloadHandler = endpoint.handler
  let fields: Map<string, FilterField> | undefined
  const fieldsOf = () => (fields ??= 'collection' in scope ? filterFields(scope.collection) : new Map())
  return {
    ...endpoint,
    handler: async (req) => {
      if ('collection' in scope) await guardCollectionRequest(req, scope.collection, fieldsOf, endpoint)
      else await checkJSONBody(req)
      return handler(req)
    },
  }
}
