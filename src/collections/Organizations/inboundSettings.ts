import { randomBytes } from 'node:crypto'

import type { CollectionAfterChangeHook, Field, FieldAccess } from 'payload'

import { hasOrgPermission, isSuperAdmin } from '@/access/orgAccess'

/** A new secret for the inbound email address: 32 random bytes, URL-safe. */
export const newInboundSecret = () => randomBytes(24).toString('base64url')

/** Only the org's admins (and a super admin) read the secret: it is what lets mail into the org. */
const adminsRead: FieldAccess = ({ req, doc }) =>
  !req.user || isSuperAdmin(req.user) || (doc?.id !== undefined && hasOrgPermission(req.user, doc.id as number, 'org.settings'))
const systemOnly: FieldAccess = () => false

const DOMAIN = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i

/** Inbound email: the org's Inbound Parse address (secret, rotatable) and the domain replies come back to. */
export const inboundSettings: Field = {
  name: 'inbound',
  type: 'group',
  label: 'Inbound email',
  admin: { description: 'Replies to your emails come back here, threaded in the Inbox.' },
  fields: [
    {
      name: 'emailSecret',
      type: 'text',
      access: { read: adminsRead, create: systemOnly, update: systemOnly },
      admin: { hidden: true },
    },
    {
      name: 'inboundAddress',
      type: 'ui',
      admin: { components: { Field: '@/components/InboundEmailAddress#InboundEmailAddress' } },
    },
    {
      name: 'replyDomain',
      type: 'text',
      label: 'Reply domain',
      maxLength: 253,
      admin: {
        description:
          'The domain whose mail SendGrid Inbound Parse posts to the address above (its MX points at mx.sendgrid.net). Set, every email’s Reply-To is reply+<signed token>@ this domain, so replies thread to their job. Empty: replies thread by In-Reply-To.',
      },
      validate: (value: null | string | undefined) => (!value || DOMAIN.test(value.trim()) ? true : `"${value}" is not a domain name (e.g. reply.example.org).`),
      hooks: { beforeValidate: [({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() || null : value)] },
    },
  ],
}

/**
 * Every org has an inbound secret from the start (and keeps it until rotated): a system write in the
 * same transaction, since no user writes the field.
 */
export const ensureInboundSecret: CollectionAfterChangeHook = async ({ doc, req }) => {
  if ((doc as { inbound?: { emailSecret?: null | string } }).inbound?.emailSecret) return doc
  return req.payload.update({ collection: 'organizations', id: doc.id, data: { inbound: { emailSecret: newInboundSecret() } }, req, overrideAccess: true, depth: 0 })
}
