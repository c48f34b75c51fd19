import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { randomUUID } from 'node:crypto'

import { applyRecipientOutcomes, recordOutcomesAndHandOff } from '@/services/sending/apply-recipient-outcomes'
import { claimNextBatch, expireStaleLeases, handOffRecipients, releaseClaims, renewLeases } from '@/services/sending/claim-next-batch'

import { type ApiClient, findOrgID, getTestPayload, loginAs } from './helpers/app'
import { unique } from './helpers/fixtures'

let payload: Payload
let demo: number
let sender: ApiClient

/** A queued job with `count` pending recipients, set up through the real queue endpoint. */
const queuedJob = async (count: number): Promise<number> => {
  const pool = (payload.db as any).pool
  const prefix = unique('claim')
  const { rows } = await pool.query(
    `INSERT INTO contacts (org_id, email, updated_at, created_at)
     SELECT $1, $2 || g || '@example.com', now(), now() FROM generate_series(1, $3) g RETURNING id`,
    [demo, prefix, count],
  )
  const template = (await payload.find({ collection: 'email-templates', where: { and: [{ org: { equals: demo } }, { status: { equals: 'approved' } }] }, limit: 1 })).docs[0]!
  const job = await sender.post('/email-jobs', { name: prefix, org: demo, template: template.id, contacts: rows.map((r: { id: number }) => r.id) })
  expect(job.status).toBe(201)
  expect((await sender.post(`/email-jobs/${job.body.doc.id}/queue`)).status).toBe(200)
  // Claims are handed out only while a job is sending (a worker moves it there on its first step).
  await pool.query(`UPDATE email_jobs SET status = 'sending' WHERE id = $1`, [job.body.doc.id])
  return job.body.doc.id
}

beforeAll(async () => {
  payload = await getTestPayload()
  demo = await findOrgID(payload, 'demo-org')
  sender = await loginAs('sender@demo.test')
})

const claim = (jobID: number, limit: number, leaseSeconds = 60, claimToken = randomUUID()) => claimNextBatch({ payload, jobID, limit, leaseSeconds, claimToken })
const rowsOf = async (jobID: number) =>
  Object.fromEntries(
    (await (payload.db as any).pool.query('SELECT id, status::text AS status, attempts::int AS attempts, last_error, claim_token, handed_off_at, lease_expires_at FROM email_recipients WHERE job_id = $1', [jobID])).rows.map(
      (r: { id: number }) => [r.id, r],
    ),
  )

describe('claimNextBatch', () => {
  it('hands every recipient to exactly one of several concurrent claimers', async () => {
    const jobID = await queuedJob(120)
    const rounds = await Promise.all(Array.from({ length: 4 }, () => claim(jobID, 25)))
    const more = await Promise.all(Array.from({ length: 4 }, () => claim(jobID, 25)))
    const claimed = [...rounds, ...more].flat().map((r) => r.id)
    expect(claimed).toHaveLength(120)
    expect(new Set(claimed).size).toBe(120)
    expect(await claim(jobID, 25)).toEqual([])
    const rows = Object.values(await rowsOf(jobID)) as any[]
    expect(rows.every((r) => r.status === 'sending' && r.attempts === 1 && r.lease_expires_at && r.claim_token && r.handed_off_at === null)).toBe(true)
  })

  it('an expired claim goes back to pending unless its send had started; started ones become unknown (never resent)', async () => {
    const jobID = await queuedJob(9)
    const dying = await claim(jobID, 6, 0)
    // Of the dead worker's six, three had been handed off (on the wire when it died), three had not.
    const started = await handOffRecipients({ payload, jobID, claimToken: dying[0]!.claimToken, ids: dying.slice(0, 3).map((r) => r.id) })
    expect([...started].sort()).toEqual(dying.slice(0, 3).map((r) => r.id).sort())
    const alive = await claim(jobID, 3, 600)
    await new Promise((r) => setTimeout(r, 20))
    expect(await expireStaleLeases({ payload })).toContain(jobID)
    const rows = await rowsOf(jobID)
    for (const r of dying.slice(0, 3)) expect(rows[r.id]).toEqual(expect.objectContaining({ status: 'unknown', attempts: 1, last_error: expect.stringMatching(/may or may not/) }))
    for (const r of dying.slice(3)) expect(rows[r.id]).toEqual(expect.objectContaining({ status: 'pending', attempts: 0, claim_token: null, last_error: null }))
    for (const r of alive) expect(rows[r.id]!.status).toBe('sending')
    // The job's counters move in the same statement: only the three on the wire became unknown.
    const job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })
    expect({ pending: job.pending, unknown: job.unknown }).toEqual({ pending: 6, unknown: 3 })
    // The unstarted ones are claimable again, the unknown ones are not.
    const again = await claim(jobID, 10)
    expect(again.map((r) => r.id).sort()).toEqual(dying.slice(3).map((r) => r.id).sort())
    expect(again.every((r) => r.attempts === 1)).toBe(true)
  })

  it('outcomes a dead worker had logged but not yet applied count: answered messages are sent, not unknown', async () => {
    const jobID = await queuedJob(3)
    const dying = await claim(jobID, 3, 0)
    const token = dying[0]!.claimToken
    await handOffRecipients({ payload, jobID, claimToken: token, ids: dying.map((r) => r.id) })
    const client = await (payload.db as any).pool.connect()
    try {
      // Two were answered (one sent, one refused for good) and logged; the worker died before its batch's flush.
      await recordOutcomesAndHandOff(client, {
        jobID,
        claimToken: token,
        handOff: [],
        outcomes: [
          { id: dying[0]!.id, attempt: 1, status: 'sent', providerMessageID: 'm-1' },
          { id: dying[1]!.id, attempt: 1, status: 'failed', error: 'Refused (550).', providerCode: '550' },
        ],
      })
    } finally {
      client.release()
    }
    await new Promise((r) => setTimeout(r, 20))
    await expireStaleLeases({ payload })
    const rows = await rowsOf(jobID)
    expect(rows[dying[0]!.id]).toEqual(expect.objectContaining({ status: 'sent' }))
    expect(rows[dying[1]!.id]).toEqual(expect.objectContaining({ status: 'failed', last_error: 'Refused (550).' }))
    expect(rows[dying[2]!.id]).toEqual(expect.objectContaining({ status: 'unknown' }))
    const job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })
    expect({ pending: job.pending, sent: job.sent, failed: job.failed, unknown: job.unknown }).toEqual({ pending: 0, sent: 1, failed: 1, unknown: 1 })
    const { rows: left } = await (payload.db as any).pool.query('SELECT count(*)::int AS n FROM send_outcome_log WHERE job_id = $1', [jobID])
    expect(left[0].n).toBe(0)
  })

  it('a hand-off, a lease renewal and an outcome only ever apply to the claim that holds the row', async () => {
    const jobID = await queuedJob(4)
    const first = await claim(jobID, 2, 0)
    await new Promise((r) => setTimeout(r, 20))
    await expireStaleLeases({ payload }) // never handed off: back to pending
    const second = await claim(jobID, 2, 60)
    expect(second.map((r) => r.id).sort()).toEqual(first.map((r) => r.id).sort())
    // The first (slow, not dead) worker comes back: its hand-off, renewal and outcome change nothing.
    expect((await handOffRecipients({ payload, jobID, claimToken: first[0]!.claimToken, ids: first.map((r) => r.id) })).size).toBe(0)
    expect(await renewLeases({ payload, jobID, claimToken: first[0]!.claimToken, leaseSeconds: 600 })).toBe(0)
    const client = await (payload.db as any).pool.connect()
    try {
      const late = first.map((r) => ({ id: r.id, attempt: r.attempts, status: 'sent' as const, providerMessageID: null }))
      expect(await applyRecipientOutcomes(client, jobID, first[0]!.claimToken, late)).toBe(0)
    } finally {
      client.release()
    }
    const rows = await rowsOf(jobID)
    for (const r of second) expect(rows[r.id]).toEqual(expect.objectContaining({ status: 'sending', claim_token: second[0]!.claimToken, handed_off_at: null }))
    // The holder's heartbeat moves its leases on.
    const before = Math.max(...second.map((r) => new Date(rows[r.id]!.lease_expires_at).getTime()))
    expect(await renewLeases({ payload, jobID, claimToken: second[0]!.claimToken, leaseSeconds: 600 })).toBe(2)
    const after = await rowsOf(jobID)
    for (const r of second) expect(new Date(after[r.id]!.lease_expires_at).getTime()).toBeGreaterThan(before + 500_000)
  })

  it('hands out nothing unless the job is sending, and released claims come back uncounted', async () => {
    const jobID = await queuedJob(5)
    const pool = (payload.db as any).pool
    await pool.query(`UPDATE email_jobs SET status = 'paused' WHERE id = $1`, [jobID])
    expect(await claim(jobID, 5)).toEqual([])
    await pool.query(`UPDATE email_jobs SET status = 'sending' WHERE id = $1`, [jobID])
    const claimed = await claim(jobID, 5)
    expect(claimed.map((r) => r.attempts)).toEqual([1, 1, 1, 1, 1])
    // A handed-off claim is never released (it may be on the wire); the unstarted ones are.
    await handOffRecipients({ payload, jobID, claimToken: claimed[0]!.claimToken, ids: [claimed[2]!.id] })
    await releaseClaims({ payload, recipients: claimed.slice(2) })
    const again = await claim(jobID, 5)
    expect(again.map((r) => r.id)).toEqual(claimed.slice(3).map((r) => r.id))
    expect(again.every((r) => r.attempts === 1)).toBe(true)
    expect((await rowsOf(jobID))[claimed[2]!.id]).toEqual(expect.objectContaining({ status: 'sending', claim_token: claimed[0]!.claimToken }))
  })
})
