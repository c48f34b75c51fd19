import { randomBytes } from 'node:crypto'
import path from 'node:path'

import type { CollectionBeforeOperationHook, CollectionConfig } from 'payload'

import { orgCreate, orgScoped } from '@/access/orgAccess'
import { enforceOrgPermission } from '@/hooks/enforceOrgPermission'
import { originalFilename } from '@/services/media/original-filename'

export const MEDIA_MIME_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'text/calendar',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/zip',
]

/** Shown in the browser when opened; every other type is always downloaded, never rendered by the admin's origin. */
export const INLINE_MIME_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])

/**
 * Every stored file gets a random tag before its name. Files of all organisations share one directory,
 * and Payload renames an upload whose name is taken ("report-1.pdf"): without the tag, that rename
 * would tell one organisation which file names another has uploaded.
 */
const tagUploadedName: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if ((operation === 'create' || operation === 'update') && req.file?.name) {
    req.file.name = `${randomBytes(8).toString('hex')}-${originalFilename(req.file.name)}`
  }
  return args
}

/** Attachments. Private: files are served only by Payload, after the same read access as the row. */
export const Media: CollectionConfig = {
  slug: 'media',
  labels: { singular: 'Attachment', plural: 'Attachments' },
  admin: { group: 'Outreach', useAsTitle: 'filename' },
  access: {
    read: orgScoped('org.read'),
    create: orgCreate('media.upload'),
    update: orgScoped('media.upload'),
    delete: orgScoped('media.upload'),
  },
  hooks: { beforeOperation: [tagUploadedName], beforeChange: [enforceOrgPermission('media.upload')] },
  upload: {
    staticDir: path.resolve(process.env.OUTPOST_DATA_DIR || '.data', 'media'),
    mimeTypes: MEDIA_MIME_TYPES,
    filesRequiredOnCreate: true,
    disableLocalStorage: false,
    // No server-side fetching of URLs on a user's behalf: files come from the user's computer.
    pasteURL: false,
    modifyResponseHeaders: ({ headers }) => {
      const type = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
      headers.set('X-Content-Type-Options', 'nosniff')
      // An uploaded HTML or SVG file must never run as a page of the admin's origin.
      headers.set('Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
      if (!INLINE_MIME_TYPES.has(type)) headers.set('Content-Disposition', 'attachment')
      return headers
    },
  },
  fields: [{ name: 'alt', type: 'text', maxLength: 200, label: 'Description' }],
}
