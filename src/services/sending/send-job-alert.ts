import Handlebars from 'handlebars'
import type { Payload } from 'payload'

import { createEnvEmailTransport } from '@/integrations/email'

import type { FinishedJob } from './finalize-email-job'

type Env = Record<string, string | undefined>

/**
 * Tells the operators (`ALERTS_EMAIL_TO`, comma-separated) something about a job, through the
 * Outpost-level SMTP server (`SMTP_*`). Without either, the alert goes to the log.
 */
export const sendOperatorAlert = async ({
  payload,
  jobID,
  subject,
  lines,
  env = process.env,
}: {
  payload: Payload
  jobID: number
  subject: string
  lines: string[]
  env?: Env
}): Promise<boolean> => {
  const to = env.ALERTS_EMAIL_TO?.trim()
  const site = env.SITE_URL?.replace(/\/+$/, '')
  const text = [...lines, site ? `Open the job: ${site}/admin/collections/email-jobs/${jobID}` : `Job id: ${jobID}`].join('\n')
  const transport = to ? createEnvEmailTransport(env) : null
  if (!to || !transport) {
    payload.logger.warn({ jobID, to: to ?? null }, `${subject} (no ALERTS_EMAIL_TO or SMTP_HOST, so no alert email): ${lines[0]}`)
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

/** Tells the operators that a job failed or had too many failures. */
export const sendJobAlert = ({ payload, job, summary, env = process.env }: { payload: Payload; job: FinishedJob; summary: string; env?: Env }): Promise<boolean> =>
  sendOperatorAlert({
    payload,
    jobID: job.id,
    env,
    subject: `[Outpost] Email job ${job.status === 'failed' ? 'failed' : 'finished with failures'}: ${job.name}`,
    lines: [
      `${summary}.`,
      '',
      job.status === 'failed' ? 'No message of this job was sent.' : `${((job.failed / Math.max(1, job.total - job.excluded)) * 100).toFixed(1)} % of the messages tried failed.`,
    ],
  })
