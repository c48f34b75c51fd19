import type { Payload } from 'payload'

import { relationID } from '@/access/orgAccess'
import type { EmailTemplate, Organization } from '@/payload-types'

import { parseStoredID } from '../http/stored-id'
import { AppError, nullIfNotFound } from '../errors/app-error'
import { buildUnsubscribeUrl } from '../unsubscribe/build-unsubscribe-url'
import { type RenderedEmail, renderTemplate, type TemplateContent } from './render-template'
import { buildTemplateVariables, SAMPLE_CONTACT } from './template-variables'
import { validateTemplateSource } from './validate-template-source'

type User = NonNullable<Parameters<Payload['find']>[0]['user']>

export type PreviewInput = {
  payload: Payload
  user: User
  templateID: number | string
  contactID?: number | string | null
  /** Unsaved edits from the admin form, previewed instead of the stored content. */
  content?: Partial<TemplateContent>
  /** Renders for this recipient instead of a contact (test sends). */
  recipient?: { email: string; firstName?: string; lastName?: string }
}

export type Preview = RenderedEmail & { template: EmailTemplate; org: Organization; contactLabel: string }

/** Renders a template as the user may see it: every read goes through access control. */
export const renderTemplatePreview = async ({ payload, user, templateID, contactID, content, recipient }: PreviewInput): Promise<Preview> => {
  const template = await payload
    .findByID({ collection: 'email-templates', id: templateID, depth: 0, user, overrideAccess: false })
    .catch(nullIfNotFound)
  if (!template) throw new AppError('NOT_FOUND', 'No such template, or you cannot see it.')
  const orgID = relationID(template.org)!
  const org = await payload.findByID({ collection: 'organizations', id: orgID, depth: 0, user, overrideAccess: false })

  let contact = recipient ?? SAMPLE_CONTACT
  let contactLabel = recipient ? recipient.email : 'Sample contact'
  if (!recipient && contactID !== undefined && contactID !== null && contactID !== '') {
    // Only a stored id can name a contact: "12abc" or 9999999999999 is no contact (never a database error).
    const storedID = parseStoredID(contactID)
    const found =
      storedID === null
        ? null
        : await payload.findByID({ collection: 'contacts', id: storedID, depth: 0, user, overrideAccess: false }).catch(nullIfNotFound)
    if (!found || relationID(found.org) !== orgID) throw new AppError('NOT_FOUND', 'No such contact in this organisation.')
    contact = found
    contactLabel = found.email
  }

  const source: TemplateContent = {
    subject: content?.subject ?? template.subject ?? '',
    html: content?.html ?? template.html ?? '',
    text: content?.text ?? template.text,
    footer: content?.footer ?? template.footer,
  }
  const problems = (Object.entries(source) as [string, null | string | undefined][]).flatMap(([field, value]) =>
    value ? validateTemplateSource(value).errors.map((e) => `${field}: ${e}`) : [],
  )
  if (problems.length) throw new AppError('INVALID_INPUT', problems.join(' '))

  const variables = buildTemplateVariables({
    contact,
    org,
    unsubscribeUrl: buildUnsubscribeUrl({ fromAddress: 'unsubscribe@localhost', token: 'preview' }),
  })
  return { ...renderTemplate(source, variables), template, org, contactLabel }
}
