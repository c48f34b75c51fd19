import { createReadStream, type ReadStream } from 'node:fs'

import type { Payload, PayloadRequest } from 'payload'

import { dbPool } from '@/db/pool'

import { AppError, nullIfNotFound } from '../errors/app-error'
import { exportFiles } from './export-files'

type User = NonNullable<PayloadRequest['user']>

/**
 * A finished export's file, for a member of its org (read through Payload's access control: anyone
 * else gets a 404), while it has not expired (410 after). Not ready yet: a 409 saying so.
 */
export const openExportDownload = async ({ payload, user, id }: { payload: Payload; user: User | null | undefined; id: number }): Promise<{ fileName: string; stream: ReadStream }> => {
  if (!user) throw new AppError('UNAUTHORIZED', 'Log in to download an export.')
  const doc = await payload.findByID({ collection: 'exports', id, depth: 0, user, overrideAccess: false }).catch(nullIfNotFound)
  if (!doc) throw new AppError('NOT_FOUND', 'No such export, or you cannot see it.')
  if (doc.status === 'expired' || (doc.expiresAt && new Date(doc.expiresAt).getTime() < Date.now())) {
    throw new AppError('GONE', 'This export has expired (files are kept for a day): export again.')
  }
  if (doc.status !== 'completed') throw new AppError('CONFLICT', doc.status === 'failed' ? (doc.message ?? 'This export failed: export again.') : 'This export is not ready yet.')
  const { rows } = await dbPool(payload).query<{ storage_key: string }>('SELECT storage_key FROM exports WHERE id = $1', [id])
  return { fileName: doc.fileName ?? 'export.csv', stream: createReadStream(exportFiles.pathOf(rows[0]?.storage_key)) }
}
