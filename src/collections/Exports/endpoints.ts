import type { Endpoint, PayloadRequest } from 'payload'

import { csvResponse } from '@/endpoints/csv-response'
import { routeID } from '@/endpoints/request-input'
import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { EXPORT_KINDS, type ExportKind } from '@/services/exports/export-definitions'
import { openExportDownload } from '@/services/exports/open-export-download'
import { readExportCSV } from '@/services/exports/read-export-csv'
import { parseStoredID } from '@/services/http/stored-id'

const idParam = (req: PayloadRequest, name: string): number | null => {
  const raw = req.searchParams.get(name)
  if (raw === null || raw === '') return null
  const id = parseStoredID(raw)
  if (id === null) throw new AppError('INVALID_INPUT', `\`${name}\` must be an id.`)
  return id
}

/**
 * GET /api/exports/direct?org=<id>&kind=contacts|segment|job&segment=<id>&job=<id>: the export streamed
 * at once as CSV, up to 50,000 rows (more: a 409; create an export instead).
 */
const directEndpoint: Endpoint = {
  path: '/direct',
  method: 'get',
  handler: async (req) => {
    try {
      if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in to export.')
      const org = idParam(req, 'org')
      if (org === null) throw new AppError('INVALID_INPUT', 'Say which organisation: `?org=<id>`.')
      const kind = (req.searchParams.get('kind') || 'contacts') as ExportKind
      if (!EXPORT_KINDS.includes(kind)) throw new AppError('INVALID_INPUT', `\`kind\` must be one of: ${EXPORT_KINDS.join(', ')}.`)
      const { fileName, stream } = await readExportCSV({ payload: req.payload, req, request: { org, kind, segment: idParam(req, 'segment'), job: idParam(req, 'job') } })
      return csvResponse(stream, fileName)
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

/** GET /api/exports/:id/download: the finished file, for members of its org, until it expires. */
const downloadEndpoint: Endpoint = {
  path: '/:id/download',
  method: 'get',
  handler: async (req) => {
    try {
      const { fileName, stream } = await openExportDownload({ payload: req.payload, user: req.user, id: routeID(req, 'No such export, or you cannot see it.') })
      return csvResponse(stream, fileName, { bom: false })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

export const exportEndpoints: Endpoint[] = [directEndpoint, downloadEndpoint]
