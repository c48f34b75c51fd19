import { type CollectionBeforeValidateHook, ValidationError } from 'payload'

import { relationID } from '@/access/orgAccess'
import { normalizeEmail } from '@/services/contacts/normalize-email'

/**
 * A clear field error instead of a constraint violation when the org already has this address.
 * The unique (org, email) index in the migration remains the guarantee under concurrency.
 */
export const ensureUniqueEmailInOrg: CollectionBeforeValidateHook = async ({ data, originalDoc, req }) => {
  const email = typeof data?.email === 'string' ? normalizeEmail(data.email) : undefined
  const org = relationID(data?.org ?? originalDoc?.org)
  if (!email || org === undefined) return data
  const { totalDocs } = await req.payload.count({
    collection: 'contacts',
    // System check: the address must be unique in the org even among rows this user cannot read.
    overrideAccess: true,
    req,
    where: {
      and: [
        { org: { equals: org } },
        { email: { equals: email } },
        ...(originalDoc?.id ? [{ id: { not_equals: originalDoc.id } }] : []),
      ],
    },
  })
  if (totalDocs > 0) {
    throw new ValidationError({
      collection: 'contacts',
      errors: [{ message: 'A contact with this email already exists in this organisation.', path: 'email' }],
    })
  }
  return data
}
