import { createWriteStream } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'

import type { Payload, PayloadRequest } from 'payload'

import { hasOrgPermission } from '@/access/orgAccess'
import { dbPool } from '@/db/pool'
import type { Import } from '@/payload-types'

import { envNumber } from '../config/server-env'
import { requireContactsReader } from '../contacts/require-contacts-reader'
import { AppError } from '../errors/app-error'
import { BINARY, isBinarySample } from './detect-encoding'
import { importFilePath, newImportKey } from './import-files'

type User = NonNullable<PayloadRequest['user']>

/** The largest file an import takes (IMPORT_MAX_MB, default 1,024 MB). */
export const maxImportBytes = (): number => envNumber('IMPORT_MAX_MB', 1024, { min: 1 }) * 1024 * 1024

const TEXT_FILE = /\.(csv|tsv|txt)$/i

/** A file name as shown: its last path part, without control characters, at most 255 characters. */
export const cleanFileName = (raw: string | null | undefined): string =>
  (raw ?? '')
    .split(/[\\/]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 255)

class TooLarge extends Error {}

/**
 * Stores an uploaded CSV file (the request body, streamed to disk: memory stays flat whatever its
 * size) and creates its import in `org`, as the user, who must hold `contacts.edit` there. Refused:
 * no file name or not .csv/.tsv/.txt (415), larger than maxImportBytes (413), empty or binary (400).
 * Nothing is left behind when it is refused.
 */
export const storeImportUpload = async ({
  payload,
  user,
  org,
  fileName: rawName,
  body,
  declaredBytes,
}: {
  payload: Payload
  user: User | null | undefined
  org: number
  fileName: string | null
  body: WebReadableStream<Uint8Array> | ReadableStream<Uint8Array> | null
  declaredBytes: number | null
}): Promise<Import> => {
  const reader = await requireContactsReader({ payload, user, org, action: 'import contacts' })
  if (!hasOrgPermission(reader, org, 'contacts.edit')) throw new AppError('FORBIDDEN', 'Your role in this organisation cannot import contacts.')
  const fileName = cleanFileName(rawName)
  if (!fileName) throw new AppError('INVALID_INPUT', 'Say the file name: `?name=contacts.csv`.')
  if (!TEXT_FILE.test(fileName)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `"${fileName}" is not a CSV file: upload a .csv, .tsv or .txt file (in Excel: Save As → CSV UTF-8).`)
  const max = maxImportBytes()
  const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${Math.round(max / 1024 / 1024)} MB, the most an import takes.`)
  if (declaredBytes !== null && declaredBytes > max) throw tooLarge()
  if (!body) throw new AppError('INVALID_INPUT', 'The file is empty.')

  const key = newImportKey()
  const file = importFilePath(key)
  const partial = `${file}.part`
  let size = 0
  try {
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length
        done(size > max ? new TooLarge() : null, chunk)
      },
    })
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), count, createWriteStream(partial))
    if (size === 0) throw new AppError('INVALID_INPUT', 'The file is empty.')
    const handle = await open(partial, 'r')
    try {
      const sample = Buffer.alloc(Math.min(size, 64 * 1024))
      await handle.read(sample, 0, sample.length, 0)
      if (isBinarySample(sample)) throw new AppError('INVALID_INPUT', BINARY)
    } finally {
      await handle.close()
    }
    await rename(partial, file)
    const doc = await payload.create({ collection: 'imports', data: { org, fileName, status: 'uploaded' }, user: reader, overrideAccess: false, context: { importUpload: true } })
    await dbPool(payload).query('UPDATE imports SET storage_key = $2, file_size = $3 WHERE id = $1', [doc.id, key, size])
    return { ...doc, fileSize: size }
  } catch (error) {
    await rm(partial, { force: true })
    await rm(file, { force: true })
    if (error instanceof TooLarge) throw tooLarge()
    throw error
  }
}
