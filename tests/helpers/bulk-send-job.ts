import type { Payload } from 'payload'
import type { PoolClient } from 'pg'

/** A newsletter of about 2 KB once rendered (HTML and text parts together). */
export const BENCH_TEMPLATE_HTML = `<h1>Spring update for {{first_name}}</h1>
${Array.from({ length: 6 }, (_, i) => `<p>Paragraph ${i + 1}: our programme continues with workshops, open days and volunteer evenings across the region; see the calendar.</p>`).join('\n')}
<p><a href="{{unsubscribe_link}}">Unsubscribe</a></p>`

/**
 * Sets up (in bulk SQL, for speed) an org sending through `sending`, `count` contacts, an approved
 * ~2 KB template and a draft job addressed to all of them, plus a sender. Returns what queueing needs.
 * For benchmarks and the chaos test, where tens of thousands of rows must exist in seconds.
 */
export const prepareBulkSendJob = async ({
  payload,
  count,
  sending,
  slug = 'bulk-org',
  domain = 'example.com',
}: {
  payload: Payload
  count: number
  sending: Record<string, unknown>
  slug?: string
  domain?: string
}) => {
  const org = await payload.create({
    collection: 'organizations',
    data: { name: slug, slug, postalAddress: '1 Bench Street, Testville', sending: { fromAddress: 'news@bulk.example', fromName: 'Bulk', ...sending } },
  })
  const user = await payload.create({
    collection: 'users',
    data: { email: `sender@${slug}.test`, password: 'bulk-password', orgs: [{ org: org.id, roles: ['sender'] }] },
  })
  const template = await payload.create({
    collection: 'email-templates',
    data: { org: org.id, name: 'Bulk newsletter', subject: 'Spring update for {{first_name}}', html: BENCH_TEMPLATE_HTML, status: 'approved' },
  })
  const pool = (payload.db as unknown as { pool: { connect: () => Promise<PoolClient> } }).pool
  const client = await pool.connect()
  try {
    await client.query(
      `INSERT INTO contacts (org_id, email, first_name, last_name, updated_at, created_at)
       SELECT $1, $3 || '-' || g || '@' || $4, 'Reader' || g, 'Bulk', now(), now() FROM generate_series(1, $2) g`,
      [org.id, count, slug, domain],
    )
    const job = await payload.create({ collection: 'email-jobs', data: { org: org.id, name: `${slug} job`, template: template.id, status: 'draft' } })
    // Every contact of the org, chosen one by one (the job's explicit selection).
    await client.query(`INSERT INTO job_audience_contacts (job_id, contact_id) SELECT $1, id FROM contacts WHERE org_id = $2`, [job.id, org.id])
    await client.query(`UPDATE email_jobs SET audience_selection_count = $2 WHERE id = $1`, [job.id, count])
    return { org: org.id, jobID: job.id, templateID: template.id, user: { ...user, collection: 'users' as const } }
  } finally {
    client.release()
  }
}

export const BULK_SMS_TEXT = 'Hi {{first_name}}, your table at {{org_name}} is ready from 7pm tonight. {{opt_out_line}}'

/**
 * The SMS counterpart (bulk SQL): an org sending SMS through `sms` (its SMS settings), `count` contacts
 * with distinct US mobiles (+1415 2000001…), an approved SMS template and a draft job to all of them.
 */
export const prepareBulkSmsJob = async ({ payload, count, sms, slug = 'bulk-sms' }: { payload: Payload; count: number; sms: Record<string, unknown>; slug?: string }) => {
  const org = await payload.create({
    collection: 'organizations',
    data: { name: slug, slug, postalAddress: '1 Bench Street', sms, sending: { batchDelaySeconds: 0 } } as never,
  })
  const user = await payload.create({ collection: 'users', data: { email: `sender@${slug}.test`, password: 'bulk-password', orgs: [{ org: org.id, roles: ['sender'] }] } })
  const template = await payload.create({ collection: 'email-templates', data: { org: org.id, name: 'Table ready', channel: 'sms', smsBody: BULK_SMS_TEXT, status: 'approved' } as never })
  const pool = (payload.db as unknown as { pool: { query: (sql: string, params: unknown[]) => Promise<unknown> } }).pool
  await pool.query(
    `INSERT INTO contacts (org_id, email, first_name, last_name, phone, updated_at, created_at)
     SELECT $1, $3 || '-' || g || '@example.com', 'Texter' || g, 'Bench', '+1415' || (2000000 + g), now(), now() FROM generate_series(1, $2) g`,
    [org.id, count, slug],
  )
  const job = await payload.create({ collection: 'email-jobs', data: { org: org.id, name: `${slug} job`, template: template.id, status: 'draft' } })
  await pool.query(`INSERT INTO job_audience_contacts (job_id, contact_id) SELECT $1, id FROM contacts WHERE org_id = $2`, [job.id, org.id])
  await pool.query(`UPDATE email_jobs SET audience_selection_count = $2 WHERE id = $1`, [job.id, count])
  return { org: org.id, jobID: job.id, user: { ...user, collection: 'users' as const } }
}
