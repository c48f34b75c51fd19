import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import path from 'node:path'

const KEY = /^[0-9a-f-]{36}\.csv$/

/**
 * Files we keep for an area (`imports`, `exports`) under `<OUTPOST_DATA_DIR or .data>/<area>`, each
 * named by a random key, never by a user's file name. Workers on other machines need the same
 * directory (a shared volume), like media.
 */
export const storedFiles = (area: 'imports' | 'exports') => {
  const dir = () => path.resolve(process.env.OUTPOST_DATA_DIR || '.data', area)
  return {
    dir,
    newKey: (): string => `${randomUUID()}.csv`,
    /** The file of a key; a key we did not make names nothing. */
    pathOf: (key: string | null | undefined): string => {
      if (!key || !KEY.test(key)) throw new Error(`Not a stored file key: ${String(key).slice(0, 60)}`)
      mkdirSync(dir(), { recursive: true })
      return path.join(dir(), key)
    },
    /** Removes a file (a deleted import or an expired export leaves none behind); a missing one is fine. */
    remove: async (key: string | null | undefined): Promise<void> => {
      if (key && KEY.test(key)) await rm(path.join(dir(), key), { force: true })
    },
  }
}
