import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { claimNextBatch, expireStaleLeases, releaseClaims } from '@/services/sending/claim-next-batch'

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

describe('claimNextBatch', () => {
  it('hands every recipient to exactly one of several concurrent claimers', async () => {
    const jobID = await queuedJob(120)
    const rounds = await Promise.all(Array.from({ length: 4 }, () => claimNextBatch({ payload, jobID, limit: 25, leaseSeconds: 60 })))
    const more = await Promise.all(Array.from({ length: 4 }, () => claimNextBatch({ payload, jobID, limit: 25, leaseSeconds: 60 })))
    const claimed = [...rounds, ...more].flat().map((r) => r.id)
    expect(claimed).toHaveLength(120)
    expect(new Set(claimed).size).toBe(120)
    expect(await claimNextBatch({ payload, jobID, limit: 25, leaseSeconds: 60 })).toEqual([])
    const rows = await payload.find({ collection: 'email-recipients', where: { job: { equals: jobID } }, limit: 0, pagination: false, depth: 0 })
    expect(rows.docs.every((r) => r.status === 'sending' && r.attempts === 1 && r.leaseExpiresAt)).toBe(true)
  })

  it('turns expired leases into unknown (never resent) and leaves live ones alone', async () => {
    const jobID = await queuedJob(6)
    const dying = await claimNextBatch({ payload, jobID, limit: 3, leaseSeconds: 0 })
    const alive = await claimNextBatch({ payload, jobID, limit: 3, leaseSeconds: 600 })
    await new Promise((r) => setTimeout(r, 20))
    expect(await expireStaleLeases({ payload })).toContain(jobID)
    const rows = await payload.find({ collection: 'email-recipients', where: { job: { equals: jobID } }, depth: 0, limit: 10 })
    const status = Object.fromEntries(rows.docs.map((r) => [r.id, r]))
    for (const r of dying) expect(status[r.id]).toEqual(expect.objectContaining({ status: 'unknown', lastError: expect.stringMatching(/may or may not/) }))
    for (const r of alive) expect(status[r.id]!.status).toBe('sending')
    // The job's counters move in the same statement: 3 in flight became unknown.
    const job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })
    expect({ pending: job.pending, unknown: job.unknown }).toEqual({ pending: 3, unknown: 3 })
    // unknown recipients are not claimable again
    expect(await claimNextBatch({ payload, jobID, limit: 10, leaseSeconds: 60 })).toEqual([])
  })

  it('hands out nothing unless the job is sending, and released claims come back uncounted', async () => {
    const jobID = await queuedJob(5)
    const pool = (payload.db as any).pool
    await pool.query(`UPDATE email_jobs SET status = 'paused' WHERE id = $1`, [jobID])
    expect(await claimNextBatch({ payload, jobID, limit: 5, leaseSeconds: 60 })).toEqual([])
    await pool.query(`UPDATE email_jobs SET status = 'sending' WHERE id = $1`, [jobID])
    const claimed = await claimNextBatch({ payload, jobID, limit: 5, leaseSeconds: 60 })
    expect(claimed.map((r) => r.attempts)).toEqual([1, 1, 1, 1, 1])
    await releaseClaims({ payload, recipients: claimed.slice(2) })
    const again = await claimNextBatch({ payload, jobID, limit: 5, leaseSeconds: 60 })
    expect(again.map((r) => r.id)).toEqual(claimed.slice(2).map((r) => r.id))
    expect(again.every((r) => r.attempts === 1)).toBe(true)
  })
})
