import { isSupportedCountry } from 'libphonenumber-js'
import type { Payload, PayloadRequest } from 'payload'
import { z } from 'zod'

import { hasOrgPermission } from '@/access/orgAccess'
import { dbPool } from '@/db/pool'
import type { Import } from '@/payload-types'

import { recordAudit } from '../audit/record-audit'
import { AppError } from '../errors/app-error'
import { ensureImportTrigger } from './ensure-import-trigger'
import { IMPORT_DELIMITERS, IMPORT_ENCODINGS, IMPORT_FIELD_LABELS, IMPORT_FIELDS, IMPORT_MODES, type ImportField, type ImportMode } from './import-definitions'
import { importFilePath } from './import-files'
import { readImportPreview } from './read-import-preview'
import { requireImport } from './require-import'

const settingsSchema = z
  .object({
    mode: z.enum(IMPORT_MODES, 'Choose what the import does: create, upsert_email, upsert_phone or suppress.'),
    mapping: z.array(z.enum(IMPORT_FIELDS).nullable()).max(500, 'At most 500 columns.'),
    delimiter: z.enum(Object.keys(IMPORT_DELIMITERS) as [keyof typeof IMPORT_DELIMITERS]).default('auto'),
    encoding: z.enum(IMPORT_ENCODINGS).default('auto'),
    hasHeader: z.boolean().default(true),
    defaultCountry: z
      .string()
      .trim()
      .toUpperCase()
      .refine((code) => code === '' || isSupportedCountry(code), 'Choose a country by its two-letter code, e.g. GB or US.')
      .optional(),
    tags: z.array(z.string().trim().min(1, 'A tag cannot be blank.').max(100, 'A tag is at most 100 characters.')).max(20, 'At most 20 tags.').default([]),
  })
  .strict()
export type ImportSettings = z.input<typeof settingsSchema>

/** Which mapped fields a mode needs. */
const needs = (mode: ImportMode, mapped: Set<ImportField>): string | null => {
  if ((mode === 'create' || mode === 'upsert_email') && !mapped.has('email')) return 'Map a column to Email: every contact needs an address.'
  if (mode === 'upsert_phone' && !mapped.has('phone')) return 'Map a column to Phone: this import matches contacts on their phone.'
  if (mode === 'suppress' && !mapped.has('email') && !mapped.has('phone')) return 'Map a column to Email or Phone: those are what gets suppressed.'
  return null
}

/**
 * Starts an uploaded import with its settings, as the user (contacts.edit in its org; the suppression
 * mode needs suppressions.manage too): checks the mapping against the file's columns, records the
 * settings, and queues it. One import per org runs at a time (a unique index): a second is a 409.
 */
export const startContactImport = async ({ payload, req, id, settings: raw }: { payload: Payload; req: PayloadRequest; id: number; settings: unknown }): Promise<Import> => {
  const { doc, org, storageKey, user } = await requireImport({ payload, user: req.user, id, action: 'contacts.edit' })
  const parsed = settingsSchema.safeParse(raw)
  if (!parsed.success) throw new AppError('INVALID_INPUT', parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`).join(' '))
  const settings = parsed.data
  if (settings.mode === 'suppress' && !hasOrgPermission(user, org, 'suppressions.manage')) throw new AppError('FORBIDDEN', 'Your role cannot manage suppressions in this organisation.')
  if (doc.status !== 'uploaded') throw new AppError('CONFLICT', `This import has already been started (${doc.status.replace(/_/g, ' ')}): stop or resume it instead.`)
  importFilePath(storageKey)
  const preview = await readImportPreview({ payload, user, id, encoding: settings.encoding, delimiter: settings.delimiter, hasHeader: settings.hasHeader })
  if (settings.mapping.length !== preview.headers.length) throw new AppError('INVALID_INPUT', `The mapping has ${settings.mapping.length} columns; the file has ${preview.headers.length}.`)
  const mapped = settings.mapping.filter((field): field is ImportField => field !== null)
  const twice = mapped.find((field, i) => mapped.indexOf(field) !== i)
  if (twice) throw new AppError('INVALID_INPUT', `Two columns are mapped to ${IMPORT_FIELD_LABELS[twice]}: map each field once.`)
  const missing = needs(settings.mode, new Set(mapped))
  if (missing) throw new AppError('INVALID_INPUT', missing)

  const client = await dbPool(payload).connect()
  try {
    await client.query('BEGIN')
    const { rowCount } = await client.query(
      `UPDATE imports SET status = 'queued', mode = $2, options_delimiter = $3, options_encoding = $4, options_has_header = $5, options_default_country = $6,
                          headers = $7, mapping = $8, detected_encoding = $9, detected_delimiter = $10, started_by_id = $11, started_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'uploaded'`,
      [
        id,
        settings.mode,
        settings.delimiter,
        settings.encoding,
        settings.hasHeader,
        settings.defaultCountry || null,
        JSON.stringify(preview.headers),
        JSON.stringify(settings.mapping),
        preview.format.encoding,
        preview.format.delimiter,
        user.id,
      ],
    )
    if (!rowCount) throw new AppError('CONFLICT', 'This import was started by someone else a moment ago.')
    await client.query(`DELETE FROM imports_texts WHERE parent_id = $1 AND path = 'options.tags'`, [id])
    if (settings.tags.length) {
      await client.query(
        `INSERT INTO imports_texts ("order", parent_id, path, text) SELECT ord, $1, 'options.tags', tag FROM unnest($2::text[]) WITH ORDINALITY AS t(tag, ord)`,
        [id, [...new Set(settings.tags)]],
      )
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    if ((error as { code?: string; constraint?: string }).code === '23505') {
      const { rows } = await dbPool(payload).query<{ file_name: string }>(`SELECT file_name FROM imports WHERE org_id = $1 AND status IN ('queued', 'running', 'stopping') LIMIT 1`, [org])
      throw new AppError('CONFLICT', `Another import is running in this organisation${rows[0] ? ` (${rows[0].file_name})` : ''}: one runs at a time. Wait for it, or stop it.`)
    }
    throw error
  } finally {
    client.release()
  }
  await recordAudit(req, { action: 'import.start', org, target: { collection: 'imports', id }, summary: `Started importing ${doc.fileName} (${settings.mode.replace('_', ' ')})` })
  await ensureImportTrigger({ payload, importID: id })
  return payload.findByID({ collection: 'imports', id, depth: 0, user, overrideAccess: false })
}
