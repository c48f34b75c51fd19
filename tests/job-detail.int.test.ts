import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { progressQuery, recipientsQuery } from '@/components/job-detail/queries'
import { closeOrgTransports } from '@/services/sending/get-org-transport'
import { isJobActionAllowed, JOB_TRANSITIONS } from '@/services/sending/job-transitions'

import { type SmtpSink, startSmtpSink } from './fakes/smtp-sink'
import { loginAs, getTestPayload } from './helpers/app'
import { makeMedia } from './helpers/fixtures'
import { countersAndRows, makeRecipients, makeSendingOrg, queueJob, runTriggersUntilDone } from './helpers/send-fixtures'

let payload: Payload
let sink: SmtpSink

const smtpTo = (port: number) => ({ provider: 'smtp' as const, smtpHost: '127.0.0.1', smtpPort: port, batchDelaySeconds: 0, retryDelaySeconds: 1, maxRetries: 1 })

beforeAll(async () => {
  payload = await getTestPayload()
  sink = await startSmtpSink()
})
afterAll(async () => {
  await closeOrgTransports()
  await sink.close()
})

describe('the job detail page’s reads and the retry-failed action', () => {
  it('retry-failed puts an ended job’s failed recipients back to pending (attempts kept), sends them, and refuses what does not fit', async () => {
    const fixture = await makeSendingOrg(payload, smtpTo(sink.port))
    const contacts = await makeRecipients(payload, fixture.org, 4)
    const refused = contacts[3]!.email
    sink.setRecipientRule((address) => (address === refused ? { code: 550, message: 'No such user here' } : null))
    const jobID = await queueJob(fixture, contacts.map((c) => c.id))

    // While it has not ended, there is nothing to retry: its own retries are still under way.
    const early = await fixture.sender.post(`/email-jobs/${jobID}/retry-failed`)
    expect(early.status).toBe(409)
    expect(early.body.errors[0].message).toBe('This job is queued, so it cannot be retried.')

    expect(await runTriggersUntilDone(payload, jobID)).toBe('completed_with_errors')
    const [failedRow] = (await payload.find({ collection: 'email-recipients', where: { job: { equals: jobID }, status: { equals: 'failed' } }, depth: 0 })).docs
    expect(failedRow).toEqual(expect.objectContaining({ email: refused, providerCode: '550' }))
    const attemptsBefore = failedRow!.attempts ?? 0
    expect(attemptsBefore).toBeGreaterThanOrEqual(1)

    // Another org's sender cannot see the job; a viewer of the org may not act; ids that are not ids are 404s.
    const stranger = await loginAs('sender@demo.test')
    expect((await stranger.post(`/email-jobs/${jobID}/retry-failed`)).status).toBe(404)
    const forbidden = await fixture.viewer.post(`/email-jobs/${jobID}/retry-failed`)
    expect(forbidden.status).toBe(403)
    expect(forbidden.body.errors[0].message).toMatch(/Your role cannot/)
    for (const bad of ['abc', '0x1', '99999999999']) expect((await fixture.sender.post(`/email-jobs/${bad}/retry-failed`)).status, bad).toBe(404)
    expect((await fixture.sender.post('/email-jobs/999999999/retry-failed')).status).toBe(404)

    sink.setRecipientRule(null)
    const retried = await fixture.sender.post(`/email-jobs/${jobID}/retry-failed`)
    expect(retried.status, JSON.stringify(retried.body)).toBe(200)
    expect(retried.body).toEqual({ jobID, status: 'sending', requeued: 1 })
    // The counters moved in the same statement as the rows.
    let state = await countersAndRows(payload, jobID)
    expect(state.counters).toEqual(state.rows)
    expect(state.rows).toEqual(expect.objectContaining({ failed: 0, pending: 1, sent: 3 }))
    expect(state.job.completedAt).toBeFalsy()
    const pendingRow = await payload.findByID({ collection: 'email-recipients', id: failedRow!.id, depth: 0 })
    expect(pendingRow).toEqual(expect.objectContaining({ status: 'pending', attempts: attemptsBefore, lastError: null }))

    expect(await runTriggersUntilDone(payload, jobID)).toBe('completed')
    state = await countersAndRows(payload, jobID)
    expect(state.counters).toEqual(state.rows)
    expect(state.rows).toEqual(expect.objectContaining({ sent: 4, failed: 0, pending: 0 }))
    expect(sink.messages.filter((m) => m.to.includes(refused))).toHaveLength(1)

    const again = await fixture.sender.post(`/email-jobs/${jobID}/retry-failed`)
    expect(again.status).toBe(409)
    expect(again.body.errors[0].message).toBe('This job is completed, so it cannot be retried.')

    const audit = await payload.find({
      collection: 'audit-logs',
      where: { and: [{ targetCollection: { equals: 'email-jobs' } }, { targetID: { equals: String(jobID) } }] },
      sort: 'createdAt',
      limit: 20,
    })
    expect(audit.docs.filter((d) => d.action === 'job.retry_failed').map((d) => d.summary)).toEqual([expect.stringMatching(/1 failed recipients will be sent again/)])
  })

  it('an ended job without failures has nothing to retry (409 with the reason)', async () => {
    sink.setRecipientRule((address) => (address.endsWith('@bounce.example') ? { code: 554, message: 'Rejected' } : null))
    const fixture = await makeSendingOrg(payload, smtpTo(sink.port))
    const bad = await makeRecipients(payload, fixture.org, 2, 'bounce.example')
    const jobID = await queueJob(fixture, bad.map((c) => c.id))
    expect(await runTriggersUntilDone(payload, jobID)).toBe('failed')
    // Failed entirely; retried while the server still refuses: they fail again (attempts kept: no new retries).
    const retried = await fixture.sender.post(`/email-jobs/${jobID}/retry-failed`)
    expect(retried.body).toEqual({ jobID, status: 'sending', requeued: 2 })
    expect(await runTriggersUntilDone(payload, jobID)).toBe('failed')
    const state = await countersAndRows(payload, jobID)
    expect(state.counters).toEqual(state.rows)
    sink.setRecipientRule(null)

    const good = await makeRecipients(payload, fixture.org, 1)
    const clean = await queueJob(fixture, good.map((c) => c.id))
    expect(await runTriggersUntilDone(payload, clean)).toBe('completed')
    expect((await fixture.sender.post(`/email-jobs/${clean}/retry-failed`)).status).toBe(409)
  })

  it('the progress, recipients and exclusions reads answer the org’s members only, with the suppression behind each exclusion', async () => {
    sink.setRecipientRule(null)
    const fixture = await makeSendingOrg(payload, smtpTo(sink.port))
    const contacts = await makeRecipients(payload, fixture.org, 3)
    const suppressed = contacts[1]!
    const suppression = await payload.create({
      collection: 'suppressions',
      data: { org: fixture.org, address: suppressed.email, reason: 'unsubscribe', channel: 'email', status: 'active', source: 'unsubscribe link', note: 'Asked by phone too' },
    })
    const media = await makeMedia(payload, fixture.org)
    const jobID = await queueJob(fixture, contacts.map((c) => c.id), { attachments: [media.id] })

    const progress = await fixture.viewer.get(progressQuery(jobID))
    expect(progress.status).toBe(200)
    expect(progress.body).toEqual(expect.objectContaining({ status: 'queued', total: 3, pending: 2, excluded: 1, sent: 0 }))
    expect(progress.body.settingsSnapshot).toBeUndefined()

    const excluded = await fixture.viewer.get(recipientsQuery(jobID, ['excluded'], 1))
    expect(excluded.status).toBe(200)
    expect(excluded.body.totalDocs).toBe(1)
    const [row] = excluded.body.docs
    expect(row.email).toBe(suppressed.email)
    expect(row.contact).toEqual(expect.objectContaining({ id: suppressed.id, firstName: suppressed.firstName }))
    expect(row.suppression).toEqual(expect.objectContaining({ id: suppression.id, reason: 'unsubscribe', source: 'unsubscribe link', note: 'Asked by phone too' }))
    expect(row.suppression.createdAt).toBeTruthy()
    expect(row.job).toBeUndefined()

    const all = await fixture.viewer.get(recipientsQuery(jobID, null, 1))
    expect(all.body.totalDocs).toBe(3)
    const pending = await fixture.viewer.get(recipientsQuery(jobID, ['pending', 'sending'], 1))
    expect(pending.body.docs.map((d: { status: string }) => d.status)).toEqual(['pending', 'pending'])

    // Another org's user sees nothing of it: not the job, not a recipient, not the attachment.
    const stranger = await loginAs('sender@demo.test')
    expect((await stranger.get(progressQuery(jobID))).status).toBe(404)
    const foreign = await stranger.get(recipientsQuery(jobID, null, 1))
    expect(foreign.status).toBe(200)
    expect(foreign.body.totalDocs).toBe(0)
    const file = `/media/file/${encodeURIComponent(media.filename!)}`
    expect((await fixture.viewer.get(file)).status).toBe(200)
    expect([403, 404]).toContain((await stranger.get(file)).status)
  })

  it('the buttons and the server read one transition table', () => {
    expect(isJobActionAllowed('queue', 'draft')).toBe(true)
    expect(isJobActionAllowed('queue', 'queued')).toBe(false)
    expect(isJobActionAllowed('retry-failed', 'completed_with_errors')).toBe(true)
    expect(isJobActionAllowed('retry-failed', 'sending')).toBe(false)
    expect(JOB_TRANSITIONS.cancel.from).toEqual(['queued', 'sending', 'paused'])
  })
})
