import path from 'node:path'

import type { CollectionConfig } from 'payload'

import { orgCreate, orgScoped } from '@/access/orgAccess'
import { enforceOrgPermission } from '@/hooks/enforceOrgPermission'

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
  hooks: { beforeChange: [enforceOrgPermission('media.upload')] },
  upload: {
    staticDir: path.resolve(process.env.OUTPOST_DATA_DIR || '.data', 'media'),
    mimeTypes: MEDIA_MIME_TYPES,
    filesRequiredOnCreate: true,
    disableLocalStorage: false,
  },
  fields: [{ name: 'alt', type: 'text', maxLength: 200, label: 'Description' }],
}
