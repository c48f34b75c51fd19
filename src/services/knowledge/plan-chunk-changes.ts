import type { ArticleChunk } from './chunk-article'

export type StoredChunk = { id: number | string; hash: string; index: number }

export type ChunkChanges = {
  /** Stored chunks whose content is unchanged; `index` is where they now stand. */
  keep: { id: StoredChunk['id']; index: number }[]
  /** New or changed pieces to store. */
  insert: ArticleChunk[]
  /** Stored chunks no longer in the article. */
  remove: StoredChunk['id'][]
}

/**
 * Incremental re-chunking: what to keep, add and delete so an article's stored chunks match its new
 * chunks, matching by content hash (an edit to one section re-indexes that section's chunks only). A
 * hash that appears twice is matched once per stored copy.
 */
export const planChunkChanges = (stored: StoredChunk[], next: ArticleChunk[]): ChunkChanges => {
  const byHash = new Map<string, StoredChunk[]>()
  for (const chunk of stored) byHash.set(chunk.hash, [...(byHash.get(chunk.hash) ?? []), chunk])
  const keep: ChunkChanges['keep'] = []
  const insert: ArticleChunk[] = []
  for (const chunk of next) {
    const match = byHash.get(chunk.hash)?.shift()
    if (match) keep.push({ id: match.id, index: chunk.index })
    else insert.push(chunk)
  }
  const remove = [...byHash.values()].flat().map((chunk) => chunk.id)
  return { keep, insert, remove }
}
