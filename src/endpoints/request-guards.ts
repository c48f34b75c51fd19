import type { Endpoint, PayloadHandler, PayloadRequest, SanitizedCollectionConfig, SanitizedGlobalConfig } from 'payload'

import { AppError } from '@/services/errors/app-error'
import { checkPaging, checkWhere, type FilterField, QueryInputError } from '@/services/http/check-query'
import { readBoundedBody } from '@/services/http/read-bounded-body'
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

/** Multipart bodies (uploads up to 10 MB plus the form): anything larger is a 413. */
export const MAX_MULTIPART_BODY_BYTES = 12_000_000

const tooLarge = (max: number) => new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${max / 1_000_000} MB.`)

/** The body's bytes, at most `max` (a declared or streamed larger body is a 413). */
const readBody = async (req: PayloadRequest, max: number): Promise<Buffer> => {
  const bytes = await readBoundedBody(req as unknown as Request, max)
  if (bytes === null) throw tooLarge(max)
  return bytes
}

/** The checked bytes become the request's body again, for Payload's own reading (text, json, or its multipart parser). */
const handOn = (req: PayloadRequest, bytes: Buffer) => {
  const text = bytes.toString('utf8')
  Object.defineProperty(req, 'body', { configurable: true, value: new Blob([new Uint8Array(bytes)]).stream() })
  Object.assign(req, { text: () => Promise.resolve(text), json: () => Promise.resolve(JSON.parse(text)) })
}

/**
 * How deeply JSON text nests objects and arrays, read in one pass outside strings. Payload's documents
 * (groups, arrays, blocks, rich text) stay far below MAX_JSON_DEPTH; a body nested thousands deep would
 * exhaust the stack of the recursive copies Payload makes of request data (a 500, not an answer).
 */
const MAX_JSON_DEPTH = 100
const exceedsJSONDepth = (text: string, max = MAX_JSON_DEPTH): boolean => {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) {
      if (++depth > max) return true
    } else if (c === 125 || c === 93) depth--
  }
  return false
}

const parseJSONObject = (text: string, what: string): void => {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new AppError('INVALID_INPUT', `${what} is not valid JSON.`)
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('INVALID_INPUT', `${what} must be a JSON object.`)
  if (exceedsJSONDepth(text)) throw new AppError('INVALID_INPUT', `${what} nests objects or arrays more than ${MAX_JSON_DEPTH} deep.`)
  if (NUL.test(text)) throw new AppError('INVALID_INPUT', 'Text may not contain NUL characters (\\u0000).')
}

/**
 * The body of a POST, PATCH or PUT, read once, checked and handed on: JSON must be an object of bounded
 * size without NUL characters; multipart must parse, and its `_payload` must be such an object; any
 * other non-empty body is a 415 (Payload would read it as no data at all).
 */
const checkBody = async (req: PayloadRequest) => {
  const method = req.method?.toUpperCase()
  if (method !== 'POST' && method !== 'PATCH' && method !== 'PUT') return
  const contentType = (req.headers.get('content-type') ?? '').trim()
  const [type] = contentType.toLowerCase().split(';', 1)
  if (type === 'application/json') {
    const bytes = await readBody(req, MAX_JSON_BODY_BYTES)
    handOn(req, bytes)
    const text = bytes.toString('utf8')
    if (text.trim()) parseJSONObject(text, 'The request body')
    return
  }
  if (type === 'multipart/form-data') {
    if (!/;\s*boundary=/i.test(contentType)) throw new AppError('INVALID_INPUT', 'The multipart/form-data body names no boundary.')
    const bytes = await readBody(req, MAX_MULTIPART_BODY_BYTES)
    handOn(req, bytes)
    let form: FormData
    try {
      form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData()
    } catch {
      throw new AppError('INVALID_INPUT', 'The multipart/form-data body is malformed.')
    }
    const data = form.get('_payload')
    if (typeof data === 'string') parseJSONObject(data, 'The "_payload" field')
    return
  }
  const bytes = await readBody(req, MAX_JSON_BODY_BYTES)
  handOn(req, bytes)
  if (bytes.length > 0) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON (Content-Type: application/json) or as multipart/form-data.')
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
  // `/verify/:id` carries a verification token, not a document id.
  if (typeof params.id === 'string' && endpoint.path !== '/verify/:id' && parseStoredID(params.id) === null) {
    throw new AppError('NOT_FOUND', `No such ${labelOf(collection)}: "${params.id.slice(0, 40)}" is not an id.`)
  }
  if (endpoint.path.startsWith('/versions') && !collection.versions) {
    throw new AppError('NOT_FOUND', `${collection.labels?.plural ?? collection.slug} keep no version history.`)
  }
  if (endpoint.path === '/verify/:id' && !collection.auth?.verify) {
    throw new AppError('NOT_FOUND', 'Email verification is not used for these accounts.')
  }
  checkQuery(req, collection, fields, endpoint)
  // An endpoint that streams its own body (a file upload) bounds and checks it itself.
  if ((endpoint.custom as { streamsBody?: boolean } | undefined)?.streamsBody !== true) await checkBody(req)
}

/**
 * Wraps one REST endpoint of a collection or global (Payload's own and ours) with the input checks:
 * route ids that are not stored ids are a 404 (Payload would read "69abc" as 69), paging and filters
 * are checked (see check-query), and bodies are checked (checkBody). Anything refused answers 4xx
 * with a sentence before the database is reached.
 */
export const guardEndpoint = (endpoint: Endpoint, scope: Scope): Endpoint => {
  const handler: PayloadHandler = endpoint.handler
  let fields: Map<string, FilterField> | undefined
  const fieldsOf = () => (fields ??= 'collection' in scope ? filterFields(scope.collection) : new Map())
  return {
    ...endpoint,
    handler: async (req) => {
      if ('collection' in scope) await guardCollectionRequest(req, scope.collection, fieldsOf, endpoint)
      else await checkBody(req)
      return handler(req)
    },
  }
}
