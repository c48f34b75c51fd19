import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import path from 'node:path'

/**
 * Where uploaded import files are kept: `<OUTPOST_DATA_DIR or .data>/imports`, one file per import,
 * named by a random key (never by the user's file name). Workers on other machines need the same
 * directory (a shared volume), like media.
 */
export const importsDir = (): string => path.resolve(process.env.OUTPOST_DATA_DIR || '.data', 'imports')

const KEY = /^[0-9a-f-]{36}\.csv$/

export const newImportKey = (): string => `${randomUUID()}.csv`

/** The file of a storage key; a key we did not make names nothing. */
export const importFilePath = (key: string | null | undefined): string => {
  if (!key || !KEY.test(key)) throw new Error(`Not an import file key: ${String(key).slice(0, 60)}`)
  mkdirSync(importsDir(), { recursive: true })
  return path.join(importsDir(), key)
}

/** Removes an import's file (a deleted import leaves none behind); a missing one is fine. */
export const removeImportFile = async (key: string | null | undefined): Promise<void> => {
  if (!key || !KEY.test(key)) return
  await rm(path.join(importsDir(), key), { force: true })
}
