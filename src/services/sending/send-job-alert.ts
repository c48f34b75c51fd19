import Handlebars from 'handlebars'
import type { Payload } from 'payload'

import { createEnvEmailTransport } from '@/integrations/email'

import type { FinishedJob } from './finalize-email-job'

type Env = Record<string, string | undefined>

/**
 * Tells the operators (`ALERTS_EMAIL_TO`, comma-separated) that a job failed or had too many failures,
 * through the Outpost-level SMTP server (`SMTP_*`). Without either, the alert goes to the log.
 */
export const sendJobAlert = async ({ payload, job, summary, env = process.env }: { payload: Payload; job: FinishedJob; summary: string; env?: Env }): Promise<boolean> => {
  const to = env.ALERTS_EMAIL_TO?.trim()
  const subject = `[Outpost] Email job ${job.status === 'failed' ? 'failed' : 'finished with failures'}: ${job.name}`
  const site = env.SITE_URL?.replace(/\/+$/, '')
  const text = [
    `${summary}.`,
    '',
    job.status === 'failed' ? 'No message of this job was sent.' : `${((job.failed / Math.max(1, job.total - job.excluded)) * 100).toFixed(1)} % of the messages tried failed.`,
    site ? `Open the job: ${site}/admin/collections/email-jobs/${job.id}` : `Job id: ${job.id}`,
  ].join('\n')
  const transport = to ? createEnvEmailTransport(env) : null
  if (!to || !transport) {
    payload.logger.warn({ jobID: job.id, to: to ?? null }, `${subject} (no ALERTS_EMAIL_TO or SMTP_HOST, so no alert email): ${summary}`)
    return false
  }
  try {
    await transport.send({
      from: { address: env.SMTP_FROM_ADDRESS || 'outpost@localhost', name: env.SMTP_FROM_NAME || 'Outpost' },
      to,
      subject,
      text,
      html: `<pre>${Handlebars.escapeExpression(text)}</pre>`,
    })
  } finally {
    await transport.close()
  }
  return true
}
