import type { Payload } from 'payload'
import { expect } from 'vitest'

import type { Organization } from '@/payload-types'

import { type ApiClient, loginAs } from './app'
import { makeContact, makeUser, unique } from './fixtures'

export type SendingOrg = { org: number; sender: ApiClient; viewer: ApiClient; template: number }

/** A fresh org of its own (so its sending settings and rate limit touch no other test), with a sender, a viewer and an approved template. */
export const makeSendingOrg = async (payload: Payload, sending: Partial<NonNullable<Organization['sending']>>): Promise<SendingOrg> => {
  const name = unique('send-org')
  const data: Omit<Organization, 'id' | 'createdAt' | 'updatedAt'> = {
    name,
    slug: name,
    postalAddress: '9 Sender Lane, Testville',
    sending: { fromAddress: 'news@send.example', fromName: 'Send Org', ...sending },
  }
  const org = await payload.create({ collection: 'organizations', data })
  const senderUser = await makeUser(payload, [{ org: org.id, roles: ['sender'] }], { password: 'fixture-password' })
  const viewerUser = await makeUser(payload, [{ org: org.id, roles: ['viewer'] }], { password: 'fixture-password' })
  const template = await payload.create({
    collection: 'email-templates',
    data: {
      org: org.id,
      name: unique('tpl'),
      subject: 'Hello {{first_name}}',
      html: '<p>Dear {{full_name}},</p><p>News from {{org_name}}.</p><p><a href="{{unsubscribe_link}}">Unsubscribe</a></p>',
      status: 'approved',
    },
  })
  return {
    org: org.id,
    sender: await loginAs(senderUser.email, 'fixture-password'),
    viewer: await loginAs(viewerUser.email, 'fixture-password'),
    template: template.id,
  }
}

/** `count` contacts in the org with addresses `<prefix>-<n>@<domain>`; returns their ids and addresses. */
export const makeRecipients = async (payload: Payload, org: number, count: number, domain = 'example.com') => {
  const prefix = unique('r')
  const contacts = []
  for (let n = 1; n <= count; n++) {
    contacts.push(await makeContact(payload, org, { email: `${prefix}-${n}@${domain}`, firstName: `First${n}`, lastName: 'Tester' }))
  }
  return contacts
}

/** Creates and queues a job through the REST API as the org's sender; returns its id. */
export const queueJob = async (fixture: SendingOrg, contacts: number[], extra: Record<string, unknown> = {}): Promise<number> => {
  const created = await fixture.sender.post('/email-jobs', { name: unique('job'), org: fixture.org, template: fixture.template, contacts, ...extra })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const queued = await fixture.sender.post(`/email-jobs/${created.body.doc.id}/queue`)
  expect(queued.status, JSON.stringify(queued.body)).toBe(200)
  return created.body.doc.id as number
}

const TERMINAL = ['completed', 'completed_with_errors', 'failed', 'cancelled', 'paused']

/**
 * Runs this email job's waiting Payload triggers (as a worker would) until the job ends or `timeoutMs`
 * passes. Triggers of other tests' jobs are left alone.
 */
export const runTriggersUntilDone = async (payload: Payload, jobID: number, timeoutMs = 30_000): Promise<string> => {
  const deadline = Date.now() + timeoutMs
  const pool = (payload.db as any).pool
  for (;;) {
    const job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })
    if (TERMINAL.includes(job.status)) return job.status
    if (Date.now() > deadline) {
      const triggers = await pool.query(`SELECT id, processing, completed_at, has_error, error, wait_until, total_tried FROM payload_jobs WHERE (input->>'jobID')::int = $1`, [jobID])
      const recipients = await pool.query(`SELECT email, status, attempts, last_error, next_attempt_at FROM email_recipients WHERE job_id = $1`, [jobID])
      throw new Error(`job ${jobID} still ${job.status} after ${timeoutMs} ms: ${JSON.stringify({ triggers: triggers.rows, recipients: recipients.rows })}`)
    }
    const { rows } = await pool.query(
      `SELECT id FROM payload_jobs WHERE task_slug = 'sendEmailJob' AND completed_at IS NULL AND processing = false
          AND (input->>'jobID')::int = $1 AND (wait_until IS NULL OR wait_until <= now()) ORDER BY id`,
      [jobID],
    )
    if (!rows.length) await new Promise((r) => setTimeout(r, 100))
    for (const row of rows) await payload.jobs.runByID({ id: row.id })
  }
}

/** The job's counters next to what its recipient rows say. */
export const countersAndRows = async (payload: Payload, jobID: number) => {
  const job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })
  const { rows } = await (payload.db as any).pool.query(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE status IN ('pending', 'sending'))::int AS pending,
            count(*) FILTER (WHERE status IN ('sent', 'delivered'))::int AS sent,
            count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status = 'excluded')::int AS excluded,
            count(*) FILTER (WHERE status = 'unknown')::int AS unknown
       FROM email_recipients WHERE job_id = $1`,
    [jobID],
  )
  return {
    counters: { total: job.total, pending: job.pending, sent: job.sent, delivered: job.delivered, failed: job.failed, excluded: job.excluded, unknown: job.unknown },
    rows: rows[0] as Record<string, number>,
    job,
  }
}
