import type { PayloadRequest, RequestContext } from 'payload'

/**
 * Runs system writes to templates that bypass the approval workflow (moving the default flag,
 * seeding). The flag travels in `context`, but a Local API call given `req` merges its `context` into
 * `req.context` for the rest of the request; restoring it afterwards keeps the bypass from leaking into
 * later writes of the same request.
 */
export const withoutWorkflow = async <T>(req: PayloadRequest | undefined, write: (context: RequestContext) => Promise<T>): Promise<T> => {
  const saved = req?.context
  try {
    return await write({ skipWorkflow: true })
  } finally {
    if (req && saved) req.context = saved
  }
}
