import type { Payload } from 'payload'

import { hasOrgPermission, relationID } from '@/access/orgAccess'
import { queueStatementTimeoutMs } from '@/db/db-limits'
import { inTransaction } from '@/db/transaction'

import { recordAudit } from '../audit/record-audit'
import { AppError } from '../errors/app-error'
import { ensureSendTrigger } from './ensure-send-trigger'
import { audienceSql, isEmptyAudience } from '../audiences/audience-sql'
import { loadJobAudience } from '../audiences/load-job-audience'
import { activeEmailSuppressionsSql } from './find-active-suppressions'
import type { JobSnapshot } from './load-send-context'
import { resolveSendingSettings } from './resolve-sending-settings'
import { insertSmsRecipients } from '../sms/insert-sms-recipients'
import type { SmsJobSnapshot } from '../sms/load-sms-context'
import { resolveSmsSettings } from '../sms/resolve-sms-settings'

type User = NonNullable<Parameters<Payload['find']>[0]['user']>

export type QueueResult = { jobID: number; total: number; pending: number; excluded: number }

/**
 * Queues a draft job once: snapshots the settings, writes one recipient row per unique address
 * (case-insensitive) in one INSERT … SELECT, marks suppressed addresses excluded with the
 * suppression's reason, and sets the counters from the rows, all in one transaction. A second
 * request finds the job no longer a draft and gets 409.
 */
export const queueEmailJob = async ({ payload, req, jobID }: { payload: Payload; req: Parameters<typeof recordAudit>[0]; jobID: number | string }): Promise<QueueResult> => {
  const user = req.user as User | null
  if (!user) throw new AppError('UNAUTHORIZED', 'Log in to queue a job.')
  const job = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0, user, overrideAccess: false, disableErrors: true })
  if (!job) throw new AppError('NOT_FOUND', 'No such email job, or you cannot see it.')
  const org = relationID(job.org)!
  if (!hasOrgPermission(user, org, 'jobs.queue')) throw new AppError('FORBIDDEN', 'Your role cannot queue email jobs.')
  if (job.status !== 'draft') throw new AppError('CONFLICT', `This job is already ${job.status}; it can be queued only once.`)
  const template = job.template
    ? await payload.findByID({ collection: 'email-templates', id: relationID(job.template)!, depth: 0, user, overrideAccess: false, disableErrors: true })
    : null
  if (!template || relationID(template.org) !== org) throw new AppError('INVALID_INPUT', 'The job’s template is missing.')
  if (template.status !== 'approved') {
    throw new AppError('INVALID_INPUT', `Only approved templates can be sent; "${template.name}" is ${template.status}.`)
  }
  const channel = template.channel === 'sms' ? 'sms' : 'email'
  const audience = await loadJobAudience({ payload, user, job })
  if (isEmptyAudience(audience)) throw new AppError('INVALID_INPUT', 'Choose who receives the job (contacts, tags, segments or everyone) before queueing.')
  // Attachments are read as the user and must be this organisation's: a job never sends another org's file.
  const attachmentIDs = [...new Set((job.attachments ?? []).map((media) => relationID(media as never)).filter((id) => id !== undefined))]
  if (attachmentIDs.length && channel === 'sms') throw new AppError('INVALID_INPUT', 'An SMS carries no attachments: remove them from the job before queueing.')
  if (attachmentIDs.length) {
    const { docs } = await payload.find({ collection: 'media', where: { id: { in: attachmentIDs } }, depth: 0, limit: attachmentIDs.length, user, overrideAccess: false })
    const foreign = attachmentIDs.find((id) => !docs.some((media) => String(media.id) === String(id) && relationID(media.org) === org))
    if (foreign !== undefined) throw new AppError('INVALID_INPUT', `Attachment ${foreign} is not one of this organisation's files: remove it before queueing.`)
  }
  // Reads the org's stored settings (secrets stay encrypted and out of the snapshot).
  const orgDoc = await payload.findByID({ collection: 'organizations', id: org, depth: 0, showHiddenFields: true })
  // The approved content is part of the snapshot: a later edit of the template never changes what this job sends.
  let snapshot: JobSnapshot | SmsJobSnapshot
  if (channel === 'sms') {
    const sms = resolveSmsSettings(orgDoc)
    if (sms.provider === 'twilio') {
      const missing = [!sms.accountSid && 'an account SID', !sms.hasAuthToken && 'an auth token', !sms.fromNumber && !sms.messagingServiceSid && 'a sender number or Messaging Service'].filter(Boolean)
      if (missing.length) throw new AppError('INVALID_INPUT', `This organisation sends SMS through Twilio, but its SMS settings lack ${missing.join(' and ')}: complete them before queueing.`)
    }
    snapshot = { channel: 'sms', ...sms, template: { id: template.id, name: template.name, smsBody: template.smsBody ?? '' } }
  } else {
    snapshot = {
      ...resolveSendingSettings(orgDoc),
      template: { id: template.id, name: template.name, subject: template.subject ?? '', html: template.html ?? '', text: template.text, footer: template.footer },
    }
  }

  const counts = await inTransaction(payload, async (client) => {
    const claimed = await client.query(
      `UPDATE email_jobs SET status = 'queued', queued_by_id = $2, queued_at = now(), settings_snapshot = $3, channel = $4, updated_at = now()
        WHERE id = $1 AND status = 'draft' RETURNING id`,
      [job.id, user.id, JSON.stringify(snapshot), channel],
    )
    if (claimed.rowCount === 0) throw new AppError('CONFLICT', 'This job was queued by someone else a moment ago.')
    // The audience, resolved here once: these rows are the frozen result. An org's addresses are unique
    // (stored in lower case), so each contact is one row; ON CONFLICT keeps a repeated address once.
    const who = audienceSql(audience, { org: Number(org), job: job.id }, 3)
    await client.query(`SET LOCAL work_mem = '64MB'`)
    // One statement writes the whole audience (a million rows take most of a minute): its own limit.
    await client.query(`SET LOCAL statement_timeout = ${queueStatementTimeoutMs()}`)
    const inserted =
      channel === 'sms'
        ? await insertSmsRecipients(client, { jobID: job.id, org: Number(org), who, defaultCountry: (snapshot as SmsJobSnapshot).defaultCountry })
        : ((
            await client.query(
              `INSERT INTO email_recipients (org_id, job_id, contact_id, email, status, attempts, created_at, updated_at)
               SELECT c.org_id, $1, c.id, lower(c.email), 'pending', 0, now(), now()
                 FROM contacts c
                WHERE c.org_id = $2 AND ${who.sql}
               ON CONFLICT (job_id, email) DO NOTHING`,
              [job.id, org, ...who.params],
            )
          ).rowCount ?? 0)
    if (inserted === 0) throw new AppError('INVALID_INPUT', 'The audience matches no contact now: nobody would receive this job. Change who it goes to.')
    await client.query(
      `UPDATE email_recipients er
          SET status = 'excluded', excluded_reason = s.reason, suppression_id = s.id, updated_at = now()
         FROM ${activeEmailSuppressionsSql('$2', channel)} s
        WHERE er.job_id = $1 AND er.email = s.address AND er.status = 'pending'`,
      [job.id, org],
    )
    const totals = await client.query(
      `UPDATE email_jobs j SET total = c.total, pending = c.pending, excluded = c.excluded
         FROM (SELECT count(*)::int AS total,
                      count(*) FILTER (WHERE status = 'pending')::int AS pending,
                      count(*) FILTER (WHERE status = 'excluded')::int AS excluded
                 FROM email_recipients WHERE job_id = $1) c
        WHERE j.id = $1 RETURNING c.total, c.pending, c.excluded`,
      [job.id],
    )
    return totals.rows[0] as { total: number; pending: number; excluded: number }
  })
  await recordAudit(req, {
    action: 'job.queue',
    org,
    target: { collection: 'email-jobs', id: job.id },
    summary: `Queued ${channel === 'sms' ? 'SMS ' : ''}"${job.name}": ${counts.total} recipients, ${counts.excluded} excluded`,
  })
  await ensureSendTrigger({ payload, jobID: job.id })
  return { jobID: job.id, ...counts }
}
