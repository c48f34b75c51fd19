import type { Endpoint, PayloadRequest } from 'payload'

import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { renderTemplatePreview } from '@/services/templates/render-template-preview'
import { sendTemplateTest } from '@/services/templates/send-template-test'

const readJSON = async (req: PayloadRequest): Promise<Record<string, unknown>> => {
  if (!req.json) return {}
  try {
    const body = await req.json()
    return body && typeof body === 'object' ? body : {}
  } catch {
    throw new AppError('INVALID_INPUT', 'The request body must be JSON.')
  }
}

const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** POST /api/email-templates/:id/preview  { contactID?, content?: { subject, html, text, footer } } */
export const previewTemplateEndpoint: Endpoint = {
  path: '/:id/preview',
  method: 'post',
  handler: async (req) => {
    try {
      if (!req.user) throw new AppError('UNAUTHORIZED', 'Log in to preview templates.')
      const body = await readJSON(req)
      const content = body.content && typeof body.content === 'object' ? (body.content as Record<string, unknown>) : {}
      const preview = await renderTemplatePreview({
        payload: req.payload,
        user: req.user,
        templateID: String(req.routeParams?.id),
        contactID: asString(body.contactID) ?? (typeof body.contactID === 'number' ? body.contactID : undefined),
        content: {
          subject: asString(content.subject),
          html: asString(content.html),
          text: asString(content.text),
          footer: asString(content.footer),
        },
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
      const result = await sendTemplateTest({ req, templateID: String(req.routeParams?.id) })
      return Response.json({ status: 'sent', ...result })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}
