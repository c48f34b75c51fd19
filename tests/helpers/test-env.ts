/** Environment every integration test runs with; providers point at loopback fakes per test. */
export const TEST_ENV: Record<string, string> = {
  PAYLOAD_SECRET: 'outpost-test-secret-0123456789abcdef0123456789',
  FERNET_KEY: 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=',
  SITE_URL: 'http://localhost:3000',
  OUTPOST_SEED_ON_EMPTY: 'false',
  DEMO_PASSWORD: 'demo-password',
  // Tests read a summary, change the data and read again: no cached answers.
  METRICS_SUMMARY_CACHE_SECONDS: '0',
  LOG_LEVEL: process.env.LOG_LEVEL || 'fatal',
}
