/**
 * The security headers of every response, in one place: next.config.mjs sets the static ones on every
 * route, and the proxy (src/proxy.ts) sets the pages' Content-Security-Policy with a fresh nonce per
 * request. Pure functions, so the policy is unit-tested and the browser tests check the admin works
 * under it.
 */

type Mode = { production: boolean }

/** The admin and public pages: scripts only from this origin and with this request's nonce; no third party anywhere. */
export const pageContentSecurityPolicy = (nonce: string, { production }: Mode): string =>
  [
    "default-src 'self'",
    // 'strict-dynamic': scripts the nonce'd framework scripts load are trusted; nothing inline or foreign is.
    // Development adds 'unsafe-eval' for Next's fast refresh.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${production ? '' : " 'unsafe-eval'"}`,
    // The admin's components set inline styles (and react-select injects <style>): styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${production ? '' : ' ws: wss:'}`,
    "frame-src 'self' blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
    ...(production ? ['upgrade-insecure-requests'] : []),
  ].join('; ')

/** API answers are data: they load nothing (the unsubscribe page's inline style and its own form aside). */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/** Headers every response carries (the proxy adds the pages' CSP). */
export const staticSecurityHeaders = ({ production }: Mode): { key: string; value: string }[] => [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'SAMEORIGIN' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
  ...(production ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }] : []),
]

/** A path that does not decode (a malformed % escape) names nothing: 400, not the framework's 500. */
export const isMalformedPath = (pathname: string): boolean => {
  try {
    decodeURIComponent(pathname)
    return false
  } catch {
    return true
  }
}
