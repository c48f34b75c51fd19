import { readFile } from 'node:fs/promises'
import path from 'node:path'

import type { Payload } from 'payload'

import { relationID } from '@/access/orgAccess'
import type { OutgoingEmail } from '@/integrations/email'
import type { EmailJob, Media, Organization } from '@/payload-types'

import { originalFilename } from '../media/original-filename'
import type { TemplateContent } from '../templates/render-template'
import type { SendingSettings } from './resolve-sending-settings'

/** A job whose attachment is not its organisation's: nothing of it is sent. */
export class AttachmentOrgError extends Error {}

/** What a queued job sends with, fixed at queue time: the settings and the approved template's content. */
export type JobSnapshot = SendingSettings & { template?: TemplateContent & { id: number; name: string } }

export type SendContext = {
  jobID: number
  org: Pick<Organization, 'id' | 'name' | 'postalAddress'> & { sending?: Organization['sending'] }
  settings: SendingSettings
  template: TemplateContent
  attachments: NonNullable<OutgoingEmail['attachments']>
}

/**
 * Everything a worker needs to send a job's messages, read once per run: the queue-time snapshot
 * (settings and template content, so later template edits never change a queued job), the org's
 * identity and stored credentials, and the attachment files.
 */
export const loadSendContext = async (payload: Payload, jobID: number): Promise<SendContext> => {
  const job: EmailJob = await payload.findByID({ collection: 'email-jobs', id: jobID, depth: 0 })
  const snapshot = job.settingsSnapshot as JobSnapshot | null
  if (!snapshot) throw new Error(`Email job ${jobID} has no settings snapshot; it was never queued.`)
  const org = await payload.findByID({ collection: 'organizations', id: relationID(job.org)!, depth: 0, showHiddenFields: true })
  let template: TemplateContent | undefined = snapshot.template
  if (!template) {
    // Jobs queued before content was snapshotted: the template as it is now.
    const current = await payload.findByID({ collection: 'email-templates', id: relationID(job.template)!, depth: 0 })
    template = { subject: current.subject ?? '', html: current.html ?? '', text: current.text, footer: current.footer }
  }
  const mediaIDs = (job.attachments ?? []).map((m) => relationID(m as Media | number)!).filter((id) => id !== undefined)
  const attachments = await Promise.all(
    mediaIDs.map(async (id) => {
      const media = await payload.findByID({ collection: 'media', id, depth: 0 })
      // A job only ever carries its own organisation's files, whatever reached the row.
      if (relationID(media.org) !== relationID(job.org)) {
        throw new AttachmentOrgError(`Attachment ${id} belongs to another organisation; this job cannot send it.`)
      }
      const staticDir = payload.collections.media.config.upload.staticDir as string
      return {
        filename: originalFilename(media.filename!),
        content: await readFile(path.join(staticDir, media.filename!)),
        contentType: media.mimeType ?? undefined,
      }
    }),
  )
  return {
    jobID,
    org: { id: org.id, name: org.name, postalAddress: org.postalAddress, sending: org.sending },
    settings: snapshot,
    template: { subject: template.subject, html: template.html, text: template.text, footer: template.footer },
    attachments,
  }
}
