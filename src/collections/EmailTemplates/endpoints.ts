import type { Endpoint } from 'payload'

import { engagementEndpoint } from '@/endpoints/engagement-endpoint'
import { readJSONObject, routeID } from '@/endpoints/request-input'
import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { readTemplateEngagement } from '@/services/metrics/read-template-engagement'
import { renderTemplatePreview } from '@/services/templates/render-template-preview'
import { sendTemplateTest } from '@/services/templates/send-template-test'

const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** The same limits as the template's fields: an unsaved preview is no way around them. */
const PREVIEW_LIMITS = { subject: 500, html: 200_000, text: 200_000, footer: 200_000 } as const

const previewContent = (raw: unknown) => {
  const content = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}
  const result: Partial<Record<keyof typeof PREVIEW_LIMITS, string>> = {}
  for (const [field, max] of Object.entries(PREVIEW_LIMITS) as [keyof typeof PREVIEW_LIMITS, number][]) {
    const value = asString(content[field])
    if (value !== undefined && value.length > max) throw new AppError('INVALID_INPUT', `The ${field} is longer than ${max.toLocaleString('en')} characters.`)
    result[field] = value
  }
  return result
}

/** POST /api/email-templates/:id/preview  { contactID?, content?: { subject, html, text, footer } } */
export const previewTemplateEndpoint: Endpoint = {
  path: '/:id/preview',
  method: 'post',
  handler: async (req) => {
    try {
      if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in to preview templates.')
      const body = await readJSONObject(req)
      const content = previewContent(body.content)
      const preview = await renderTemplatePreview({
        payload: req.payload,
        user: req.user,
        templateID: routeID(req, 'No such template, or you cannot see it.'),
        contactID: asString(body.contactID) ?? (typeof body.contactID === 'number' ? body.contactID : undefined),
        content,
      })
      return Response.json({ subject: preview.subject, html: preview.html, text: preview.text, contact: preview.contactLabel })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

/** POST /api/email-templates/:id/test-send: the rendered template, to the requesting user only. */
export const testSendTemplateEndpoint: Endpoint = {
  path: '/:id/test-send',
  method: 'post',
  handler: async (req) => {
    try {
      const result = await sendTemplateTest({ req, templateID: routeID(req, 'No such template, or you cannot see it.') })
      return Response.json({ status: 'sent', ...result })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

/** GET /api/email-templates/:id/engagement: over all the template's jobs, plus a per-job breakdown. */
export const templateEngagementEndpoint = engagementEndpoint('No such template, or you cannot see it.', ({ payload, user, id }) => readTemplateEngagement({ payload, user, templateID: id }))
