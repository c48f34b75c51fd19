import type { PayloadRequest } from 'payload'

import { readBoundedBody } from '@/services/http/read-bounded-body'

/** Twilio posts a few KB at most. */
const MAX_BYTES = 64 * 1024

export const twilioProblem = (status: number, message: string) => Response.json({ status: 'error', errors: [{ message }] }, { status })

/**
 * The URL Twilio called, which its signature covers: behind a proxy the request's own URL is not the
 * public one, so it is rebuilt from SITE_URL (with the query string as received).
 */
export const twilioPublicUrl = (req: PayloadRequest, path: string): string => {
  const received = new URL(req.url ?? `http://localhost/api${path}`)
  const site = process.env.SITE_URL?.trim().replace(/\/+$/, '')
  return site ? `${site}${received.pathname}${received.search}` : received.toString()
}

/** A Twilio webhook's form fields, or the response that refuses the request (wrong type, too large). */
export const readTwilioForm = async (req: PayloadRequest): Promise<Record<string, string> | Response> => {
  if (!String(req.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
    return twilioProblem(415, 'Twilio posts application/x-www-form-urlencoded.')
  }
  const raw = await readBoundedBody(req as unknown as Request, MAX_BYTES)
  if (raw === null) return twilioProblem(413, `The body is larger than ${MAX_BYTES / 1024} KB.`)
  const params: Record<string, string> = {}
  for (const [name, value] of new URLSearchParams(raw.toString('utf8'))) params[name] = value
  return params
}
