import type { CollectionBeforeDeleteHook, CollectionBeforeOperationHook, CollectionConfig, FieldAccess } from 'payload'

import { orgCreate, orgScoped } from '@/access/orgAccess'
import { AppError } from '@/services/errors/app-error'
import { ACTIVE_IMPORT_STATUSES, DELIMITER_LABELS, ENCODING_LABELS, IMPORT_DELIMITERS, IMPORT_ENCODINGS, IMPORT_MODE_LABELS, IMPORT_MODES, IMPORT_STATUS_LABELS, IMPORT_STATUSES } from '@/services/imports/import-definitions'
import { removeImportFile } from '@/services/imports/import-files'

import { importEndpoints } from './endpoints'

const systemOnly: FieldAccess = () => false
const system = { create: systemOnly, update: systemOnly }
const counter = (name: string, label: string) => ({ name, label, type: 'number' as const, defaultValue: 0, access: system, admin: { readOnly: true } })

/** Imports are made by uploading a file (POST /api/imports/upload), never as an empty document. */
const onlyThroughUpload: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (operation === 'create' && req.context?.importUpload !== true) {
    throw new AppError('INVALID_INPUT', 'Upload the CSV file to POST /api/imports/upload?org=<id>&name=<file name> (the admin does this for you).')
  }
  return args
}

/**
 * A running import is stopped first: its worker holds the file. (Access to the delete is already
 * checked; this reads the stored file's key, which no user may read, for afterDelete.)
 */
const keepRunningImports: CollectionBeforeDeleteHook = async ({ id, req }) => {
  const doc = await req.payload.findByID({ collection: 'imports', id, depth: 0, req, overrideAccess: true, disableErrors: true })
  if (doc && ACTIVE_IMPORT_STATUSES.includes(doc.status)) throw new AppError('CONFLICT', 'This import is running: stop it before deleting it.')
  req.context[`importFile:${id}`] = doc?.storageKey
}

/**
 * A CSV import of contacts (or of suppressions) into one org: the uploaded file, how its columns map
 * to contact fields, the mode, and its progress, written batch by batch by the import task
 * (runContactImport). Started, stopped and resumed through its endpoints; its rows' problems are kept
 * for download as CSV. One import per org runs at a time.
 */
export const Imports: CollectionConfig = {
  slug: 'imports',
  labels: { singular: 'Import', plural: 'Imports' },
  admin: {
    useAsTitle: 'fileName',
    defaultColumns: ['fileName', 'status', 'mode', 'rowsRead', 'created', 'updated', 'failed', 'createdAt'],
    group: 'Outreach',
    description: 'Bring contacts in from a CSV file, or add a list of addresses to the suppression list.',
    components: { edit: { SaveButton: '@/components/imports/NoSaveButton#NoSaveButton' } },
  },
  access: {
    read: orgScoped('contacts.read'),
    create: orgCreate('contacts.edit'),
    // Nothing of an import is edited as a document: its endpoints start, stop and resume it.
    update: () => false,
    delete: orgScoped('contacts.edit'),
  },
  hooks: {
    beforeOperation: [onlyThroughUpload],
    beforeDelete: [keepRunningImports],
    // The doc here is as the user reads it, without the key: the one beforeDelete read is used.
    afterDelete: [({ id, req }) => removeImportFile(req.context[`importFile:${id}`] as string | null | undefined)],
  },
  endpoints: importEndpoints,
  fields: [
    { name: 'panel', type: 'ui', admin: { components: { Field: '@/components/imports/ImportPanel#ImportPanel' } } },
    { name: 'fileName', type: 'text', required: true, maxLength: 255, admin: { readOnly: true, hidden: true } },
    { name: 'fileSize', type: 'number', access: system, admin: { readOnly: true, hidden: true } },
    // Where the file is kept, relative to the imports directory: never shown or sent.
    { name: 'storageKey', type: 'text', access: { read: () => false, ...system }, admin: { hidden: true } },
    {
      name: 'status',
      type: 'select',
      required: true,
      defaultValue: 'uploaded',
      options: IMPORT_STATUSES.map((value) => ({ value, label: IMPORT_STATUS_LABELS[value] })),
      access: system,
      // The panel shows it, live; the form's copy would be stale while the import runs.
      admin: { readOnly: true, hidden: true },
    },
    { name: 'mode', type: 'select', options: IMPORT_MODES.map((value) => ({ value, label: IMPORT_MODE_LABELS[value] })), access: system, admin: { readOnly: true, hidden: true } },
    {
      name: 'options',
      type: 'group',
      access: system,
      admin: { hidden: true },
      fields: [
        { name: 'delimiter', type: 'select', defaultValue: 'auto', options: Object.keys(IMPORT_DELIMITERS).map((value) => ({ value, label: DELIMITER_LABELS[value as keyof typeof DELIMITER_LABELS] })) },
        { name: 'encoding', type: 'select', defaultValue: 'auto', options: IMPORT_ENCODINGS.map((value) => ({ value, label: ENCODING_LABELS[value] })) },
        { name: 'hasHeader', type: 'checkbox', defaultValue: true },
        { name: 'defaultCountry', type: 'text', maxLength: 2 },
        { name: 'tags', type: 'text', hasMany: true, maxRows: 20, maxLength: 100 },
      ],
    },
    { name: 'headers', type: 'json', access: system, admin: { hidden: true } },
    { name: 'mapping', type: 'json', access: system, admin: { hidden: true } },
    {
      name: 'detected',
      type: 'group',
      access: system,
      admin: { hidden: true },
      fields: [
        { name: 'encoding', type: 'text' },
        { name: 'delimiter', type: 'text' },
      ],
    },
    {
      name: 'progress',
      type: 'group',
      admin: { hidden: true },
      fields: [
        counter('rowsRead', 'Rows read'),
        counter('created', 'Created'),
        counter('updated', 'Updated'),
        counter('skipped', 'Skipped'),
        counter('failed', 'Failed'),
        counter('bytesRead', 'Bytes read'),
        // Data rows whose outcome is committed: a resumed import starts after them.
        counter('checkpoint', 'Rows committed'),
        counter('problemsKept', 'Problem rows kept'),
        counter('attempts', 'Failed runs'),
      ],
    },
    { name: 'message', type: 'text', access: system, admin: { readOnly: true, hidden: true } },
    { name: 'startedBy', type: 'relationship', relationTo: 'users', access: system, admin: { readOnly: true, hidden: true } },
    { name: 'startedAt', type: 'date', access: system, admin: { readOnly: true, hidden: true } },
    { name: 'finishedAt', type: 'date', access: system, admin: { readOnly: true, hidden: true } },
    { name: 'leaseUntil', type: 'date', access: { read: () => false, ...system }, admin: { hidden: true } },
    { name: 'leaseToken', type: 'text', access: { read: () => false, ...system }, admin: { hidden: true } },
  ],
}
