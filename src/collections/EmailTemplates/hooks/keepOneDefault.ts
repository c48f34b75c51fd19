import type { CollectionBeforeChangeHook } from 'payload'

import { relationID } from '@/access/orgAccess'
import { withoutWorkflow } from '@/services/templates/without-workflow'

/**
 * Marking a template default unmarks the org's other default in the same transaction (a partial
 * unique index in the migration guarantees one default per org even under concurrency).
 */
export const keepOneDefault: CollectionBeforeChangeHook = async ({ data, originalDoc, req }) => {
  const org = relationID(data.org ?? originalDoc?.org)
  if (!data.isDefault || originalDoc?.isDefault || org === undefined) return data
  await withoutWorkflow(req, (context) =>
    req.payload.update({
      collection: 'email-templates',
      // System write on the user's behalf: whoever may edit this template may move the default flag.
      overrideAccess: true,
      req,
      context,
      where: { and: [{ org: { equals: org } }, { isDefault: { equals: true } }, ...(originalDoc?.id ? [{ id: { not_equals: originalDoc.id } }] : [])] },
      data: { isDefault: false },
    }),
  )
  return data
}
