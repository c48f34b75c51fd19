import type { CollectionConfig, Endpoint } from 'payload'

import { orgCreate, orgScoped } from '@/access/orgAccess'
import { readJSONObject, routeID } from '@/endpoints/request-input'
import { enforceOrgPermission } from '@/hooks/enforceOrgPermission'
import { countSegment } from '@/services/audiences/count-segment'
import { listSegmentMembers } from '@/services/audiences/list-segment-members'
import { PICKER_LOCAL_LIMIT } from '@/services/contacts/list-picker-contacts'
import { parseSegmentRules } from '@/services/audiences/segment-rules'
import { AppError, nullIfNotFound } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { parseStoredID } from '@/services/http/stored-id'

/** POST /api/segments/count { org, rules }: the live count of rules being edited (not saved yet). */
const countRulesEndpoint: Endpoint = {
  path: '/count-rules',
  method: 'post',
  handler: async (req) => {
    try {
      const body = await readJSONObject(req, 100_000)
      const org = parseStoredID(body.org)
      if (org === null) throw new AppError('INVALID_INPUT', '`org` must be an organisation id.')
      return Response.json(await countSegment({ payload: req.payload, user: req.user, org, rules: body.rules }))
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

/** GET /api/segments/:id/count: how many contacts the saved segment matches now. */
const countSavedEndpoint: Endpoint = {
  path: '/:id/count',
  method: 'get',
  handler: async (req) => {
    try {
      const id = routeID(req, 'No such segment, or you cannot see it.')
      const segment = await req.payload.findByID({ collection: 'segments', id, depth: 0, user: req.user, overrideAccess: false }).catch(nullIfNotFound)
      if (!segment) throw new AppError('NOT_FOUND', 'No such segment, or you cannot see it.')
      return Response.json(await countSegment({ payload: req.payload, user: req.user, org: Number(segment.org && typeof segment.org === 'object' ? segment.org.id : segment.org), rules: segment.rules }))
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

/** GET /api/segments/:id/members: the ids of the contacts it matches now (at most 50,000; the picker's segment filter). */
const membersEndpoint: Endpoint = {
  path: '/:id/members',
  method: 'get',
  handler: async (req) => {
    try {
      const id = routeID(req, 'No such segment, or you cannot see it.')
      const ids = await listSegmentMembers({ payload: req.payload, user: req.user, segment: id, limit: PICKER_LOCAL_LIMIT })
      return Response.json({ ids }, { headers: { 'Cache-Control': 'private, no-store' } })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

/**
 * Saved audiences: a name and rules over the org's contacts (tags, fields, creation date, engagement,
 * suppression per channel, last contacted), matched with "all" or "any". Used by email and SMS jobs
 * alike; shown with a live count while edited (the SegmentBuilder field).
 */
export const Segments: CollectionConfig = {
  slug: 'segments',
  labels: { singular: 'Segment', plural: 'Segments' },
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'description', 'updatedAt'],
    group: 'Outreach',
    description: 'Saved groups of contacts, by tags, fields, engagement and suppression. A job can be sent to one or more segments.',
  },
  access: {
    read: orgScoped('contacts.read'),
    create: orgCreate('segments.edit'),
    update: orgScoped('segments.edit'),
    delete: orgScoped('segments.edit'),
  },
  hooks: { beforeChange: [enforceOrgPermission('segments.edit')] },
  endpoints: [countRulesEndpoint, countSavedEndpoint, membersEndpoint],
  fields: [
    { name: 'links', type: 'ui', admin: { position: 'sidebar', components: { Field: '@/components/segments/SegmentLinks#SegmentLinks' } } },
    { name: 'name', type: 'text', required: true, maxLength: 120 },
    { name: 'description', type: 'textarea', maxLength: 1000 },
    {
      name: 'rules',
      type: 'json',
      required: true,
      defaultValue: { match: 'all', conditions: [{ field: 'tags', op: 'any', values: [] }] },
      admin: { components: { Field: '@/components/segments/SegmentBuilder#SegmentBuilder' } },
      validate: (value: unknown) => {
        const parsed = parseSegmentRules(value)
        return parsed.ok ? true : parsed.problems.join(' ')
      },
      // Stored as checked (trimmed values, defaults filled in).
      hooks: { beforeChange: [({ value }) => { const parsed = parseSegmentRules(value); return parsed.ok ? parsed.rules : value }] },
    },
  ],
}
