import type { Endpoint, PayloadRequest } from 'payload'

import { csvResponse } from '@/endpoints/csv-response'
import { readJSONObject, routeID } from '@/endpoints/request-input'
import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { changeImportState, IMPORT_ACTIONS } from '@/services/imports/change-import-state'
import { IMPORT_DELIMITERS, IMPORT_ENCODINGS, type ImportDelimiter, type ImportEncoding } from '@/services/imports/import-definitions'
import { readImportPreview } from '@/services/imports/read-import-preview'
import { startContactImport } from '@/services/imports/start-contact-import'
import { storeImportUpload } from '@/services/imports/store-import-upload'
import { readImportProblemsCSV } from '@/services/imports/write-import-problems-csv'
import { parseStoredID } from '@/services/http/stored-id'

const NOT_FOUND = 'No such import, or you cannot see it.'

const handle =
  (work: (req: PayloadRequest) => Promise<Response>): Endpoint['handler'] =>
  async (req) => {
    try {
      return await work(req)
    } catch (error) {
      return appErrorResponse(error)
    }
  }

/** A query parameter that must be one of `values` when present. */
const oneOf = <T extends string>(req: PayloadRequest, name: string, values: readonly T[], fallback: T): T => {
  const raw = req.searchParams.get(name)
  if (raw === null || raw === '') return fallback
  if (!values.includes(raw as T)) throw new AppError('INVALID_INPUT', `\`${name}\` must be one of: ${values.join(', ')}.`)
  return raw as T
}

/**
 * POST /api/imports/upload?org=<id>&name=<file name>: the CSV file as the request body (any size up to
 * IMPORT_MAX_MB, streamed to disk); creates the import and answers it (201).
 */
const uploadEndpoint: Endpoint = {
  path: '/upload',
  method: 'post',
  custom: { streamsBody: true },
  handler: handle(async (req) => {
    const org = parseStoredID(req.searchParams.get('org'))
    if (org === null) throw new AppError('INVALID_INPUT', 'Say which organisation: `?org=<id>`.')
    const contentType = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (contentType === 'multipart/form-data' || contentType === 'application/json') {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file itself as the request body (Content-Type: text/csv), not as a form or JSON.')
    }
    const length = req.headers.get('content-length')
    const doc = await storeImportUpload({
      payload: req.payload,
      user: req.user,
      org,
      fileName: req.searchParams.get('name'),
      body: (req.body as ReadableStream<Uint8Array> | null) ?? null,
      declaredBytes: length === null ? null : Number(length),
    })
    return Response.json({ doc, message: 'Uploaded: map its columns, then start the import.' }, { status: 201 })
  }),
}

/** GET /api/imports/:id/preview?encoding=&delimiter=&hasHeader=: the first rows as they will be read, the columns and a suggested mapping. */
const previewEndpoint: Endpoint = {
  path: '/:id/preview',
  method: 'get',
  handler: handle(async (req) => {
    const preview = await readImportPreview({
      payload: req.payload,
      user: req.user,
      id: routeID(req, NOT_FOUND),
      encoding: oneOf<ImportEncoding>(req, 'encoding', IMPORT_ENCODINGS, 'auto'),
      delimiter: oneOf<ImportDelimiter>(req, 'delimiter', Object.keys(IMPORT_DELIMITERS) as ImportDelimiter[], 'auto'),
      hasHeader: oneOf(req, 'hasHeader', ['true', 'false'], 'true') === 'true',
    })
    return Response.json(preview, { headers: { 'Cache-Control': 'private, no-store' } })
  }),
}

/** POST /api/imports/:id/start { mode, mapping, delimiter?, encoding?, hasHeader?, defaultCountry?, tags? }: starts it. */
const startEndpoint: Endpoint = {
  path: '/:id/start',
  method: 'post',
  handler: handle(async (req) => Response.json({ doc: await startContactImport({ payload: req.payload, req, id: routeID(req, NOT_FOUND), settings: await readJSONObject(req, 100_000) }) })),
}

/** POST /api/imports/:id/stop and /resume. */
const stateEndpoints: Endpoint[] = IMPORT_ACTIONS.map((action) => ({
  path: `/:id/${action}`,
  method: 'post',
  handler: handle(async (req) => Response.json({ doc: await changeImportState({ payload: req.payload, req, id: routeID(req, NOT_FOUND), action }) })),
}))

/** GET /api/imports/:id/problems: the rows not imported, as CSV with `line`, `outcome` and `error` columns. */
const problemsEndpoint: Endpoint = {
  path: '/:id/problems',
  method: 'get',
  handler: handle(async (req) => {
    const { fileName, stream } = await readImportProblemsCSV({ payload: req.payload, user: req.user, id: routeID(req, NOT_FOUND) })
    return csvResponse(stream, fileName)
  }),
}

export const importEndpoints: Endpoint[] = [uploadEndpoint, previewEndpoint, startEndpoint, ...stateEndpoints, problemsEndpoint]
