import { type NextRequest, NextResponse } from 'next/server'

import { isMalformedPath, pageContentSecurityPolicy } from '@/services/http/security-headers'

const production = process.env.NODE_ENV === 'production'

/**
 * Runs before every route. A path with a malformed % escape is a 400 with a sentence (Next would answer
 * a plain-text 500). Pages get a Content-Security-Policy with a nonce of their own, which Next puts on
 * the scripts it renders; API answers keep the static headers of next.config.mjs.
 */
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl
  if (isMalformedPath(pathname)) {
    const message = 'The address has a malformed % escape.'
    return pathname.startsWith('/api/')
      ? NextResponse.json({ errors: [{ message }] }, { status: 400 })
      : new NextResponse(message, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } })
  }
  if (pathname.startsWith('/api/') || pathname.startsWith('/_next/')) return NextResponse.next()
  const nonce = btoa(crypto.randomUUID())
  const policy = pageContentSecurityPolicy(nonce, { production })
  const headers = new Headers(request.headers)
  headers.set('content-security-policy', policy)
  headers.set('x-nonce', nonce)
  const response = NextResponse.next({ request: { headers } })
  response.headers.set('content-security-policy', policy)
  return response
}
