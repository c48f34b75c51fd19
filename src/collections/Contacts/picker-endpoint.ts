import type { Endpoint } from 'payload'

import { listPickerContactsJSON } from '@/services/contacts/list-picker-contacts'
import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'

/**
 * GET /api/contacts/picker?org=<id>: all of an org's contacts for the recipient picker, compact:
 * `{ "contacts": [[id, name, email, suppressionReason | null], …] }`.
 */
export const contactPickerEndpoint: Endpoint = {
  path: '/picker',
  method: 'get',
  handler: async (req) => {
    try {
      const raw = req.searchParams.get('org')
      if (raw === null || raw === '') throw new AppError('INVALID_INPUT', 'Say which organisation: `?org=<id>`.')
      if (!/^[1-9]\d{0,8}$/.test(raw)) throw new AppError('INVALID_INPUT', '`org` must be an organisation id (a positive whole number).')
      const started = performance.now()
      const contacts = await listPickerContactsJSON({ payload: req.payload, req, org: Number(raw) })
      return new Response(`{"contacts":${contacts}}`, {
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Cache-Control': 'private, no-store',
          // How long the access checks and the query took, for the browser's devtools and bench/picker.ts.
          'Server-Timing': `contacts;dur=${(performance.now() - started).toFixed(1)}`,
        },
      })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
