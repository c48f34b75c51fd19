import { withPayload } from '@payloadcms/next/withPayload'

const production = process.env.NODE_ENV === 'production'

// Kept in step with src/services/http/security-headers.ts (staticSecurityHeaders, API_CONTENT_SECURITY_POLICY),
// whose unit test reads this file: next.config.mjs cannot import TypeScript.
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'SAMEORIGIN' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
  ...(production ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }] : []),
]
const apiContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WebAssembly and the pg driver has optional native bits: keep them out of the bundle.
  serverExternalPackages: ['@electric-sql/pglite', '@electric-sql/pglite-socket', 'pg', 'smtp-server', 'pdfjs-dist'],
  poweredByHeader: false,
  // Parallel builds (e.g. several engineers' browser tests on one machine) can each use their own directory.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // SendGrid posts to /api/callbacks/sendgrid/ and does not follow redirects: no trailing-slash redirect.
  skipTrailingSlashRedirect: true,
  // src/proxy.ts sees every request; without this it would cut bodies at 10 MB, and SendGrid's Inbound
  // Parse posts up to 30 MB (the endpoint itself refuses more with a 413).
  experimental: { proxyClientMaxBodySize: '31mb' },
  // Security headers on every response; pages get their Content-Security-Policy (with a nonce) from src/proxy.ts.
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: apiContentSecurityPolicy }] },
    ]
  },
}

export default withPayload(nextConfig)
