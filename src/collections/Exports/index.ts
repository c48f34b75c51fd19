import type { CollectionAfterChangeHook, CollectionBeforeChangeHook, CollectionConfig, FieldAccess } from 'payload'

import { orgCreate, orgScoped, relationID } from '@/access/orgAccess'
import { enforceOrgPermission } from '@/hooks/enforceOrgPermission'
import { recordAudit } from '@/services/audit/record-audit'
import { AppError } from '@/services/errors/app-error'
import { EXPORT_KIND_LABELS, EXPORT_KINDS, EXPORT_STATUS_LABELS, EXPORT_STATUSES } from '@/services/exports/export-definitions'
import { exportFiles } from '@/services/exports/export-files'
import { ensureExportTrigger } from '@/services/exports/ensure-export-trigger'
import { exportFileName, resolveExportSource } from '@/services/exports/resolve-export-source'

import { exportEndpoints } from './endpoints'

const systemOnly: FieldAccess = () => false
const system = { create: systemOnly, update: systemOnly }

/** The source must be one the user may read: a segment or job of the export's org (else a 4xx), checked as the user. */
const checkSource: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  if (operation !== 'create') return data
  const org = Number(relationID(data.org))
  const kind = data.source?.kind ?? 'contacts'
  const segment = relationID(data.source?.segment)
  const job = relationID(data.source?.job)
  if (kind !== 'segment' && segment !== undefined) throw new AppError('INVALID_INPUT', 'A segment goes with `source.kind` "segment" only.')
  if (kind !== 'job' && job !== undefined) throw new AppError('INVALID_INPUT', 'A job goes with `source.kind` "job" only.')
  if (!req.user) return data
  const { name } = await resolveExportSource({
    payload: req.payload,
    user: req.user,
    request: { org, kind, segment: segment === undefined ? null : Number(segment), job: job === undefined ? null : Number(job) },
  })
  return { ...data, fileName: exportFileName(name), requestedBy: req.user.id }
}

/** A new export is audited and handed to a worker. */
const queueExport: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
  if (operation !== 'create') return doc
  await recordAudit(req, {
    action: 'export.create',
    org: relationID(doc.org),
    target: { collection: 'exports', id: doc.id },
    summary: `Exporting ${EXPORT_KIND_LABELS[doc.source?.kind as keyof typeof EXPORT_KIND_LABELS]?.toLowerCase() ?? 'contacts'} (${doc.fileName})`,
  })
  await ensureExportTrigger({ payload: req.payload, exportID: doc.id })
  return doc
}

/**
 * A CSV export made in the background (for any size): all contacts, a segment's, or a job's
 * recipients with their status. Its file is downloaded through GET /api/exports/:id/download by members
 * of its org until it expires (EXPORT_TTL_HOURS), then removed.
 */
export const Exports: CollectionConfig = {
  slug: 'exports',
  labels: { singular: 'Export', plural: 'Exports' },
  admin: {
    useAsTitle: 'fileName',
    defaultColumns: ['fileName', 'status', 'rows', 'expiresAt', 'createdAt'],
    group: 'Outreach',
    description: 'Contacts, a segment or a job’s recipients as a CSV file, ready to download for a day.',
  },
  access: {
    read: orgScoped('contacts.read'),
    create: orgCreate('contacts.read'),
    update: () => false,
    delete: orgScoped('contacts.read'),
  },
  hooks: {
    beforeChange: [enforceOrgPermission('contacts.read'), checkSource],
    afterChange: [queueExport],
    // The stored file's key, which no user may read, is read before the delete (access already checked).
    beforeDelete: [
      async ({ id, req }) => {
        const doc = await req.payload.findByID({ collection: 'exports', id, depth: 0, req, overrideAccess: true, disableErrors: true })
        req.context[`exportFile:${id}`] = doc?.storageKey
      },
    ],
    afterDelete: [({ id, req }) => exportFiles.remove(req.context[`exportFile:${id}`] as string | null | undefined)],
  },
  endpoints: exportEndpoints,
  fields: [
    { name: 'panel', type: 'ui', admin: { components: { Field: '@/components/exports/ExportPanel#ExportPanel' } } },
    {
      name: 'source',
      type: 'group',
      admin: { hidden: true },
      fields: [
        { name: 'kind', type: 'select', required: true, defaultValue: 'contacts', options: EXPORT_KINDS.map((value) => ({ value, label: EXPORT_KIND_LABELS[value] })) },
        { name: 'segment', type: 'relationship', relationTo: 'segments' },
        { name: 'job', type: 'relationship', relationTo: 'email-jobs' },
      ],
    },
    { name: 'fileName', type: 'text', access: { update: systemOnly }, admin: { readOnly: true, hidden: true } },
    {
      name: 'status',
      type: 'select',
      required: true,
      defaultValue: 'queued',
      options: EXPORT_STATUSES.map((value) => ({ value, label: EXPORT_STATUS_LABELS[value] })),
      access: system,
      admin: { readOnly: true, hidden: true },
    },
    { name: 'rows', type: 'number', access: system, admin: { readOnly: true, hidden: true } },
    { name: 'fileSize', type: 'number', access: system, admin: { readOnly: true, hidden: true } },
    { name: 'message', type: 'text', access: system, admin: { readOnly: true, hidden: true } },
    { name: 'requestedBy', type: 'relationship', relationTo: 'users', access: { update: systemOnly }, admin: { readOnly: true, hidden: true } },
    { name: 'finishedAt', type: 'date', access: system, admin: { readOnly: true, hidden: true } },
    { name: 'expiresAt', type: 'date', access: system, admin: { readOnly: true, hidden: true } },
    { name: 'storageKey', type: 'text', access: { read: () => false, ...system }, admin: { hidden: true } },
    { name: 'leaseUntil', type: 'date', access: { read: () => false, ...system }, admin: { hidden: true } },
    { name: 'leaseToken', type: 'text', access: { read: () => false, ...system }, admin: { hidden: true } },
  ],
}
