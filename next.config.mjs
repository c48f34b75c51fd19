import { withPayload } from '@payloadcms/next/withPayload'

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WebAssembly and the pg driver has optional native bits: keep them out of the bundle.
  serverExternalPackages: ['@electric-sql/pglite', '@electric-sql/pglite-socket', 'pg', 'smtp-server'],
  poweredByHeader: false,
  // Parallel builds (e.g. several engineers' browser tests on one machine) can each use their own directory.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // SendGrid posts to /api/callbacks/sendgrid/ and does not follow redirects: no trailing-slash redirect.
  skipTrailingSlashRedirect: true,
}

export default withPayload(nextConfig)
