import type { Payload, PayloadRequest } from 'payload'

import { dbPool } from '@/db/pool'
import type { Import } from '@/payload-types'

import { recordAudit } from '../audit/record-audit'
import { AppError } from '../errors/app-error'
import { ensureImportTrigger } from './ensure-import-trigger'
import { requireImport } from './require-import'

export const IMPORT_ACTIONS = ['stop', 'resume'] as const
export type ImportAction = (typeof IMPORT_ACTIONS)[number]

/**
 * Stops an import (a waiting one at once; a running one after the batch it is writing: every row
 * before it stays) or resumes a stopped or failed one from the first row not yet committed. As the
 * user (contacts.edit in its org); audited. Anything else is a 409 saying why.
 */
export const changeImportState = async ({ payload, req, id, action }: { payload: Payload; req: PayloadRequest; id: number; action: ImportAction }): Promise<Import> => {
  const { doc, org, user } = await requireImport({ payload, user: req.user, id, action: 'contacts.edit' })
  const pool = dbPool(payload)
  if (action === 'stop') {
    const { rows } = await pool.query<{ status: string }>(
      `UPDATE imports SET status = CASE WHEN status = 'queued' THEN 'stopped' ELSE 'stopping' END::enum_imports_status, updated_at = now()
        WHERE id = $1 AND status IN ('queued', 'running') RETURNING status`,
      [id],
    )
    if (!rows.length) throw new AppError('CONFLICT', `This import is ${doc.status.replace(/_/g, ' ')}: there is nothing to stop.`)
  } else {
    try {
      const { rowCount } = await pool.query(
        `UPDATE imports SET status = 'queued', finished_at = NULL, message = NULL, progress_attempts = 0, lease_until = NULL, updated_at = now()
          WHERE id = $1 AND status IN ('stopped', 'failed')`,
        [id],
      )
      if (!rowCount) throw new AppError('CONFLICT', `This import is ${doc.status.replace(/_/g, ' ')}: only a stopped or failed import can be resumed.`)
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new AppError('CONFLICT', 'Another import is running in this organisation: one runs at a time. Resume this one when it ends.')
      throw error
    }
    await ensureImportTrigger({ payload, importID: id })
  }
  await recordAudit(req, { action: action === 'stop' ? 'import.stop' : 'import.resume', org, target: { collection: 'imports', id }, summary: `${action === 'stop' ? 'Stopped' : 'Resumed'} the import of ${doc.fileName}` })
  return payload.findByID({ collection: 'imports', id, depth: 0, user, overrideAccess: false })
}
