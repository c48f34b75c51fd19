import type { Payload, PayloadRequest } from 'payload'

import type { Organization } from '@/payload-types'

import { withoutWorkflow } from './without-workflow'

export const DEFAULT_TEMPLATE = {
  name: 'Default template',
  subject: 'News from {{org_name}}',
  html: '<p>Hello {{#if first_name}}{{first_name}}{{else}}there{{/if}},</p>\n<p>Write your message here.</p>\n<p>Best wishes,<br />{{org_name}}</p>',
  footer:
    '<p style="font-size:12px;color:#666">You receive this email because you are in touch with {{org_name}}, {{org_postal_address}}.<br />\n<a href="{{unsubscribe_link}}">Unsubscribe</a> at any time.</p>',
}

export type DefaultTemplateOutcome = 'created' | 'kept'

/**
 * Ensures the org has a default template: creates an approved one when it has none, and leaves any
 * existing default alone (never overwrites an edited template). Approved by the org's first admin,
 * else marked as approved by the system. System work: access control is skipped on purpose.
 */
export const ensureDefaultTemplate = async ({
  payload,
  req,
  org,
}: {
  payload: Payload
  req?: PayloadRequest
  org: Pick<Organization, 'id' | 'name'>
}): Promise<DefaultTemplateOutcome> => {
  const existing = await payload.count({
    collection: 'email-templates',
    req,
    where: { and: [{ org: { equals: org.id } }, { isDefault: { equals: true } }] },
  })
  if (existing.totalDocs > 0) return 'kept'
  const admins = await payload.find({
    collection: 'users',
    req,
    where: { and: [{ 'orgs.org': { equals: org.id } }, { 'orgs.roles': { contains: 'admin' } }] },
    sort: 'createdAt',
    limit: 10,
    depth: 0,
  })
  const firstAdmin = admins.docs.find((u) => u.orgs?.some((m) => m.org === org.id && m.roles.includes('admin')))
  await withoutWorkflow(req, (context) =>
    payload.create({
      collection: 'email-templates',
      req,
      context,
      data: {
        ...DEFAULT_TEMPLATE,
        org: org.id,
        isDefault: true,
        status: 'approved',
        approvedBy: firstAdmin?.id ?? null,
        approvedByLabel: firstAdmin ? firstAdmin.email : 'system (default template seeder)',
        approvedAt: new Date().toISOString(),
      },
    }),
  )
  return 'created'
}

export const ensureDefaultTemplates = async (payload: Payload): Promise<{ org: string; outcome: DefaultTemplateOutcome }[]> => {
  const orgs = await payload.find({ collection: 'organizations', limit: 0, pagination: false, depth: 0, sort: 'id' })
  const report: { org: string; outcome: DefaultTemplateOutcome }[] = []
  for (const org of orgs.docs) report.push({ org: org.name, outcome: await ensureDefaultTemplate({ payload, org }) })
  return report
}
