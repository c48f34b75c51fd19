import { extname } from 'node:path'

import type { Payload } from 'payload'

import { MEDIA_MIME_TYPES } from '@/collections/Media'

/** Larger files are not kept (the whole email may be 30 MB; an attachment of more is unusual). */
const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024

type Attachment = { filename: string; contentType: string; size: number; content: Buffer }

/**
 * Keeps an inbound message's files as attachments of its org (the Media collection: private, read
 * through the org's access) and links them to the message. A file of a type attachments may not hold,
 * or too large, is left out and named in the message's note, so nobody wonders where it went.
 */
export const storeInboundAttachments = async ({ payload, org, message, attachments }: { payload: Payload; org: number; message: number; attachments: Attachment[] }) => {
  const kept: number[] = []
  const skipped: string[] = []
  for (const file of attachments.slice(0, 20)) {
    const name = (file.filename || 'attachment').replace(/[\u0000-\u001f/\\]/g, '_').slice(0, 150) || 'attachment'
    const type = file.contentType.split(';')[0]!.trim().toLowerCase()
    if (!(MEDIA_MIME_TYPES as readonly string[]).includes(type)) {
      skipped.push(`${name} (${type || 'unknown type'} is not a type attachments may hold)`)
      continue
    }
    if (file.content.length > MAX_ATTACHMENT_BYTES) {
      skipped.push(`${name} (larger than 25 MB)`)
      continue
    }
    try {
      const media = await payload.create({
        collection: 'media',
        data: { org, alt: `Attachment of inbound message ${message}` },
        file: { data: file.content, mimetype: type, name: extname(name) ? name : `${name}.bin`, size: file.content.length },
        overrideAccess: true,
        depth: 0,
      })
      kept.push(media.id)
    } catch (error) {
      skipped.push(`${name} (${(error as Error).message.slice(0, 120)})`)
    }
  }
  if (attachments.length > 20) skipped.push(`${attachments.length - 20} more files (at most 20 are kept)`)
  if (!kept.length && !skipped.length) return { kept, skipped }
  await payload.update({
    collection: 'messages',
    id: message,
    data: { attachments: kept, attachmentNote: skipped.length ? `Not kept: ${skipped.join('; ')}`.slice(0, 1000) : null },
    overrideAccess: true,
    depth: 0,
  })
  return { kept, skipped }
}
