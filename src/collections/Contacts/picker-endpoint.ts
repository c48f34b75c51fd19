import type { Endpoint, PayloadRequest } from 'payload'

import { bodyChange, bodyInt, bodyJob, bodyOrg } from '@/endpoints/audience-input'
import { readJSONObject } from '@/endpoints/request-input'
import { searchPickerContacts } from '@/services/audiences/search-picker-contacts'
import { parsePickerFilter } from '@/services/audiences/selection-change'
import { listPickerContactsJSON } from '@/services/contacts/list-picker-contacts'
import { readOrgTags } from '@/services/contacts/read-org-tags'
import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'

/** `?org=<id>`: required, a positive whole number. */
const queryOrg = (req: PayloadRequest): number => {
  const raw = req.searchParams.get('org')
  if (raw === null || raw === '') throw new AppError('INVALID_INPUT', 'Say which organisation: `?org=<id>`.')
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw new AppError('INVALID_INPUT', '`org` must be an organisation id (a positive whole number).')
  return Number(raw)
}

/**
 * GET /api/contacts/picker?org=<id>: the recipient picker's data. Up to 50,000 contacts, all of them,
 * compact: `{ "mode": "local", "tags": [name…], "contacts": [[id, name, email, suppressionReason | null,
 * [tag index…]], …] }`; above, `{ "mode": "server", "total": N, "tags": [name…] }` and the picker uses
 * POST /api/contacts/picker/search.
 */
export const contactPickerEndpoint: Endpoint = {
  path: '/picker',
  method: 'get',
  handler: async (req) => {
    try {
      const started = performance.now()
      const contacts = await listPickerContactsJSON({ payload: req.payload, req, org: queryOrg(req) })
      return new Response(contacts, {
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

/**
 * POST /api/contacts/picker/search { org, job?, filter: { search?, tag?, segment? }, change?, offset?, limit? }:
 * a page of the org's contacts matching the filter, each marked chosen as the job's selection would be
 * with `change` applied: `{ rows: [[id, name, email, suppressionReason | null, 1 | 0]], matching, matchingCapped }`.
 */
export const contactPickerSearchEndpoint: Endpoint = {
  path: '/picker/search',
  method: 'post',
  handler: async (req) => {
    try {
      const body = await readJSONObject(req)
      const result = await searchPickerContacts({
        payload: req.payload,
        user: req.user,
        org: bodyOrg(body),
        job: bodyJob(body),
        filter: parsePickerFilter(body.filter),
        change: bodyChange(body),
        offset: bodyInt(body, 'offset', { min: 0, max: 10_000_000, fallback: 0 }),
        limit: bodyInt(body, 'limit', { min: 1, max: 500, fallback: 100 }),
      })
      return Response.json(result, { headers: { 'Cache-Control': 'private, no-store' } })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

/** GET /api/contacts/tags?org=<id>: the tags the org's contacts carry, alphabetically (at most 1,000). */
export const contactTagsEndpoint: Endpoint = {
  path: '/tags',
  method: 'get',
  handler: async (req) => {
    try {
      const tags = await readOrgTags({ payload: req.payload, user: req.user, org: queryOrg(req) })
      return Response.json({ tags }, { headers: { 'Cache-Control': 'private, no-store' } })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
