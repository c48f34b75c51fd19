import Handlebars from 'handlebars'
import type { Endpoint, PayloadRequest } from 'payload'

import { isAppError } from '@/services/errors/app-error'
import { resolveUnsubscribeToken, unsubscribeByToken } from '@/services/unsubscribe/unsubscribe-by-token'

const escape = Handlebars.escapeExpression

/** A small public page: no admin, no scripts, readable on a phone. */
const page = (status: number, title: string, body: string) =>
  new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933}
h1{font-size:1.4rem}button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#1f2933;color:#fff;cursor:pointer}</style>
</head><body><h1>${escape(title)}</h1>${body}</body></html>`,
    { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } },
  )

// Payload hands route params over decoded already.
const tokenOf = (req: PayloadRequest) => String(req.routeParams?.token ?? '')

// A new Response each time: Payload re-wraps the body, so one shared Response would be consumed after the first request.
const previewPage = () => page(200, 'Unsubscribe link (preview)', '<p>This is the link of a template preview. In a real message it unsubscribes its recipient.</p>')

const failure = (error: unknown) => {
  if (isAppError(error)) return page(error.status, 'This link does not work', `<p>${escape(error.message)}</p>`)
  throw error
}

/**
 * GET /api/unsubscribe/<token>: a confirmation page naming the org (link scanners fetch links; only a
 * POST unsubscribes). POST to the same URL unsubscribes: the page's button, or RFC 8058 one-click
 * (`List-Unsubscribe=One-Click`, no cookies) from the mail client. Idempotent; a bad token gets a 400 page.
 */
export const unsubscribeEndpoints: Endpoint[] = [
  {
    path: '/unsubscribe/:token',
    method: 'get',
    handler: async (req) => {
      const token = tokenOf(req)
      if (token === 'preview') return previewPage()
      try {
        const target = await resolveUnsubscribeToken(req.payload, token)
        return page(
          200,
          `Unsubscribe from ${target.orgName}?`,
          `<p><strong>${escape(target.address)}</strong> will no longer receive ${target.channel === 'sms' ? 'text messages' : 'email'} from ${escape(target.orgName)}.</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
        )
      } catch (error) {
        return failure(error)
      }
    },
  },
  {
    path: '/unsubscribe/:token',
    method: 'post',
    handler: async (req) => {
      const token = tokenOf(req)
      if (token === 'preview') return previewPage()
      try {
        const result = await unsubscribeByToken({ payload: req.payload, token, source: 'unsubscribe link' })
        return page(
          200,
          'You are unsubscribed',
          `<p><strong>${escape(result.address)}</strong> will receive no more ${result.channel === 'sms' ? 'text messages' : 'email'} from ${escape(result.orgName)}${result.alreadySuppressed ? ' (it was already unsubscribed)' : ''}.</p>`,
        )
      } catch (error) {
        return failure(error)
      }
    },
  },
]
